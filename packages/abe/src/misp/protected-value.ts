import { InputError } from '@waggle/errors';
import { parseEnvelope, serializeEnvelope, type Envelope } from '../envelope/format.js';

/** Prefix of a protected value: the envelope's JSON (see the abe README) follows. */
export const PROTECTED_VALUE_PREFIX = 'waggle-abe:v1:';
/** Prefix of a blind correlation token (64 hex digits follow); `|` then the protected value. */
export const BLIND_TOKEN_PREFIX = 'waggle-bt:v1:';
/** Tag put on protected attributes so people and MISP UIs see what they are. */
export const PROTECTED_TAG = 'waggle:protected';
/**
 * Tag a waggle server adds when it pushes a protected attribute to a stock MISP as `text`
 * (`waggle:protected-type="ip-dst"`); decryptEvent restores the type from it.
 */
export const PROTECTED_TYPE_TAG = /^waggle:protected-type="([a-z0-9|_-]+)"$/i;

/** A protected value taken apart. */
export interface ProtectedValue {
  readonly envelope: Envelope;
  /** The blind correlation token (64 lower-case hex digits), or `null`. */
  readonly token: string | null;
}

const TOKEN = /^[0-9a-f]{64}$/;

/**
 * The value text of a protected attribute: `waggle-abe:v1:{envelope JSON}`, preceded by
 * `waggle-bt:v1:<token>|` when a blind token goes with it. The `|` makes waggle servers
 * store the token as value1 (which correlates) and the envelope as value2, exactly as
 * MISP stores the halves of a composite value, so the value reads back unchanged.
 */
export function formatProtectedValue(envelope: Envelope, token: string | null = null): string {
  const body = `${PROTECTED_VALUE_PREFIX}${serializeEnvelope(envelope)}`;
  if (token === null) return body;
  if (!TOKEN.test(token)) throw new InputError('blind token: expected 64 lower-case hex digits', { field: 'token' });
  return `${BLIND_TOKEN_PREFIX}${token}|${body}`;
}

/** Whether a value is in the protected form (by its prefix; not validated). */
export function isProtectedValue(value: string): boolean {
  return value.startsWith(PROTECTED_VALUE_PREFIX) || value.startsWith(BLIND_TOKEN_PREFIX);
}

/** Parses a protected value; `undefined` for a plain value, `InputError` for a malformed protected one. */
export function parseProtectedValue(value: string): ProtectedValue | undefined {
  if (!isProtectedValue(value)) return undefined;
  let token: string | null = null;
  let body = value;
  if (value.startsWith(BLIND_TOKEN_PREFIX)) {
    const bar = value.indexOf('|');
    token = bar < 0 ? '' : value.slice(BLIND_TOKEN_PREFIX.length, bar);
    if (!TOKEN.test(token)) throw new InputError('protected value: malformed blind token', { field: 'value' });
    body = value.slice(bar + 1);
  }
  if (!body.startsWith(PROTECTED_VALUE_PREFIX)) throw new InputError(`protected value: expected "${PROTECTED_VALUE_PREFIX}" after the blind token`, { field: 'value' });
  return { envelope: parseEnvelope(body.slice(PROTECTED_VALUE_PREFIX.length)), token };
}
