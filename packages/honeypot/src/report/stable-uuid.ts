import { stableUuid as nameBased } from '@waggle/misp';

// waggle's own namespace for honeypot UUIDs (a fixed random UUID).
const NAMESPACE = '5b2e6a4c-0f3d-4e7a-9c1b-8d2f6e0a3c57';

/**
 * The same (sensor, attacker, window) always gives the same event UUID, so a
 * batch sent twice after a failure updates the event instead of duplicating it.
 */
export const stableUuid = (...parts: readonly (string | number)[]): string => nameBased(NAMESPACE, ...parts);
