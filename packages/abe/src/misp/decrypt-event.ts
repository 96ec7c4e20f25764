import { ForbiddenError, InputError, WaggleError } from '@waggle/errors';
import { parsePolicy } from '../policy/parse-policy.js';
import { satisfies } from '../policy/satisfies.js';
import { attributesOf, copyEvent, objectsOf, removeTag, requireUuid, type Json } from './event-json.js';
import type { Opener } from './ports.js';
import { PROTECTED_TAG, PROTECTED_TYPE_TAG, parseProtectedValue } from './protected-value.js';

/** A protected element the key could not read. */
export interface StillProtected {
  /** The attribute UUID, or `null` for the event info. */
  readonly attribute: string | null;
  readonly policy: string;
}

/** The event with every value the key can read restored. */
export interface DecryptResult {
  readonly event: Json;
  readonly decrypted: number;
  readonly stillProtected: readonly StillProtected[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Re-raises an envelope error naming the element it was found on. */
function located(error: unknown, where: string): Error {
  if (error instanceof ForbiddenError) return new ForbiddenError(`${where}: ${error.message}`, { ...error.details, at: where });
  if (error instanceof InputError) return new InputError(`${where}: ${error.message}`, { ...error.details, at: where });
  if (error instanceof WaggleError) return new WaggleError(error.code, `${where}: ${error.message}`, { details: { ...error.details, at: where } });
  return error instanceof Error ? error : new Error(String(error));
}

/** A value that went through a stock MISP as `text` gets its own type back (see PROTECTED_TYPE_TAG). */
function restoreType(attribute: Json): void {
  if (!Array.isArray(attribute.Tag)) return;
  for (const t of attribute.Tag as unknown[]) {
    const name = typeof t === 'string' ? t : typeof t === 'object' && t !== null ? (t as Json).name : undefined;
    const m = typeof name === 'string' ? PROTECTED_TYPE_TAG.exec(name) : null;
    if (m === null) continue;
    if (attribute.type === 'text') attribute.type = m[1];
    removeTag(attribute, name as string);
    return;
  }
}

/**
 * Decrypts a protected MISP event client side. Each envelope must be bound to this event
 * and to the attribute it sits on (a moved envelope is refused), and must authenticate
 * (with the opener's verification key, the producer's signature too); any such failure
 * throws, naming the element. Envelopes whose policy the key does not satisfy stay as they
 * are and are listed in `stillProtected`. The input is not modified.
 */
export async function decryptEvent(input: unknown, opener: Opener): Promise<DecryptResult> {
  const { event, wrapped } = copyEvent(input);
  const eventUuid = requireUuid(event, 'Event');
  const stillProtected: StillProtected[] = [];
  const jobs: Promise<void>[] = [];
  let decrypted = 0;

  const visit = (holder: Json, key: 'value' | 'info', where: string, attributeUuid: string | null): void => {
    const raw = holder[key];
    const parsed = typeof raw === 'string' ? parseProtectedValue(raw) : undefined;
    if (parsed === undefined) return;
    if (!satisfies(parsePolicy(parsed.envelope.policy), opener.attributes)) {
      stillProtected.push({ attribute: attributeUuid, policy: parsed.envelope.policy });
      return;
    }
    if (attributeUuid === null && parsed.envelope.attribute !== null) {
      throw new InputError(`${where}: the envelope is bound to attribute ${parsed.envelope.attribute}, not to the event info`, { field: where });
    }
    jobs.push(
      opener.open({ envelope: parsed.envelope, eventUuid, attributeUuid }).then(
        (plaintext) => {
          holder[key] = decoder.decode(plaintext);
          if (key === 'value') {
            removeTag(holder, PROTECTED_TAG);
            restoreType(holder);
          }
          decrypted += 1;
        },
        (error: unknown) => {
          throw located(error, where);
        },
      ),
    );
  };

  visit(event, 'info', 'Event.info', null);
  for (const [i, a] of attributesOf(event, 'Event').entries()) visit(a, 'value', `Event.Attribute[${i}]`, requireUuid(a, `Event.Attribute[${i}]`));
  for (const [j, o] of objectsOf(event).entries()) {
    for (const [i, a] of attributesOf(o, `Event.Object[${j}]`).entries()) {
      const where = `Event.Object[${j}].Attribute[${i}]`;
      visit(a, 'value', where, requireUuid(a, where));
    }
  }
  const outcomes = await Promise.allSettled(jobs);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return { event: wrapped ? { Event: event } : event, decrypted, stillProtected };
}
