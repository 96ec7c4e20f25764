import { InputError } from '@waggle/errors';
import { describe, expect, it } from 'vitest';
import { stixToEvents } from './stix-to-events.js';

const BUNDLE = 'bundle--6b0f1f2e-3d4c-4b5a-8a9b-0c1d2e3f4a5b';
const T = '2024-03-01T10:00:00.000Z';
const uuid = (n: number): string => `5a3c2fda-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function indicator(n: number, pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(n)}`, created: T, modified: T, pattern, pattern_type: 'stix', valid_from: T, ...extra };
}

function bundle(objects: unknown[]): Record<string, unknown> {
  return { type: 'bundle', id: BUNDLE, objects };
}

function report(n: number, refs: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'report', spec_version: '2.1', id: `report--${uuid(n)}`, created: T, modified: T, name: `report ${n}`, published: T, object_refs: refs, ...extra };
}

describe('stixToEvents', () => {
  it('reads foreign patterns: types from the STIX form, OR alternatives, composites', () => {
    const { events, warnings } = stixToEvents(bundle([
      report(1, [`indicator--${uuid(2)}`, `indicator--${uuid(3)}`, `indicator--${uuid(4)}`], { labels: ['malicious-activity'], object_marking_refs: ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'] }),
      indicator(2, "[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '198.51.100.2']", { description: 'c2' }),
      indicator(3, "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:name = 'a.exe']"),
      indicator(4, "[url:value = 'https://a.example/x']"),
    ]));
    expect(warnings).toEqual([]);
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e).toMatchObject({ uuid: uuid(1), info: 'report 1', published: true, Tag: [{ name: 'malicious-activity' }, { name: 'tlp:red' }] });
    expect(e?.Attribute.map((a) => [a.type, a.value, a.to_ids, a.category, a.comment])).toEqual([
      ['ip-dst', '198.51.100.1', true, 'Network activity', 'c2'],
      ['ip-dst', '198.51.100.2', true, 'Network activity', 'c2'],
      ['filename|md5', 'a.exe|d41d8cd98f00b204e9800998ecf8427e', true, 'Payload delivery', ''],
      ['url', 'https://a.example/x', true, 'Network activity', ''],
    ]);
    expect(e?.Attribute[0]?.uuid).toBe(uuid(2));
    expect(e?.Attribute[1]?.uuid).not.toBe(uuid(2));
  });

  it('keeps patterns it cannot map as stix2-pattern attributes, with a warning', () => {
    const patterns = ["[file:size > 5]", "[process:name = 'a']", "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']", '[broken'];
    const { events, warnings } = stixToEvents(bundle(patterns.map((p, i) => indicator(i + 10, p))));
    expect(events[0]?.Attribute.map((a) => [a.type, a.value])).toEqual(patterns.map((p) => ['stix2-pattern', p]));
    expect(warnings.map((w) => w.code)).toEqual(['pattern_kept_verbatim', 'pattern_kept_verbatim', 'pattern_kept_verbatim', 'pattern_kept_verbatim']);
  });

  it('puts objects no report refers to in one extra event named after the bundle', () => {
    const input = bundle([report(1, [`indicator--${uuid(2)}`]), indicator(2, "[domain-name:value = 'a.example']"), indicator(3, "[domain-name:value = 'b.example']")]);
    const { events } = stixToEvents(input);
    expect(events.map((e) => [e.info, e.Attribute.map((a) => a.value)])).toEqual([['report 1', ['a.example']], [`STIX bundle ${BUNDLE}`, ['b.example']]]);
    expect(stixToEvents(input).events[1]?.uuid).toBe(events[1]?.uuid);
    expect(stixToEvents(input, { orphanEventInfo: 'feed' }).events[1]?.info).toBe('feed');
  });

  it('reads observed data with its observables, and foreign galaxies', () => {
    const { events, warnings } = stixToEvents(bundle([
      { type: 'observed-data', spec_version: '2.1', id: `observed-data--${uuid(1)}`, created: T, modified: T, first_observed: T, last_observed: T, number_observed: 1, object_refs: [`network-traffic--${uuid(2)}`, `ipv4-addr--${uuid(3)}`] },
      { type: 'network-traffic', spec_version: '2.1', id: `network-traffic--${uuid(2)}`, dst_ref: `ipv4-addr--${uuid(3)}`, dst_port: 8080, protocols: ['tcp'] },
      { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuid(3)}`, value: '198.51.100.9' },
      { type: 'attack-pattern', spec_version: '2.1', id: `attack-pattern--${uuid(4)}`, created: T, modified: T, name: 'Phishing', external_references: [{ source_name: 'mitre-attack', external_id: 'T1566' }] },
    ]));
    expect(warnings).toEqual([]);
    expect(events[0]?.Attribute.map((a) => [a.type, a.value, a.to_ids])).toEqual([['ip-dst|port', '198.51.100.9|8080', false]]);
    expect(events[0]?.Tag).toEqual([{ name: 'misp-galaxy:mitre-attack-pattern="Phishing"' }]);
    expect(events[0]?.Galaxy[0]?.GalaxyCluster[0]).toMatchObject({ value: 'Phishing', meta: { external_id: ['T1566'] } });
  });

  it('warns about unknown types, missing references and broken custom objects instead of failing', () => {
    const { events, warnings } = stixToEvents(bundle([
      report(1, [`x-acme-thing--${uuid(2)}`, `indicator--${uuid(9)}`, `x-misp-attribute--${uuid(3)}`, `infrastructure--${uuid(4)}`, `indicator--${uuid(5)}`]),
      { type: 'x-acme-thing', id: `x-acme-thing--${uuid(2)}` },
      { type: 'x-misp-attribute', id: `x-misp-attribute--${uuid(3)}`, x_misp_type: 'text' },
      { type: 'infrastructure', id: `infrastructure--${uuid(4)}`, name: 'c2' },
      { type: 'indicator', id: `indicator--${uuid(5)}` },
    ]));
    expect(events).toHaveLength(1);
    expect(warnings.map((w) => [w.code, w.objectId])).toEqual([
      ['missing_reference', `report--${uuid(1)}`],
      ['unsupported_type', `x-acme-thing--${uuid(2)}`],
      ['invalid_object', `x-misp-attribute--${uuid(3)}`],
      ['unsupported_type', `infrastructure--${uuid(4)}`],
      ['invalid_object', `indicator--${uuid(5)}`],
    ]);
  });

  it('restores x-misp custom objects exactly', () => {
    const { events } = stixToEvents(bundle([
      { type: 'x-misp-attribute', spec_version: '2.1', id: `x-misp-attribute--${uuid(1)}`, created: T, modified: T, x_misp_type: 'btc', x_misp_category: 'Financial fraud', x_misp_value: '1Boat', x_misp_to_ids: true, x_misp_comment: 'wallet', labels: ['misp:type="btc"', 'money'] },
    ]));
    expect(events[0]?.Attribute[0]).toEqual({ uuid: uuid(1), type: 'btc', category: 'Financial fraud', value: '1Boat', to_ids: true, comment: 'wallet', timestamp: '1709287200', Tag: [{ name: 'money' }] });
  });

  describe('notes', () => {
    const LABEL = 'misp:data-layer="Event Report"';
    const note = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      type: 'note', spec_version: '2.1', id: `note--${uuid(n)}`, created: T, modified: '2024-03-02T00:00:00.000Z', content: `# Note ${n}`, object_refs: [`report--${uuid(1)}`], ...extra,
    });

    it('turn event-report notes into EventReport entries and leave other notes out', () => {
      const { events, warnings } = stixToEvents(bundle([
        report(1, [`indicator--${uuid(2)}`, `note--${uuid(3)}`, `note--${uuid(4)}`, `note--${uuid(5)}`, `note--${uuid(6)}`, `note--${uuid(7)}`]),
        indicator(2, "[domain-name:value = 'a.example']"),
        note(3, { abstract: 'From abstract', x_misp_name: 'ignored', labels: [LABEL], x_misp_distribution: '1' }),
        note(4, { x_misp_name: 'From x_misp_name', labels: [LABEL, 'other'] }),
        note(5, { abstract: ' ', labels: [LABEL] }),
        note(6, { abstract: 'analyst comment' }),
        note(7, { content: 'empty', labels: ['misp:empty-event'] }),
      ]));
      expect(warnings).toEqual([]);
      expect(events).toHaveLength(1);
      expect(events[0]?.Attribute.map((a) => a.value)).toEqual(['a.example']);
      expect(events[0]?.EventReport).toEqual([
        { uuid: uuid(3), name: 'From abstract', content: '# Note 3', distribution: '1', timestamp: '1709337600', deleted: false },
        { uuid: uuid(4), name: 'From x_misp_name', content: '# Note 4', distribution: '5', timestamp: '1709337600', deleted: false },
        { uuid: uuid(5), name: 'STIX note', content: '# Note 5', distribution: '5', timestamp: '1709337600', deleted: false },
      ]);
    });

    it('take a report note the report does not list, keep orphan notes, warn about notes without content', () => {
      const { events, warnings } = stixToEvents(bundle([
        report(1, [`indicator--${uuid(2)}`]),
        indicator(2, "[domain-name:value = 'a.example']"),
        note(3, { abstract: 'misp-stix style', labels: [LABEL] }),
        note(4, { abstract: 'orphan', labels: [LABEL], object_refs: [`indicator--${uuid(9)}`] }),
        { ...note(5, { labels: [LABEL] }), content: 42 },
      ]));
      expect(events.map((e) => [e.info, e.EventReport?.map((r) => r.name)])).toEqual([['report 1', ['misp-stix style']], [`STIX bundle ${BUNDLE}`, ['orphan']]]);
      expect(warnings.map((w) => [w.code, w.objectId])).toEqual([['invalid_object', `note--${uuid(5)}`]]);
    });

    it('give events without notes no EventReport member', () => {
      const { events } = stixToEvents(bundle([report(1, [`indicator--${uuid(2)}`]), indicator(2, "[domain-name:value = 'a.example']")]));
      expect(events[0]).not.toHaveProperty('EventReport');
    });
  });

  describe('rejects what is not a bundle with InputError', () => {
    it.each([
      ['a string', 'bundle', /must be a JSON object/],
      ['an array', [], /must be a JSON object/],
      ['wrong type', { type: 'report', id: BUNDLE }, /type must be "bundle"/],
      ['no id', { type: 'bundle' }, /bundle id must be "bundle--<uuid>"/],
      ['bad id', { type: 'bundle', id: 'bundle--123' }, /bundle id/],
      ['objects not an array', { type: 'bundle', id: BUNDLE, objects: {} }, /objects must be an array/],
      ['object not an object', bundle(['x']), /objects\[0\] must be an object/],
      ['object without type', bundle([{ id: `indicator--${uuid(1)}` }]), /objects\[0\] has no type/],
      ['object without id', bundle([{ type: 'indicator' }]), /objects\[0\] \(indicator\) has no id/],
      ['object with a bad id', bundle([{ type: 'indicator', id: 'indicator--xyz' }]), /is not a STIX identifier/],
      ['id of another type', bundle([{ type: 'indicator', id: `malware--${uuid(1)}` }]), /does not match its type/],
    ])('%s', (_name, input, message) => {
      expect(() => stixToEvents(input)).toThrow(InputError);
      expect(() => stixToEvents(input)).toThrow(message);
    });
  });
});
