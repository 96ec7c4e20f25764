import { stableUuid as nameBased } from '@waggle/misp';

// waggle's namespace for finding UUIDs (a fixed random UUID).
const NAMESPACE = 'c3b1f0e2-9a4d-4c5e-8f7a-6b1d2e3f4a5b';

/** The same finding always gets the same object UUID, so a re-ingested log updates nothing instead of duplicating. */
export const stableUuid = (...parts: readonly (string | number)[]): string => nameBased(NAMESPACE, ...parts);
