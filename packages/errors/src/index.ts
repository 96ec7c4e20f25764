export {
  WaggleError,
  InputError,
  NotFoundError,
  ForbiddenError,
  AuthenticationError,
  ConflictError,
  TooLargeError,
  RateLimitedError,
  UnavailableError,
  isWaggleError,
} from './errors.js';
export type { ErrorCode, ErrorDetails } from './errors.js';
export { Secret } from './secret.js';
