/**
 * Whether `name` fits `pattern`: exact (case-insensitive) or, with `*`,
 * a glob where `*` stands for any run of characters (`misp-galaxy:*`).
 */
export function tagMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (!p.includes('*')) return p === n;
  const parts = p.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!n.startsWith(first) || n.length < first.length + last.length || !n.endsWith(last)) return false;
  let at = first.length;
  for (const part of parts.slice(1, -1)) {
    const found = n.indexOf(part, at);
    if (found === -1 || found + part.length > n.length - last.length) return false;
    at = found + part.length;
  }
  return true;
}

/** Whether any of `names` fits any of `patterns`. */
export function anyTagMatches(patterns: readonly string[], names: readonly string[]): boolean {
  return patterns.some((p) => names.some((n) => tagMatches(p, n)));
}
