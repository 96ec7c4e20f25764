/**
 * Formats a time the way Cowrie does: `2026-12-02T15:25:43.123000Z`. JavaScript dates carry
 * milliseconds only, so the last three of the six fraction digits are zero.
 */
export function formatCowrieTimestamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 23)}000Z`;
}
