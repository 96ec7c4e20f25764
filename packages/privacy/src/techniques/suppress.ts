/** What a suppressed value is replaced with where a value must stay (text fields, CSV cells). */
export const SUPPRESSED = '[suppressed]';

/** Suppression: the value is dropped. Returns null, the "remove this" marker policies act on. */
export function suppress(): null {
  return null;
}

/** True when `value` is the {@link SUPPRESSED} placeholder. */
export function isSuppressed(value: unknown): boolean {
  return value === SUPPRESSED;
}
