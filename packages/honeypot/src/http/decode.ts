const PERCENT = /%([0-9a-fA-F]{2})/g;

/**
 * One round of lenient percent-decoding: every `%XX` becomes its byte and a
 * stray `%` stays. Lenient on purpose, because exploit strings are often
 * malformed for `decodeURIComponent` (`%%32%65` is `%2e` after one round and
 * `.` after the second, which is how CVE-2021-42013 slips past Apache's check).
 */
export function percentDecodeOnce(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  let last = 0;
  for (const m of text.matchAll(PERCENT)) {
    for (const b of Buffer.from(text.slice(last, m.index), 'utf8')) bytes.push(b);
    bytes.push(parseInt(m[1] as string, 16));
    last = m.index + m[0].length;
  }
  for (const b of Buffer.from(text.slice(last), 'utf8')) bytes.push(b);
  // latin1 keeps every byte as one character, so invalid UTF-8 cannot hide a match.
  const raw = Buffer.from(bytes);
  const utf8 = raw.toString('utf8');
  return utf8.includes('\uFFFD') ? raw.toString('latin1') : utf8;
}

/** The text and each distinct result of up to `rounds` percent-decoding rounds (`+` read as space too). */
export function decodingRounds(text: string, rounds: number): string[] {
  const out = [text];
  let current = text;
  for (let i = 0; i < rounds; i++) {
    const next = percentDecodeOnce(current);
    if (next === current) break;
    out.push(next);
    current = next;
  }
  if (current.includes('+')) out.push(current.replace(/\+/g, ' '));
  return out;
}

// An innermost lookup: `${...}` with no `$`, `{` or `}` inside.
const INNER_LOOKUP = /\$\{([^${}]*)\}/g;

function resolveLookup(body: string): string | undefined {
  if (/^jndi:/i.test(body)) return undefined;
  const lower = /^lower:(.*)$/is.exec(body);
  if (lower !== null) return (lower[1] as string).toLowerCase();
  const upper = /^upper:(.*)$/is.exec(body);
  if (upper !== null) return (upper[1] as string).toUpperCase();
  const date = /^date:'([^']*)'$/is.exec(body);
  if (date !== null) return date[1] as string;
  // `${::-j}`, `${env:NOPE:-j}`, `${sys:x:-j}`: a lookup with a default yields the default.
  const fallback = /:-(.*)$/s.exec(body);
  if (fallback !== null) return fallback[1] as string;
  return undefined;
}

/**
 * Resolves the Log4j lookups attackers use to hide `${jndi:` (`${${lower:j}ndi:`,
 * `${${::-j}${::-n}di:`, `${${env:X:-j}ndi:`) the way Log4j 2 would, innermost
 * first, leaving `${jndi:…}` itself in place. Bounded so hostile nesting cannot loop.
 */
export function resolveLog4jLookups(text: string): string {
  let current = text;
  for (let i = 0; i < 16 && current.includes('${'); i++) {
    const next = current.replace(INNER_LOOKUP, (whole, body: string) => resolveLookup(body) ?? whole);
    if (next === current) break;
    current = next;
  }
  return current;
}
