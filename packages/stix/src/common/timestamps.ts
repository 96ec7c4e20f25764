/** RFC 3339 in UTC with milliseconds, as STIX requires for `created`/`modified`. */
export function stixTimestamp(date: Date): string {
  return date.toISOString();
}

/**
 * Reads a MISP time: Unix seconds (number or numeric string, as MISP sends
 * them) or an ISO 8601 string (`first_seen`, `date_sighting` in some exports).
 * Undefined for absent, zero or unreadable values.
 */
export function readMispTime(value: unknown): Date | undefined {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))) {
    const seconds = Number(value);
    return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const date = new Date(value.trim());
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

/** A MISP `date` (`YYYY-MM-DD`) as midnight UTC; undefined when it is not one. */
export function readMispDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Unix seconds as MISP writes them (a string). */
export function unixSeconds(date: Date): string {
  return String(Math.floor(date.getTime() / 1000));
}

/** Parses a STIX timestamp; undefined when absent or unreadable. */
export function readStixTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
