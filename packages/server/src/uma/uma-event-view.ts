import type { MispJson } from '@waggle/core';
import { nativeEvent } from '../native/native-json.js';

/** Distribution 0 ("your organisation only") never leaves the producer, RPT or not. */
const orgOnly = (x: MispJson): boolean => String(x.distribution) === '0';

function attributesOf(list: unknown): MispJson[] {
  return Array.isArray(list) ? (list as MispJson[]).filter((a) => !orgOnly(a)).map(({ Sighting: _s, RelatedAttribute: _r, ShadowAttribute: _p, ...a }) => a) : [];
}

/**
 * The event a UMA-authorised requester receives: what the producer's policy
 * granted, i.e. the event itself, without its organisation-only attributes and
 * objects, sightings, proposals and correlations (those describe other events
 * and other organisations, which the RPT does not cover).
 */
export function readableUnderUma(event: MispJson, native: boolean): MispJson {
  const { RelatedEvent: _re, ShadowAttribute: _sa, Sighting: _si, ...rest } = event;
  const objects = Array.isArray(event.Object)
    ? (event.Object as MispJson[]).filter((o) => !orgOnly(o)).map((o) => ({ ...o, Attribute: attributesOf(o.Attribute) }))
    : [];
  const shared: MispJson = { ...rest, Attribute: attributesOf(event.Attribute), Object: objects };
  return native ? (nativeEvent(shared) as unknown as MispJson) : { Event: shared };
}
