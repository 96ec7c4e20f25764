import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MispAttribute, MispEvent } from './common/misp-event.js';
import { eventToStix } from './export/event-to-stix.js';
import { stixToEvents } from './import/stix-to-events.js';
import { SAMPLE_VALUES, anAttribute, anEvent, anObject } from './test-support/builders.js';
import { SHARED_DATA, loadStixSchemas } from './test-support/stix-schemas.js';

const now = (): Date => new Date('2024-01-01T00:00:00Z');

function roundTrip(event: unknown): { event: MispEvent; warnings: unknown[] } {
  const bundle = eventToStix(event, { now });
  expect(loadStixSchemas().invalidObjects(bundle)).toEqual([]);
  const { events, warnings } = stixToEvents(JSON.parse(JSON.stringify(bundle)));
  expect(events).toHaveLength(1);
  return { event: events[0] as MispEvent, warnings };
}

const tagSet = (tags: unknown): string[] => (Array.isArray(tags) ? tags.map((t: { name: string }) => t.name).sort() : []);

function expectSameAttribute(out: MispAttribute | undefined, input: Record<string, unknown>): void {
  expect(out, `attribute ${String(input.type)}`).toBeDefined();
  if (out === undefined) return;
  expect({ type: out.type, value: out.value, to_ids: out.to_ids, comment: out.comment, category: out.category, tags: tagSet(out.Tag) }).toEqual({
    type: input.type, value: input.value, to_ids: input.to_ids, comment: input.comment ?? '', category: input.category, tags: tagSet(input.Tag),
  });
}

