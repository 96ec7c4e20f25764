import { refangValue } from './refang.js';
import { isCompositeType, isKnownType } from './type-registry.js';
import { singleLine, type ValueCheck } from './value-check.js';
import { compositeValueRule, singleValueRule, type CompositeRule } from './value-rules.js';

/** Verdict on an attribute value: the normalised value and its halves, or why it was refused. */
export type AttributeValueVerdict =
  | { readonly ok: true; readonly value: string; readonly value1: string; readonly value2: string }
  | { readonly ok: false; readonly reason: string };

// MySQL TEXT limit that MISP enforces so values are never silently truncated.
const MAX_VALUE_BYTES = 65_535;

const FALLBACK_COMPOSITE: CompositeRule = {
  prepare: (value) => value,
  first: singleLine,
  second: singleLine,
  secondMayBeEmpty: false,
};

/**
 * Validates and normalises an attribute value for its type, with MISP's
 * semantics: trim, refang (`hxxp`, `[.]`), type-specific normalisation
 * (lowercased hashes, compressed IPv6, punycode domains, `AS` prefix dropped,
 * ISO 8601 datetimes...), then the type's format check. Composite types need
 * exactly one `|` (after rewriting notations such as `1.2.3.4:80`), and each
 * half is checked on its own.
 */
export function validateAttributeValue(type: string, value: string): AttributeValueVerdict {
  if (!isKnownType(type)) return { ok: false, reason: `Unknown attribute type "${type}".` };
  if (typeof value !== 'string') return { ok: false, reason: 'Value has to be a string.' };
  const trimmed = value.trim();
  if (trimmed === '') return { ok: false, reason: 'Value must not be empty.' };
  const refanged = refangValue(type, trimmed);
  const checked = isCompositeType(type) ? checkComposite(type, refanged) : checkSingle(type, refanged);
  if (!checked.ok) return checked;
  const { value1, value2 } = checked;
  if (isOnlyControlCharacters(value1) || isOnlyControlCharacters(value2)) {
    return { ok: false, reason: 'Value provided consists purely of control characters and is therefore considered to be empty.' };
  }
  const normalised = isCompositeType(type) ? `${value1}|${value2}` : value1;
  if (utf8TooLong(normalised, MAX_VALUE_BYTES)) {
    return { ok: false, reason: 'The value is too long; consider adding the data as an attachment instead.' };
  }
  return { ok: true, value: normalised, value1, value2 };
}

/**
 * Whether the UTF-8 form of `text` is longer than `max` bytes, without encoding it: a UTF-16 code
 * unit takes at most 3 bytes (a surrogate pair, two units, takes 4), so short text needs no
 * counting at all, which is nearly every value (encoding each one cost 2 % of ingest time).
 */
export function utf8TooLong(text: string, max: number): boolean {
  if (text.length * 3 <= max) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > max) return true;
  }
  return false;
}

function checkSingle(type: string, value: string): AttributeValueVerdict {
  const result = singleValueRule(type)(value);
  return result.ok ? { ok: true, value: result.value, value1: result.value, value2: '' } : result;
}

function checkComposite(type: string, value: string): AttributeValueVerdict {
  const rule = compositeValueRule(type) ?? FALLBACK_COMPOSITE;
  const prepared = rule.prepare(value);
  const parts = prepared.split('|');
  if (parts.length !== 2) {
    return { ok: false, reason: 'Composite type found but the value is not in the composite (value1|value2) format.' };
  }
  const [rawFirst = '', rawSecond = ''] = parts;
  if (rawFirst === '' || (rawSecond === '' && !rule.secondMayBeEmpty)) {
    return { ok: false, reason: 'Both halves of a composite value (value1|value2) must be set.' };
  }
  const first = rule.first(rawFirst);
  if (!first.ok) return first;
  const second: ValueCheck = rawSecond === '' ? { ok: true, value: '' } : rule.second(rawSecond);
  if (!second.ok) return second;
  return { ok: true, value: `${first.value}|${second.value}`, value1: first.value, value2: second.value };
}

function isOnlyControlCharacters(value: string): boolean {
  return /^\p{Cc}+$/u.test(value);
}
