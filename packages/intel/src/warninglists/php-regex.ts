/** A MISP (PHP PCRE) regex turned into a JavaScript one, or why that was not possible. */
export type PhpRegexResult = { readonly ok: true; readonly regex: RegExp; readonly note?: string } | { readonly ok: false; readonly reason: string };

const CLOSERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}', '<': '>' };
const SAME_IN_JS = new Set(['i', 'm', 's', 'u']);

/**
 * Converts a PHP `preg_match` pattern (`/body/flags`, any delimiter) to a
 * RegExp. Flags i, m, s, u carry over; `g` (refused by PHP, but used by the
 * upstream phone_numbers list) is dropped with a note, since a match test has
 * no use for it; other PCRE-only flags (x, U, D, A, …) and syntax JavaScript
 * rejects make the entry unusable, reported rather than guessed.
 */
export function compilePhpRegex(source: string): PhpRegexResult {
  const opener = source.charAt(0);
  if (source.length < 2 || /[a-zA-Z0-9\\\s]/.test(opener)) return { ok: false, reason: 'a PHP regex must start with a delimiter such as /' };
  const closer = CLOSERS[opener] ?? opener;
  const end = source.lastIndexOf(closer);
  if (end <= 0) return { ok: false, reason: `no closing delimiter ${closer}` };
  const body = source.slice(1, end);
  let flags = '';
  let note: string | undefined;
  for (const flag of source.slice(end + 1)) {
    if (SAME_IN_JS.has(flag)) {
      if (!flags.includes(flag)) flags += flag;
    } else if (flag === 'g') note = "flag 'g' ignored (PHP has no such modifier)";
    else if (flag !== '\n') return { ok: false, reason: `PCRE modifier '${flag}' has no JavaScript equivalent` };
  }
  try {
    return note === undefined ? { ok: true, regex: new RegExp(body, flags) } : { ok: true, regex: new RegExp(body, flags), note };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
