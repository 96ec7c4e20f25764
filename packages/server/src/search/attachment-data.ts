type Json = Record<string, unknown>;

function withoutData(attribute: unknown): unknown {
  if (typeof attribute !== 'object' || attribute === null || !('data' in attribute)) return attribute;
  const { data: _data, ...rest } = attribute as Json;
  return rest;
}

/**
 * MISP's restSearch `withAttachments`: only with it does fetchEvent/fetchAttributes add the files of
 * attachments and malware samples (`data`); without it they are left out, so PyMISP's
 * `malware_binary` is None (`test_simple_event`).
 */
export async function* eventsWithoutData(events: AsyncIterable<Json>): AsyncIterable<Json> {
  for await (const event of events) {
    const inner = (event.Event ?? event) as Json;
    const stripped: Json = { ...inner };
    if (Array.isArray(inner.Attribute)) stripped.Attribute = inner.Attribute.map(withoutData);
    if (Array.isArray(inner.Object)) {
      stripped.Object = inner.Object.map((o) => (Array.isArray((o as Json).Attribute) ? { ...(o as Json), Attribute: ((o as Json).Attribute as unknown[]).map(withoutData) } : o));
    }
    yield event.Event === undefined ? stripped : { ...event, Event: stripped };
  }
}

/** {@link eventsWithoutData} for attributes/restSearch batches. */
export async function* attributesWithoutData(batches: AsyncIterable<Json[]>): AsyncIterable<Json[]> {
  for await (const batch of batches) yield batch.map((a) => withoutData(a) as Json);
}
