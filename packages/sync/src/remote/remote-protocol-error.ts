import { WaggleError } from '@waggle/errors';

/**
 * The remote answered, but not with what the MISP protocol promises
 * (non-JSON, wrong shape). Retrying will not help until the remote is fixed.
 */
export class RemoteProtocolError extends WaggleError {
  constructor(message: string, details: { url: string; status?: number }) {
    super('internal', message, { details, retryable: false });
  }
}
