/**
 * Version keys and ordering. NVD (`rel_product_CVE.csv`) and the vendor release lists spell the
 * same version differently (`11.0.1` vs `11.0.01`, `9.0.124.0` vs `9.0.124`, `update10 ` with a
 * trailing space), so both sides are normalised the same way before they are matched.
 */

/** Lower-cased, trimmed; numeric dot-components lose leading zeros and trailing `.0` components. */
export function normalizeVersion(version: string): string {
  const parts = version.trim().toLowerCase().split('.').map((p) => (/^\d+$/.test(p) ? String(Number(p)) : p));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}

/** `*`, `-` and the empty string all mean "no update"; anything else is trimmed and lower-cased. */
export function normalizeUpdate(update: string): string {
  const u = update.trim().toLowerCase();
  return u === '' || u === '-' ? '*' : u;
}

/** The key that joins a (version, update) pair across files. */
export function versionKey(version: string, update: string): string {
  const u = normalizeUpdate(update);
  return u === '*' ? normalizeVersion(version) : `${normalizeVersion(version)}|${u}`;
}

function tokens(text: string): string[] {
  return text.toLowerCase().split(/[.\s_|-]+/).filter((t) => t !== '' && t !== '*');
}

function compareToken(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Number(a) - Number(b);
  // `update10` vs `update9`, `su1`: compare the letters, then the number inside.
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * Orders two version keys: component by component, numbers numerically, a missing component
 * first (`8.1.2` < `8.1.2 su1`; `1.7` (GA) < `1.7|update1`). Because the major number leads,
 * "newer" never means "a lower major line" (JRE 1.8 < 9 < 10, Flash 10.3 < 11.1).
 */
export function compareVersionKeys(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const c = compareToken(ta[i] as string, tb[i] as string);
    if (c !== 0) return c;
  }
  return ta.length - tb.length;
}

/**
 * The major line of a version key, used to fill NVD's ranges: the first number, or the first
 * two when the first is `1` (Java's `1.6`, `1.7`; Air's `1.0`/`1.5` also split, which only
 * narrows the filling).
 */
export function majorLine(key: string): string {
  const t = tokens(key);
  return t[0] === '1' && t.length > 1 ? `1.${t[1] as string}` : (t[0] ?? '');
}
