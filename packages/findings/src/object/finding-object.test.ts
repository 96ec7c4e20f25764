import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import type { ObjectTemplate } from '@waggle/misp';
import type { Finding } from '../finding.js';
import { findFindings, type FindingProblem } from './find-findings.js';
import { findingToObject } from './finding-to-object.js';
import { objectToFinding, readFindingObject } from './object-to-finding.js';
import { securityEventTemplate } from './security-event-template.js';
import { aFinding } from './test-support/a-finding.js';

const relations = (o: { Attribute: readonly { object_relation: string; value: string }[] }): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const a of o.Attribute) (out[a.object_relation] ??= []).push(a.value);
  return out;
};

function expectInputError(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect((caught as Error).message).toMatch(pattern);
}

describe('findingToObject', () => {
  it('builds a security-event object from the shipped template', () => {
    const t = securityEventTemplate();
    const o = findingToObject(aFinding({ verified: false }), { uuid: '9f0c6f7e-2a0b-4f59-9a59-0c3f7e1b2d11', detector: 'suricata' });
    expect(o).toMatchObject({ name: 'security-event', 'meta-category': 'network', template_uuid: t.uuid, template_version: String(t.version), uuid: '9f0c6f7e-2a0b-4f59-9a59-0c3f7e1b2d11' });
    expect(relations(o)).toEqual({
      'src-ip': ['203.0.113.7'],
      'src-port': ['51234'],
      'dst-ip': ['192.0.2.10'],
      'dst-port': ['22'],
      protocol: ['tcp'],
      'first-seen': ['2026-12-02T10:00:00.000Z'],
      'last-seen': ['2026-12-02T10:04:30.000Z'],
      signature: ['ET SCAN Potential SSH Scan'],
      'signature-id': ['2001219'],
      detector: ['suricata'],
      'flow-count': ['240'],
      'attack-type': ['{"suricata":{"version":"7.0.8","reference":"sid:2001219","attacks":[{"attack_type":"ssh-brute-force","confidence":0.8}]}}'],
      confidence: ['0.8'],
      verified: ['0'],
    });
    const toIds = o.Attribute.filter((a) => a.to_ids === true).map((a) => a.object_relation);
    expect(toIds).toEqual(['src-ip']);
    expect(o.Attribute.find((a) => a.object_relation === 'src-ip')?.category).toBe('Network activity');
    expect(o.Attribute.find((a) => a.object_relation === 'verified')?.type).toBe('boolean');
  });

  it('attaches the pcap as base64 data', () => {
    const o = findingToObject(aFinding({ pcap: { filename: 'flow.pcap', base64: Buffer.from('pcap bytes').toString('base64') } }));
    const pcap = o.Attribute.find((a) => a.object_relation === 'pcap');
    expect(pcap).toMatchObject({ type: 'attachment', value: 'flow.pcap', data: 'cGNhcCBieXRlcw==' });
  });

  it('keeps only the first destination port when the template has a single dst-port', () => {
    const base = securityEventTemplate();
    const single: ObjectTemplate = { ...base, attributes: { ...base.attributes, 'dst-port': { ...(base.attributes['dst-port'] as ObjectTemplate['attributes'][string]), multiple: false } } };
    const { dstPort: _dstPort, ...rest } = aFinding();
    const o = findingToObject({ ...rest, dstPorts: [23, 2323, 23] }, { template: single });
    expect(relations(o)['dst-port']).toEqual(['23']);
  });

  it('keeps every destination port when the template allows several', () => {
    const base = securityEventTemplate();
    const multi: ObjectTemplate = { ...base, attributes: { ...base.attributes, 'dst-port': { ...(base.attributes['dst-port'] as ObjectTemplate['attributes'][string]), multiple: true } } };
    const f = aFinding({ dstPort: 22, dstPorts: [22, 23, 2222] });
    const o = findingToObject(f, { template: multi });
    expect(relations(o)['dst-port']).toEqual(['22', '23', '2222']);
    expect(objectToFinding(o)).toEqual(f);
  });

  it.each<[string, Partial<Finding>, RegExp]>([
    ['a bad source IP', { srcIp: '300.1.1.1' }, /finding\.srcIp/],
    ['a bad destination IP', { dstIp: 'example.org' }, /finding\.dstIp/],
    ['port 0', { srcPort: 0 }, /srcPort must be an integer port/],
    ['a fractional port', { dstPort: 22.5 }, /dstPort must be an integer port/],
    ['a bad port list entry', { dstPorts: [22, 70000] }, /dstPorts\[1\]/],
    ['an unknown protocol', { protocol: 'http' as Finding['protocol'] }, /protocol must be one of/],
    ['an unparsable time', { firstSeen: 'yesterday' }, /firstSeen must be an ISO 8601 time/],
    ['first after last', { firstSeen: '2026-12-03T00:00:00Z' }, /firstSeen is after/],
    ['a zero count', { count: 0 }, /count must be a positive integer/],
    ['a bad attack record', { attackType: { s: { version: '1', attacks: [{ attack_type: 'x', confidence: 3 }] } } }, /confidence must be a number/],
    ['an empty signature', { signature: ' ' }, /signature must be a non-empty string/],
    ['a non-boolean verdict', { verified: 'yes' as unknown as boolean }, /verified must be a boolean/],
    ['a bad pcap', { pcap: { filename: 'x.pcap', base64: 'not base64!' } }, /pcap\.base64/],
  ])('rejects %s', (_label, overrides, pattern) => {
    expectInputError(() => findingToObject(aFinding(overrides)), pattern);
  });

  it('rejects a bad uuid or detector name', () => {
    expectInputError(() => findingToObject(aFinding(), { uuid: 'nope' }), /uuid must be a UUID/);
    expectInputError(() => findingToObject(aFinding(), { detector: 'a b' }), /detector name/);
  });
});

