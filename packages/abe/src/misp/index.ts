export { PROTECTED_VALUE_PREFIX, BLIND_TOKEN_PREFIX, PROTECTED_TAG, PROTECTED_TYPE_TAG, formatProtectedValue, isProtectedValue, parseProtectedValue } from './protected-value.js';
export type { ProtectedValue } from './protected-value.js';
export { blindToken, normaliseForToken } from './blind-token.js';
export { envelopeSealer, envelopeOpener, poolSealer, poolOpener } from './ports.js';
export type { Sealer, SealRequest, Opener, OpenRequest } from './ports.js';
export { protectEvent } from './protect-event.js';
export type { ProtectOptions, ProtectResult } from './protect-event.js';
export { decryptEvent } from './decrypt-event.js';
export type { DecryptResult, StillProtected } from './decrypt-event.js';
