import type { RecipientRef } from '@waggle/privacy';
import type { OutboundPrivacy } from './outbound-privacy.js';

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);
const EVENT_TOPICS = new Set(['misp_json', 'misp_json_event']);

/**
 * A stream message as `recipient` may receive it. Event messages carry the
 * whole event and are anonymised like any outbound event. Attribute, object,
 * sighting and tag messages carry single values without the event context a
 * policy decides on, so recipients do not get them while a policy is on
 * (fail closed); they follow the event message that each change also emits.
 * Deletions (uuid and id only) pass.
 */
export function shapeStreamMessage(privacy: OutboundPrivacy, topic: string, payload: unknown, recipient: (event: J) => RecipientRef | undefined): unknown {
  if (!privacy.enabled || !isObj(payload)) return payload;
  if (EVENT_TOPICS.has(topic) && isObj(payload.Event)) {
    if (payload.action === 'delete') return payload;
    const who = recipient(payload.Event);
    if (who === undefined) return payload;
    const shaped = privacy.forRecipient(payload.Event, who);
    return shaped === undefined ? undefined : { ...payload, Event: shaped };
  }
  return recipient({}) === undefined ? payload : undefined;
}