describe('objectToFinding', () => {
  it('round-trips a full finding', () => {
    const f = aFinding({ verified: true, pcap: { filename: 'f.pcap', base64: 'AAEC' } });
    expect(objectToFinding(findingToObject(f))).toEqual(f);
  });

  it('round-trips a minimal finding (no ports, signature or verdict)', () => {
    const f: Finding = { srcIp: '2001:db8::1', dstIp: '2001:db8::2', protocol: 'icmpv6', firstSeen: '2026-12-02T10:00:00.000Z', lastSeen: '2026-12-02T10:00:00.000Z', count: 1, attackType: { m: { version: '1', attacks: [{ attack_type: 'ping-sweep', confidence: 0.3 }] } } };
    expect(objectToFinding(findingToObject(f))).toEqual(f);
  });

  it('reads server-style values: wrapped object, MISP datetimes, deleted attributes, ids', () => {
    const o = findingToObject(aFinding());
    const server = {
      Object: {
        ...o,
        id: '7',
        event_id: '3',
        uuid: '9f0c6f7e-2a0b-4f59-9a59-0c3f7e1b2d11',
        Attribute: [
          ...o.Attribute.map((a, i) => (a.object_relation === 'first-seen' ? { ...a, id: String(i), value: '2026-12-02T10:00:00.000000+0000' } : { ...a, id: String(i) })),
          { object_relation: 'src-ip', type: 'ip-src', value: '198.51.100.1', deleted: true },
        ],
      },
    };
    const read = readFindingObject(server);
    expect(read.finding).toEqual(aFinding());
    expect(read).toMatchObject({ objectId: '7', eventId: '3', objectUuid: '9f0c6f7e-2a0b-4f59-9a59-0c3f7e1b2d11' });
    expect(read.attributes.get('attack-type')?.[0]?.id).toBeDefined();
  });

  it.each<[string, (o: Record<string, unknown>) => unknown, RegExp]>([
    ['a non-object', () => 'x', /must be a JSON object/],
    ['another template', (o) => ({ ...o, name: 'cowrie' }), /not a security-event/],
    ['no attribute list', (o) => ({ ...o, Attribute: 5 }), /no Attribute list/],
    ['a missing src-ip', (o) => ({ ...o, Attribute: (o.Attribute as { object_relation: string }[]).filter((a) => a.object_relation !== 'src-ip') }), /lacks src-ip/],
    ['a missing attack-type', (o) => ({ ...o, Attribute: (o.Attribute as { object_relation: string }[]).filter((a) => a.object_relation !== 'attack-type') }), /lacks attack-type/],
    ['a bad attack-type', (o) => ({ ...o, Attribute: (o.Attribute as { object_relation: string }[]).map((a) => (a.object_relation === 'attack-type' ? { ...a, value: '{' } : a)) }), /not valid JSON/],
    ['a bad flow-count', (o) => ({ ...o, Attribute: (o.Attribute as { object_relation: string }[]).map((a) => (a.object_relation === 'flow-count' ? { ...a, value: '-1' } : a)) }), /flow-count is not a positive integer/],
    ['a bad port', (o) => ({ ...o, Attribute: (o.Attribute as { object_relation: string }[]).map((a) => (a.object_relation === 'dst-port' ? { ...a, value: 'ssh' } : a)) }), /dst-port is not a port/],
    ['a bad time', (o) => ({ ...o, Attribute: (o.Attribute as { object_relation: string }[]).map((a) => (a.object_relation === 'last-seen' ? { ...a, value: 'later' } : a)) }), /last-seen is missing or not a time/],
    ['a bad protocol', (o) => ({ ...o, Attribute: (o.Attribute as { object_relation: string }[]).map((a) => (a.object_relation === 'protocol' ? { ...a, value: 'HTTP' } : a)) }), /protocol "HTTP" is not one of/],
    ['an attribute without relation', (o) => ({ ...o, Attribute: [{ value: 'x' }] }), /object_relation is missing/],
  ])('rejects %s', (_label, mutate, pattern) => {
    const o = findingToObject(aFinding()) as unknown as Record<string, unknown>;
    expectInputError(() => objectToFinding(mutate(o)), pattern);
  });
});

describe('findFindings', () => {
  it('lists the live security-event objects of an event and reports bad ones', () => {
    const good = { ...findingToObject(aFinding(), { uuid: '11111111-1111-4111-8111-111111111111' }) };
    const bad = { ...good, uuid: '22222222-2222-4222-8222-222222222222', Attribute: good.Attribute.filter((a) => a.object_relation !== 'dst-ip') };
    const gone = { ...good, uuid: '33333333-3333-4333-8333-333333333333', deleted: true };
    const other = { name: 'cowrie', Attribute: [] };
    const problems: FindingProblem[] = [];
    const found = findFindings({ Event: { id: '12', Object: [good, bad, gone, other] } }, { onProblem: (p) => problems.push(p) });
    expect(found.map((f) => [f.objectUuid, f.eventId])).toEqual([['11111111-1111-4111-8111-111111111111', '12']]);
    expect(problems).toEqual([{ objectUuid: '22222222-2222-4222-8222-222222222222', message: 'security-event object lacks dst-ip' }]);
  });

  it('accepts a bare event without objects and rejects non-events', () => {
    expect(findFindings({ id: '1' })).toEqual([]);
    expectInputError(() => findFindings('x'), /must be a JSON object/);
    expectInputError(() => findFindings({ Event: { Object: {} } }), /Event\.Object must be a list/);
  });
});
