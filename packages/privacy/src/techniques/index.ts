// Re-exports of the anonymisation techniques.
export { parseIp, parseIpv4Word, formatIp, isInternalIp, ipVersion } from './ip.js';
export type { ParsedIp } from './ip.js';
export { createCryptoPan } from './crypto-pan.js';
export type { CryptoPan, CryptoPanOptions } from './crypto-pan.js';
export { createFf1, FF1_DEFAULT_ALPHABET } from './ff1.js';
export type { Ff1, Ff1Options } from './ff1.js';
export { hmacSha256, hmacPseudonym } from './hmac.js';
export type { HmacPseudonymOptions } from './hmac.js';
export { truncateIp, truncateIpByVersion, generaliseTimestamp, urlToDomain, emailToDomain, portToRange, portClass } from './generalise.js';
export type { TruncateIpOptions, TimeUnit } from './generalise.js';
export { shiftTimestamp, offsetFromKey } from './shift.js';
export { parseTimestamp } from './timestamp.js';
export type { ParsedTimestamp } from './timestamp.js';
export { createEnumerator, keyedPermutation } from './enumerate.js';
export type { Enumerator } from './enumerate.js';
export { SUPPRESSED, suppress, isSuppressed } from './suppress.js';
