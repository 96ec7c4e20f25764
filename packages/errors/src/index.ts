export {
  WaggleError,
  InputError,
  NotFoundError,
  ForbiddenError,
  AuthenticationError,
  ConflictError,
  TooLargeError,
  RateLimitedError,
  MaintenanceError,
  UnavailableError,
  isWaggleError,
} from './errors.js';
export type { ErrorCode, ErrorDetails } from './errors.js';
export { Secret } from './secret.js';
