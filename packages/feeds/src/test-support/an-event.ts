import { randomUUID } from 'node:crypto';

type Json = Record<string, unknown>;

/** A MISP event as the REST API returns it (local ids included), with overrides. */
export function anEvent(overrides: Json = {}, attributes: Json[] = [anAttribute()]): { Event: Json } {
  return {
    Event: {
      id: '12',
      orgc_id: '3',
      org_id: '3',
      uuid: randomUUID(),
      info: 'Phishing campaign',
      date: '2024-05-01',
      threat_level_id: '2',
      analysis: '1',
      published: true,
      timestamp: '1714550400',
      publish_timestamp: '1714550500',
      distribution: '3',
      sharing_group_id: '0',
      attribute_count: String(attributes.length),
      Org: { id: '3', name: 'ACME', uuid: '5f6e7d8c-0000-4000-8000-000000000001' },
      Orgc: { id: '3', name: 'ACME', uuid: '5f6e7d8c-0000-4000-8000-000000000001', local: true },
      Tag: [
        { id: '5', name: 'tlp:white', colour: '#ffffff', exportable: true, local: 0 },
        { id: '6', name: 'internal:only', colour: '#000000', exportable: false },
        { id: '7', name: 'local:triage', colour: '#111111', exportable: true, local: 1 },
      ],
      Attribute: attributes,
      ShadowAttribute: [],
      RelatedEvent: [{ Event: { id: '9' } }],
      ...overrides,
    },
  };
}

/** A MISP attribute with local ids, with overrides. */
export function anAttribute(overrides: Json = {}): Json {
  return {
    id: '100',
    event_id: '12',
    object_id: '0',
    uuid: randomUUID(),
    type: 'ip-dst',
    category: 'Network activity',
    value: '203.0.113.7',
    to_ids: '1',
    comment: '',
    timestamp: '1714550400',
    distribution: '5',
    sharing_group_id: '0',
    deleted: false,
    disable_correlation: false,
    Sighting: [{ id: '1' }],
    ...overrides,
  };
}
