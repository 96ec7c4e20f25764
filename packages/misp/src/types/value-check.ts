/** Outcome of checking one attribute value (or one part of a composite value). */
export type ValueCheck = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

/** A validation + normalisation rule for one value: returns the normalised value or a reason. */
export type ValueRule = (value: string) => ValueCheck;

/** A passing check carrying the normalised value. */
export function accept(value: string): ValueCheck {
  return { ok: true, value };
}

/** A failing check carrying a human-readable reason. */
export function reject(reason: string): ValueCheck {
  return { ok: false, reason };
}

/** Whether the value contains a line break. */
export function hasNewline(value: string): boolean {
  return /[\r\n]/.test(value);
}

/** Accepts any value as is (the caller has already rejected empty values). */
export const anyValue: ValueRule = (value) => accept(value);

/** Accepts any value on a single line. */
export const singleLine: ValueRule = (value) =>
  hasNewline(value) ? reject('Value must not contain new line character.') : accept(value);

/** Whether the value is a string of ASCII digits (MISP's "positive integer or zero"). */
export function isDigits(value: string): boolean {
  return /^[0-9]+$/.test(value);
}

/** Digits without leading zeros (`"007"` becomes `"7"`); the input must satisfy {@link isDigits}. */
export function canonicalDigits(value: string): string {
  const stripped = value.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}
