import { InputError } from '@waggle/errors';
import { describe, expect, it } from 'vitest';
import type { StixObject } from '../common/stix-types.js';
import { SAMPLE_VALUES, anAttribute, anEvent, anObject } from '../test-support/builders.js';
import { loadStixSchemas } from '../test-support/stix-schemas.js';
import { eventToStix, eventToStixObjects } from './event-to-stix.js';

const now = (): Date => new Date('2024-01-01T00:00:00Z');

function exportValid(event: unknown): StixObject[] {
  const bundle = eventToStix(event, { now });
  expect(loadStixSchemas().invalidObjects(bundle)).toEqual([]);
  return [...bundle.objects];
}

const byType = (objects: readonly StixObject[], type: string): StixObject[] => objects.filter((o) => o.type === type);

describe('eventToStix', () => {
  it('makes identity, report and indicator with ids, times and refs from MISP', () => {
    const a = anAttribute({ uuid: '0b1c2d3e-4f50-4a6b-8c7d-8e9f00112233', comment: 'c2', Tag: [{ name: 'tlp:amber' }, { name: 'kill-chain:c2' }] });
    const input = anEvent({ uuid: '8f5b0c1d-2e3f-4a5b-9c6d-7e8f90a1b2c3', Attribute: [a], Tag: [{ name: 'tlp:green' }, { name: 'type:OSINT' }] });
    const objects = exportValid(input);
    expect(objects.map((o) => o.type)).toEqual(['identity', 'report', 'indicator', 'marking-definition', 'marking-definition']);
    const [identity, report, indicator] = objects as [StixObject, StixObject, StixObject];
    expect(identity).toMatchObject({ id: 'identity--55f6ea5e-2c60-40e5-964f-47a8950d210f', name: 'CIRCL', identity_class: 'organization' });
    expect(report).toMatchObject({
      id: 'report--8f5b0c1d-2e3f-4a5b-9c6d-7e8f90a1b2c3', name: 'Phishing wave', created: '2024-03-01T10:46:40.000Z', modified: '2024-03-01T10:46:40.000Z',
      published: '2024-03-01T10:55:00.000Z', labels: ['type:OSINT'], object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
      object_refs: [identity.id, indicator.id], created_by_ref: identity.id,
    });
    expect(indicator).toMatchObject({
      id: 'indicator--0b1c2d3e-4f50-4a6b-8c7d-8e9f00112233', pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: '2024-03-01T10:46:40.000Z',
      description: 'c2', labels: ['misp:type="ip-dst"', 'misp:category="Network activity"', 'misp:to_ids="True"', 'kill-chain:c2'],
      object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'],
    });
  });

  it('is deterministic, and the unwrapped event gives the same objects', () => {
    const input = anEvent({ Attribute: [anAttribute(), anAttribute({ type: 'domain', value: 'a.example', to_ids: false })], Object: [anObject({ uuid: 'a', Attribute: [anAttribute({ type: 'md5', value: SAMPLE_VALUES.md5, uuid: 'b' })] })] });
    expect(eventToStix(input, { now })).toEqual(eventToStix(JSON.parse(JSON.stringify(input)), { now }));
    expect(eventToStixObjects(input.Event, { now })).toEqual(eventToStix(input, { now }).objects);
  });

  it('writes a valid bundle for every sample type, as indicator and as observed data', () => {
    for (const toIds of [true, false]) {
      const objects = exportValid(anEvent({ Attribute: Object.entries(SAMPLE_VALUES).map(([type, value]) => anAttribute({ type, value, to_ids: toIds, category: undefined })) }));
      expect(objects.length).toBeGreaterThan(Object.keys(SAMPLE_VALUES).length);
    }
  });

  it.each([
    ['ip-src', '2001:db8::1', "[ipv6-addr:value = '2001:db8::1']"],
    ['ip-dst', '10.0.0.0/8', "[ipv4-addr:value ISSUBSET '10.0.0.0/8']"],
    ['domain|ip', 'a.example|198.51.100.7', "[domain-name:value = 'a.example' AND domain-name:resolves_to_refs[*].value = '198.51.100.7']"],
    ['ip-dst|port', '198.51.100.7|8080', "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 8080]"],
    ['filename|sha256', `a.exe|${'ab'.repeat(32)}`, `[file:name = 'a.exe' AND file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`],
    ['sha1', 'ab'.repeat(20), `[file:hashes.'SHA-1' = '${'ab'.repeat(20)}']`],
    ['AS', 'AS174', '[autonomous-system:number = 174]'],
    ['regkey|value', 'HKLM\\Run|x', "[windows-registry-key:key = 'HKLM\\\\Run' AND windows-registry-key:values[*].data = 'x']"],
    ['email-src', "o'neil@example.com", "[email-message:from_ref.value = 'o\\'neil@example.com']"],
    ['user-agent', 'UA', "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'UA']"],
    ['x509-fingerprint-sha256', 'ab'.repeat(32), `[x509-certificate:hashes.'SHA-256' = '${'ab'.repeat(32)}']`],
    ['mutex', 'm', "[mutex:name = 'm']"],
    ['mac-address', '00:0a:95:9d:68:16', "[mac-addr:value = '00:0a:95:9d:68:16']"],
  ])('%s → pattern %s', (type, value, pattern) => {
    const objects = exportValid(anEvent({ Attribute: [anAttribute({ type, value, category: undefined })] }));
    expect(byType(objects, 'indicator')[0]?.pattern).toBe(pattern);
  });

  it('writes observed data with linked observables when to_ids is off', () => {
    const a = anAttribute({ type: 'domain|ip', value: 'a.example|198.51.100.7', to_ids: false });
    const objects = exportValid(anEvent({ Attribute: [a] }));
    const observed = byType(objects, 'observed-data')[0];
    expect(observed?.object_refs).toEqual([`domain-name--${String(a.uuid)}`, `ipv4-addr--${String(a.uuid)}`]);
    expect(byType(objects, 'domain-name')[0]).toMatchObject({ value: 'a.example', resolves_to_refs: [`ipv4-addr--${String(a.uuid)}`] });
  });

  it('keeps values no observable can hold in x-misp-attribute', () => {
    const objects = exportValid(anEvent({ Attribute: [
      anAttribute({ type: 'btc', value: '1Boat', to_ids: true, category: 'Financial fraud' }),
      anAttribute({ type: 'url', value: 'not a uri', to_ids: false }),
      anAttribute({ type: 'regkey', value: 'HKLM\\Software', to_ids: false }),
    ] }));
    expect(byType(objects, 'x-misp-attribute').map((o) => [o.x_misp_type, o.x_misp_value, o.x_misp_to_ids])).toEqual([
      ['btc', '1Boat', true], ['url', 'not a uri', false], ['regkey', 'HKLM\\Software', false],
    ]);
  });

  it('maps galaxies by type, with ATT&CK ids and uses/indicates relationships', () => {
    const a = anAttribute({ Tag: [{ name: 'misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"' }] });
    const objects = exportValid(anEvent({
      Attribute: [a],
      Tag: [{ name: 'misp-galaxy:threat-actor="APT28"' }, { name: 'misp-galaxy:malpedia="Emotet"' }, { name: 'misp-galaxy:mitre-tool="Mimikatz"' }, { name: 'misp-galaxy:mitre-intrusion-set="APT29"' }, { name: 'misp-galaxy:country="france"' }],
      Galaxy: [{ type: 'threat-actor', name: 'Threat Actor', GalaxyCluster: [{ uuid: '7cdff317-a673-4474-84ec-4f1754947823', type: 'threat-actor', value: 'APT28', tag_name: 'misp-galaxy:threat-actor="APT28"', description: 'd', meta: { synonyms: ['Sofacy'] } }] }],
    }));
    expect(byType(objects, 'threat-actor')[0]).toMatchObject({ id: 'threat-actor--7cdff317-a673-4474-84ec-4f1754947823', name: 'APT28', aliases: ['Sofacy'] });
    expect(byType(objects, 'malware')[0]).toMatchObject({ name: 'Emotet', is_family: true });
    expect(byType(objects, 'tool')[0]).toMatchObject({ name: 'Mimikatz' });
    expect(byType(objects, 'intrusion-set')[0]).toMatchObject({ name: 'APT29' });
    expect(byType(objects, 'x-misp-galaxy-cluster')[0]).toMatchObject({ name: 'france', labels: ['misp:galaxy-type="country"', 'misp:galaxy-name="country"'] });
    const pattern = byType(objects, 'attack-pattern')[0];
    expect(pattern?.external_references).toEqual([{ source_name: 'mitre-attack', external_id: 'T1566.001', url: 'https://attack.mitre.org/techniques/T1566/001' }]);
    const rels = byType(objects, 'relationship').map((r) => [r.relationship_type, String(r.source_ref).split('--')[0], String(r.target_ref).split('--')[0]]);
    expect(rels).toEqual(expect.arrayContaining([['uses', 'threat-actor', 'malware'], ['uses', 'intrusion-set', 'tool'], ['indicates', 'indicator', 'attack-pattern']]));
  });

  it('writes objects as one indicator with a combined pattern, and references as relationships', () => {
    const file = anObject({ Attribute: [
      anAttribute({ type: 'filename', value: 'a.exe', object_relation: 'filename' }),
      anAttribute({ type: 'md5', value: SAMPLE_VALUES.md5, object_relation: 'md5' }),
      anAttribute({ type: 'ip-dst', value: '198.51.100.7', object_relation: 'ip', to_ids: false }),
    ] });
    const url = anObject({ name: 'url', 'meta-category': 'network', Attribute: [anAttribute({ type: 'url', value: 'https://a.example/', object_relation: 'url', to_ids: false })] });
    const custom = anObject({ name: 'my-template', Attribute: [anAttribute({ type: 'text', value: 'x', object_relation: 'note', to_ids: false })] });
    (file.ObjectReference as unknown[]).push({ uuid: '5a3c2fda-1111-4111-8111-0000000000aa', object_uuid: file.uuid, referenced_uuid: url.uuid, relationship_type: 'Drops File', comment: '' });
    const objects = exportValid(anEvent({ Object: [file, url, custom] }));
    expect(byType(objects, 'indicator')[0]?.pattern).toBe(`[file:name = 'a.exe' AND file:hashes.MD5 = '${SAMPLE_VALUES.md5}'] AND [ipv4-addr:value = '198.51.100.7']`);
    expect(byType(objects, 'observed-data')[0]?.object_refs).toEqual([`url--${String(url.uuid)}`]);
    expect(byType(objects, 'x-misp-object')[0]).toMatchObject({ x_misp_name: 'my-template', x_misp_attributes: [expect.objectContaining({ type: 'text', value: 'x', object_relation: 'note' })] });
    expect(byType(objects, 'relationship')[0]).toMatchObject({
      relationship_type: 'drops-file', x_misp_relationship_type: 'Drops File', source_ref: `indicator--${String(file.uuid)}`, target_ref: `observed-data--${String(url.uuid)}`,
    });
  });

  it('writes sightings and false positives', () => {
    const a = anAttribute({ Sighting: [{ type: '0', date_sighting: '1709300000', uuid: '5a3c2fda-2222-4222-8222-00000000000a' }, { type: '1', date_sighting: '1709300001', uuid: '5a3c2fda-2222-4222-8222-00000000000b' }] });
    const objects = exportValid(anEvent({ Attribute: [a] }));
    expect(byType(objects, 'sighting')[0]).toMatchObject({ sighting_of_ref: `indicator--${String(a.uuid)}`, first_seen: '2024-03-01T13:33:20.000Z', count: 1 });
    expect(byType(objects, 'opinion')[0]).toMatchObject({ opinion: 'strongly-disagree', object_refs: [`indicator--${String(a.uuid)}`] });
  });

  it('derives ids for MISP uuids STIX cannot use, and an empty event still gets a valid report', () => {
    const objects = exportValid({ info: 'bare', Attribute: [{ type: 'domain', value: 'x.example', uuid: 'not-a-uuid' }] });
    expect(byType(objects, 'observed-data')[0]).toMatchObject({ x_misp_uuid: 'not-a-uuid' });
    const empty = exportValid({});
    expect(empty.map((o) => o.type)).toEqual(['report', 'note']);
  });

  describe('event reports', () => {
    const report = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
      id: '3', uuid: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6', event_id: '1', name: 'Initial analysis', content: '# Analysis', distribution: '5',
      sharing_group_id: '0', timestamp: '1700000000', deleted: false, ...overrides,
    });

    it('become notes that refer to the report and to the attributes/objects the Markdown names', () => {
      const a = anAttribute();
      const inner = anAttribute({ type: 'md5', value: SAMPLE_VALUES.md5 });
      const file = anObject({ Attribute: [inner] });
      const content = `# C2\nSee @[attribute](${String(a.uuid)}) and @[object](${String(file.uuid)}), again @[attribute](${String(a.uuid)}), ` +
        `@[attribute](${String(inner.uuid)}), @[attribute](11111111-2222-4333-8444-555555555555), @[tag](tlp:white) and @[galaxymatrix](x).`;
      const input = anEvent({ uuid: '8f5b0c1d-2e3f-4a5b-9c6d-7e8f90a1b2c3', Attribute: [a], Object: [file], EventReport: [report({ content })] });
      const objects = exportValid(input);
      const notes = byType(objects, 'note');
      expect(notes).toHaveLength(1);
      expect(notes[0]).toEqual({
        type: 'note', spec_version: '2.1', id: 'note--7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6', created_by_ref: 'identity--55f6ea5e-2c60-40e5-964f-47a8950d210f',
        created: '2023-11-14T22:13:20.000Z', modified: '2023-11-14T22:13:20.000Z', abstract: 'Initial analysis', content,
        // The object's attribute is the object's indicator, listed once; unknown uuids, tags and matrices are left out.
        object_refs: ['report--8f5b0c1d-2e3f-4a5b-9c6d-7e8f90a1b2c3', `indicator--${String(a.uuid)}`, `indicator--${String(file.uuid)}`],
        labels: ['misp:data-layer="Event Report"'], x_misp_name: 'Initial analysis', x_misp_distribution: '5',
      });
      expect(byType(objects, 'report')[0]?.object_refs).toContain('note--7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6');
    });

    it('leave deleted reports out, derive ids for unusable uuids, and need no empty-event note', () => {
      const objects = exportValid(anEvent({ timestamp: '1709290000', EventReport: [
        report({ deleted: true, uuid: '7d1e2f3a-4b5c-4d6e-8f70-000000000001' }),
        report({ uuid: 'r1', name: 'Second', content: '', timestamp: undefined, deleted: '0' }),
      ] }));
      expect(objects.map((o) => o.type)).toEqual(['identity', 'report', 'note']);
      const note = byType(objects, 'note')[0];
      expect(note).toMatchObject({ abstract: 'Second', content: '', x_misp_uuid: 'r1', created: '2024-03-01T10:46:40.000Z', labels: ['misp:data-layer="Event Report"'] });
      expect(note?.id).not.toContain('r1');
      const derived = (): unknown => eventToStix(anEvent({ uuid: '8f5b0c1d-2e3f-4a5b-9c6d-7e8f90a1b2c3', EventReport: [report({ uuid: 'r1' })] }), { now }).objects.find((o) => o.type === 'note')?.id;
      expect(derived()).toMatch(/^note--[0-9a-f-]{36}$/);
      expect(derived()).toBe(derived());
      expect(byType(exportValid(anEvent({ EventReport: [report({ deleted: true })] })), 'note')[0]?.labels).toEqual(['misp:empty-event']);
    });
  });

  describe('rejects malformed events with InputError and exports nothing', () => {
    it.each([
      ['not an object', 'text', /must be a JSON object/],
      ['null', null, /must be a JSON object/],
      ['an array', [], /must be a JSON object/],
      ['Event not an object', { Event: 'x' }, /Event must be an object/],
      ['Attribute not an array', { info: 'x', Attribute: {} }, /event\.Attribute must be an array/],
      ['attribute not an object', { info: 'x', Attribute: [1] }, /event\.Attribute\[0\] must be an object/],
      ['attribute without type', { Event: { Attribute: [{ value: 'x' }] } }, /Event\.Attribute\[0\]\.type is required/],
      ['attribute without value', { info: 'x', Attribute: [{ type: 'domain' }] }, /event\.Attribute\[0\]\.value is required/],
      ['attribute value not text', { info: 'x', Attribute: [{ type: 'domain', value: { a: 1 } }] }, /value must be a string/],
      ['bad to_ids', { info: 'x', Attribute: [{ type: 'domain', value: 'a', to_ids: 'maybe' }] }, /to_ids must be a boolean/],
      ['tag without name', { info: 'x', Tag: [{ colour: '#fff' }] }, /event\.Tag\[0\]\.name is required/],
      ['object without name', { info: 'x', Object: [{ Attribute: [] }] }, /event\.Object\[0\]\.name is required/],
      ['reference without target', { info: 'x', Object: [{ name: 'file', ObjectReference: [{ relationship_type: 'x' }] }] }, /referenced_uuid is required/],
      ['Galaxy not an array', { info: 'x', Galaxy: 'x' }, /event\.Galaxy must be an array/],
      ['Orgc not an object', { info: 'x', Orgc: 'CIRCL' }, /event\.Orgc must be an object/],
      ['EventReport not an array', { info: 'x', EventReport: { name: 'r' } }, /event\.EventReport must be an array/],
      ['event report not an object', { info: 'x', EventReport: ['# text'] }, /event\.EventReport\[0\] must be an object/],
      ['event report without name', { Event: { EventReport: [{ content: '# text' }] } }, /Event\.EventReport\[0\]\.name is required/],
      ['event report with an empty name', { info: 'x', EventReport: [{ name: ' ', content: '' }] }, /event\.EventReport\[0\]\.name is required/],
      ['event report without content', { info: 'x', EventReport: [{ name: 'r' }] }, /event\.EventReport\[0\]\.content is required/],
      ['event report content not text', { info: 'x', EventReport: [{ name: 'r', content: 5 }] }, /event\.EventReport\[0\]\.content must be a string, got a number/],
      ['event report name not text', { info: 'x', EventReport: [{ name: ['r'], content: '' }] }, /event\.EventReport\[0\]\.name must be a string/],
      ['event report with a bad deleted flag', { info: 'x', EventReport: [{ name: 'r', content: '', deleted: 'maybe' }] }, /event\.EventReport\[0\]\.deleted must be a boolean/],
    ])('%s', (_name, input, message) => {
      expect(() => eventToStix(input)).toThrow(InputError);
      expect(() => eventToStixObjects(input)).toThrow(message);
    });
  });
});
