import { validateAttributeValue, type AttributeValueVerdict } from '@waggle/misp';

/*
 * Protected (CP-ABE encrypted) attribute values, as `@waggle/abe` writes them (ADR 0012):
 *   waggle-abe:v1:{envelope JSON}
 *   waggle-bt:v1:<64 hex digits>|waggle-abe:v1:{envelope JSON}   (with a blind token)
 * The server cannot and must not read them: it skips the per-type value check and stores
 * the blind token as value1 (the only half that takes part in value correlation for
 * non-composite types) and the envelope as value2, so the value reads back unchanged.
 */

const ENVELOPE_PREFIX = 'waggle-abe:v1:';
const TOKEN_PREFIX = 'waggle-bt:v1:';
const TOKEN = /^waggle-bt:v1:[0-9a-f]{64}$/;
/** Longest protected value accepted: PostgreSQL's B-tree index entries hold at most ~2.7 kB. */
export const MAX_PROTECTED_VALUE_LENGTH = 2_600;

/**
 * The tag that records a protected attribute's own type when it travels as `text` to a
 * stock MISP (which validates values per type and would drop an `ip-dst` holding an
 * envelope). `@waggle/abe`'s decryptEvent restores the type from it.
 */
export function protectedTypeTag(type: string): string {
  return `waggle:protected-type="${type}"`;
}

/** Whether a value is in the protected form (by its prefix). */
export function isProtectedValue(value: string): boolean {
  return value.startsWith(ENVELOPE_PREFIX) || value.startsWith(TOKEN_PREFIX);
}

function checkEnvelope(text: string): string | undefined {
  if (!text.startsWith(ENVELOPE_PREFIX)) return `expected "${ENVELOPE_PREFIX}" after the blind token`;
  let e: unknown;
  try {
    e = JSON.parse(text.slice(ENVELOPE_PREFIX.length));
  } catch {
    return 'the envelope is not JSON';
  }
  const o = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  if (o.v !== 1 || typeof o.policy !== 'string' || typeof o.abe !== 'string' || typeof o.iv !== 'string' || typeof o.ct !== 'string') return 'the envelope lacks v, policy, abe, iv or ct';
  return undefined;
}

/** Checks a protected value's shape and splits it into the stored halves; refuses malformed ones. */
export function protectedValueVerdict(value: string): AttributeValueVerdict {
  if (value.length > MAX_PROTECTED_VALUE_LENGTH) return { ok: false, reason: `protected value longer than ${MAX_PROTECTED_VALUE_LENGTH} characters (use a shorter policy)` };
  if (value.startsWith(ENVELOPE_PREFIX)) {
    const problem = checkEnvelope(value);
    return problem === undefined ? { ok: true, value, value1: value, value2: '' } : { ok: false, reason: `protected value: ${problem}` };
  }
  const bar = value.indexOf('|');
  const token = bar < 0 ? value : value.slice(0, bar);
  if (!TOKEN.test(token)) return { ok: false, reason: 'protected value: malformed blind token' };
  const problem = checkEnvelope(value.slice(bar + 1));
  return problem === undefined ? { ok: true, value, value1: token, value2: value.slice(bar + 1) } : { ok: false, reason: `protected value: ${problem}` };
}

/** `validateAttributeValue`, except that protected values get the shape check only. */
export function checkAttributeValue(type: string, value: string): AttributeValueVerdict {
  return isProtectedValue(value) ? protectedValueVerdict(value) : validateAttributeValue(type, value);
}