describe('MISP → STIX → MISP', () => {
  const types = Object.keys(SAMPLE_VALUES);

  it.each([true, false])('keeps type, value, to_ids, comment, category, uuid and tags of every sample type (to_ids %s)', (toIds) => {
    const attributes = types.map((type) => anAttribute({
      type, value: SAMPLE_VALUES[type], to_ids: toIds, category: type === 'vulnerability' ? 'External analysis' : undefined,
      comment: `comment for ${type}`, Tag: [{ name: 'tlp:amber' }, { name: `custom:type="${type}"` }],
    }));
    // Categories: let the default be what MISP would pick, so the check is exact.
    for (const a of attributes) delete a.category;
    const { event, warnings } = roundTrip(anEvent({ Attribute: attributes }));
    expect(warnings).toEqual([]);
    for (const input of attributes) {
      const out = event.Attribute.find((a) => a.uuid === input.uuid);
      expectSameAttribute(out, { ...input, category: out?.category, value: input.type === 'AS' ? String(Number(input.value)) : input.value });
    }
    expect(event.Attribute).toHaveLength(attributes.length);
  });

  it('keeps categories that the type allows', () => {
    const input = anAttribute({ type: 'hostname', value: 'x.example.com', category: 'Payload delivery', to_ids: false });
    const { event } = roundTrip(anEvent({ Attribute: [input] }));
    expectSameAttribute(event.Attribute[0], input);
  });

  it('keeps objects with their attributes, relations and references', () => {
    const file = anObject({
      Attribute: [
        anAttribute({ type: 'filename', value: 'evil.exe', object_relation: 'filename', category: 'Payload delivery', to_ids: true }),
        anAttribute({ type: 'sha256', value: SAMPLE_VALUES.sha256, object_relation: 'sha256', category: 'Payload delivery', to_ids: true }),
        anAttribute({ type: 'text', value: 'Malicious', object_relation: 'state', category: 'Other', to_ids: false, comment: 'analyst said so' }),
      ],
    });
    const domainIp = anObject({
      name: 'domain-ip', 'meta-category': 'network', template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
      Attribute: [
        anAttribute({ type: 'domain', value: 'evil.example.com', object_relation: 'domain', category: 'Network activity', to_ids: false }),
        anAttribute({ type: 'ip-dst', value: '198.51.100.7', object_relation: 'ip', category: 'Network activity', to_ids: false }),
        anAttribute({ type: 'port', value: '443', object_relation: 'port', category: 'Network activity', to_ids: false }),
      ],
    });
    (file.ObjectReference as unknown[]).push({ uuid: '5a3c2fda-1111-4111-8111-000000000001', object_uuid: file.uuid, referenced_uuid: domainIp.uuid, relationship_type: 'communicates-with', comment: 'seen in sandbox' });
    const { event, warnings } = roundTrip(anEvent({ Object: [file, domainIp] }));
    expect(warnings).toEqual([]);
    expect(event.Object.map((o) => [o.uuid, o.name, o['meta-category']])).toEqual([[file.uuid, 'file', 'file'], [domainIp.uuid, 'domain-ip', 'network']]);
    for (const [i, o] of [file, domainIp].entries()) {
      const out = event.Object[i];
      for (const a of o.Attribute as Record<string, unknown>[]) {
        const found = out?.Attribute.find((x) => x.uuid === a.uuid);
        expectSameAttribute(found, a);
        expect(found?.object_relation).toBe(a.object_relation);
      }
    }
    expect(event.Object[0]?.ObjectReference).toEqual([{ uuid: '5a3c2fda-1111-4111-8111-000000000001', object_uuid: file.uuid, referenced_uuid: domainIp.uuid, relationship_type: 'communicates-with', comment: 'seen in sandbox' }]);
  });

  it('keeps the event header, tags, galaxy tags, sightings and first/last seen', () => {
    const attribute = anAttribute({
      first_seen: '2024-02-01T10:00:00.000Z', last_seen: '2024-02-02T10:00:00.000Z',
      Tag: [{ name: 'misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"' }],
      Sighting: [
        { uuid: '5a3c2fda-2222-4222-8222-000000000001', type: '0', date_sighting: '1709300000', source: 'honeypot', Organisation: { uuid: '5a3c2fda-3333-4333-8333-000000000001', name: 'ORG' } },
        { uuid: '5a3c2fda-2222-4222-8222-000000000002', type: '1', date_sighting: '1709300100' },
      ],
    });
    const input = anEvent({
      Attribute: [attribute],
      Tag: [{ name: 'tlp:green' }, { name: 'type:OSINT' }, { name: 'misp-galaxy:threat-actor="APT28"' }],
    });
    const { event } = roundTrip(input);
    const e = input.Event;
    expect({ uuid: event.uuid, info: event.info, date: event.date, timestamp: event.timestamp, published: event.published, publish_timestamp: event.publish_timestamp, distribution: event.distribution, threat_level_id: event.threat_level_id, analysis: event.analysis, Orgc: event.Orgc })
      .toEqual({ uuid: e.uuid, info: e.info, date: e.date, timestamp: e.timestamp, published: true, publish_timestamp: e.publish_timestamp, distribution: e.distribution, threat_level_id: e.threat_level_id, analysis: e.analysis, Orgc: { uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f', name: 'CIRCL' } });
    expect(tagSet(event.Tag)).toEqual(tagSet(e.Tag));
    const out = event.Attribute[0];
    expect(tagSet(out?.Tag)).toEqual(tagSet(attribute.Tag));
    expect([out?.first_seen, out?.last_seen]).toEqual(['2024-02-01T10:00:00.000Z', '2024-02-02T10:00:00.000Z']);
    expect(out?.Sighting).toEqual([
      { uuid: '5a3c2fda-2222-4222-8222-000000000001', type: '0', date_sighting: '1709300000', source: 'honeypot', Organisation: { uuid: '5a3c2fda-3333-4333-8333-000000000001', name: 'ORG' } },
      { uuid: '5a3c2fda-2222-4222-8222-000000000002', type: '1', date_sighting: '1709300100' },
    ]);
    expect(event.Galaxy.map((g) => g.type).sort()).toEqual(['mitre-attack-pattern', 'threat-actor']);
  });

  it('keeps event reports: uuid, name, content and time; deleted ones stay out', () => {
    const a = anAttribute();
    const file = anObject({ Attribute: [anAttribute({ type: 'md5', value: SAMPLE_VALUES.md5, object_relation: 'md5' })] });
    const reports = [
      { id: '3', uuid: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6', event_id: '1', name: 'Initial analysis', distribution: '5', sharing_group_id: '0', timestamp: '1700000000', deleted: false,
        content: `# Analysis\n\nThe C2 @[attribute](${String(a.uuid)}) dropped @[object](${String(file.uuid)}).\n\n| a | b |\n|---|---|\n| \`x\` | "y" |\n@[tag](tlp:white)` },
      { id: '4', uuid: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d7', event_id: '1', name: 'Empty', content: '', distribution: '0', sharing_group_id: '0', timestamp: '1700000100', deleted: false },
      { id: '5', uuid: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d8', event_id: '1', name: 'Gone', content: 'x', distribution: '5', sharing_group_id: '0', timestamp: '1700000200', deleted: true },
    ];
    const { event, warnings } = roundTrip(anEvent({ Attribute: [a], Object: [file], EventReport: reports }));
    expect(warnings).toEqual([]);
    expect(event.EventReport).toEqual(reports.slice(0, 2).map((r) => ({ uuid: r.uuid, name: r.name, content: r.content, distribution: r.distribution, timestamp: r.timestamp, deleted: false })));
    expect(event.Attribute.map((x) => x.uuid)).toEqual([a.uuid]);
    expect(event.Object.map((o) => o.uuid)).toEqual([file.uuid]);
  });

  it('re-imports to the same events (idempotent uuids)', () => {
    const input = anEvent({ Attribute: [anAttribute(), anAttribute({ type: 'text', value: 'x', to_ids: false })], Object: [anObject({ Attribute: [anAttribute({ type: 'md5', value: SAMPLE_VALUES.md5 })] })] });
    expect(roundTrip(input).event).toEqual(roundTrip(input).event);
  });

  describe('PyMISP fixtures', () => {
    const dir = join(SHARED_DATA, 'pymisp', 'tests', 'mispevent_testfiles');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !['sighting.json', 'galaxy.json'].includes(f));
    it.each(files)('%s keeps every attribute value, type and to_ids', (file) => {
      const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      const input = (Array.isArray(raw.response) ? raw.response[0] : raw) as Record<string, unknown>;
      const { event } = roundTrip(input);
      const source = (input.Event ?? input) as Record<string, unknown>;
      const flat = (attrs: unknown): [string, string, boolean][] => (Array.isArray(attrs) ? attrs : []).map((a: Record<string, unknown>) => [String(a.type), String(a.value), a.to_ids === true]);
      const expected = [...flat(source.Attribute), ...(Array.isArray(source.Object) ? source.Object : []).flatMap((o: Record<string, unknown>) => flat(o.Attribute))];
      const actual = [...flat(event.Attribute), ...event.Object.flatMap((o) => flat(o.Attribute))];
      expect(actual.sort()).toEqual(expected.sort());
    });
  });
});
