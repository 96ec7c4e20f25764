import { InputError } from '@waggle/errors';

/**
 * A CPE 2.3 name (NISTIR 7695 formatted-string binding). Values are unescaped;
 * the logical values ANY and NA keep their bound forms `*` and `-`.
 */
export interface Cpe23 {
  readonly part: 'a' | 'o' | 'h';
  readonly vendor: string;
  readonly product: string;
  readonly version: string;
  readonly update: string;
  readonly edition: string;
  readonly language: string;
  readonly swEdition: string;
  readonly targetSw: string;
  readonly targetHw: string;
  readonly other: string;
}

const NAMES = ['part', 'vendor', 'product', 'version', 'update', 'edition', 'language', 'swEdition', 'targetSw', 'targetHw', 'other'] as const;

/** Splits on `:` not preceded by an escaping backslash. */
function splitUnescaped(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\') {
      cur += c + (s[i + 1] ?? '');
      i++;
    } else if (c === ':') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * Checks one attribute value and removes its escapes. Unescaped, a value may
 * hold letters, digits, `_`, `.` and `-`, plus the wildcards `*` and `?` at
 * its ends; every other printable character must be escaped with `\`.
 */
function decodeValue(raw: string, field: string, cpe: string): string {
  if (raw === '') throw new InputError(`CPE "${cpe}": ${field} is empty (use * for ANY)`, { field });
  if (raw === '*' || raw === '-') return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === undefined || !/[\x21-\x7e]/.test(next)) throw new InputError(`CPE "${cpe}": ${field} ends with a lone backslash or escapes a non-printable character`, { field });
      out += next;
      i++;
    } else if (/[A-Za-z0-9_.-]/.test(c)) out += c;
    else if ((c === '*' || c === '?') && (/^[*?]+/.test(raw.slice(0, i + 1)) || /^[*?]+$/.test(raw.slice(i)))) out += c;
    else throw new InputError(`CPE "${cpe}": ${field} has the unescaped character "${c}"`, { field });
  }
  return out;
}

/**
 * Parses a CPE 2.3 formatted string, `cpe:2.3:a:vendor:product:version:…`
 * (eleven attributes after the prefix; `\` escapes punctuation such as `\:`).
 * @throws InputError for a wrong prefix, a wrong number of parts, an unknown
 * part or an unescaped special character.
 */
export function parseCpe23(cpe: string): Cpe23 {
  const s = cpe.trim();
  if (!s.toLowerCase().startsWith('cpe:2.3:')) throw new InputError(`"${s}" is not a CPE 2.3 formatted string (must start with cpe:2.3:)`, { field: 'cpe' });
  const parts = splitUnescaped(s.slice('cpe:2.3:'.length));
  if (parts.length !== NAMES.length) throw new InputError(`CPE "${s}" has ${parts.length} attributes after cpe:2.3:, expected ${NAMES.length}`, { field: 'cpe' });
  const values: Record<string, string> = {};
  NAMES.forEach((name, i) => {
    values[name] = decodeValue(parts[i] as string, name, s);
  });
  const part = values.part;
  if (part !== 'a' && part !== 'o' && part !== 'h') throw new InputError(`CPE "${s}": part must be a, o or h, got "${part}"`, { field: 'part' });
  return { ...(values as Record<(typeof NAMES)[number], string>), part };
}
