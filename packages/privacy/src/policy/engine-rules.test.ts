import { describe, expect, it } from 'vitest';
import { createAnonymizer } from './anonymize-event.js';
import { parsePolicy } from './parse-policy.js';
import { keysWithCommunity } from './test-support/realistic-event.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const now = (): Date => new Date('2026-03-05T12:00:00Z');

function run(policyText: string, event: J, recipient: Parameters<ReturnType<typeof createAnonymizer>['anonymizeEvent']>[2] = 'r') {
  const policy = parsePolicy(`version: 1\nname: t\nkeys: { k: community }\nrecipients:\n${policyText}`);
  const out = createAnonymizer({ keys: keysWithCommunity(), now }).anonymizeEvent({ Event: event }, policy, recipient);
  return { event: (out.event as J).Event as J, report: out.report };
}

let n = 0;
const a = (type: string, value: string, extra: J = {}): J => ({ uuid: `a-${++n}`, type, category: 'Network activity', value, ...extra });
const valueOf = (event: J, uuid: string): unknown => [...(event.Attribute ?? []), ...(event.Object ?? []).flatMap((o: J) => o.Attribute)].find((x: J) => x.uuid === uuid)?.value;

describe('rules', () => {
  it('first matching rule wins', () => {
    const ip = a('ip-dst', '10.1.2.3');
    const first = run('  - name: r\n    default: keep\n    rules:\n      - match: { type: [ip-dst] }\n        action: { technique: truncate, prefix: 8 }\n      - match: { value: { internal_ip: true } }\n        action: suppress\n', { Attribute: [ip] });
    expect(valueOf(first.event, ip.uuid)).toBe('10.0.0.0');
    const swapped = run('  - name: r\n    default: keep\n    rules:\n      - match: { value: { internal_ip: true } }\n        action: suppress\n      - match: { type: [ip-dst] }\n        action: { technique: truncate, prefix: 8 }\n', { Attribute: [ip] });
    expect(valueOf(swapped.event, ip.uuid)).toBeUndefined();
  });

  it('applies the recipient default to attributes no rule matches', () => {
    const keep = run('  - name: r\n    default: keep\n', { Attribute: [a('domain', 'x.example')] });
    const drop = run('  - name: r\n    default: suppress\n', { Attribute: [a('domain', 'x.example')] });
    expect(keep.event.Attribute).toHaveLength(1);
    expect(drop.event.Attribute).toHaveLength(0);
    expect(drop.report.suppressed[0]).toMatchObject({ rule: 'default', type: 'domain', failed: false });
  });

  it('uses the section of the recipient it is given', () => {
    const text = '  - name: partners\n    match: { organisation: [CERT-EU] }\n    default: keep\n  - name: r\n    default: suppress\n';
    const event = { Attribute: [a('domain', 'x.example')] };
    expect(run(text, event, { kind: 'organisation', name: 'CERT-EU' }).event.Attribute).toHaveLength(1);
    expect(run(text, event, { kind: 'server', name: 'elsewhere' }).event.Attribute).toHaveLength(0);
    expect(run(text, event, { kind: 'organisation', name: 'CERT-EU' }).event.Tag[0].name).toBe('waggle:anonymised="t/partners"');
  });

  it('matches on category, tags, event tags, distribution, to_ids, object relation, CIDR and regex', () => {
    const rules = [
      ['{ tag: ["victim:*"] }', 'tagged'],
      ['{ event_tag: ["sector:energy"], type: [hostname] }', 'event-tagged'],
      ['{ distribution: [0] }', 'org-only'],
      ['{ to_ids: true, category: [Payload delivery] }', 'ids'],
      ['{ object: { name: [user-account], relation: [username] } }', 'relation'],
      ['{ value: { cidr: [198.51.100.0/24] } }', 'in-net'],
      ['{ value: { regex: "^evil" } }', 'regex'],
    ];
    const text = `  - name: r\n    default: keep\n    rules:\n${rules.map(([m, v]) => `      - match: ${m}\n        action: { technique: replace, value: ${v} }\n`).join('')}`;
    const attrs = [
      a('domain', 'a.example', { Tag: [{ name: 'victim:acme' }] }),
      a('hostname', 'b.example'),
      a('domain', 'c.example', { distribution: '0' }),
      a('sha256', 'f'.repeat(64), { to_ids: true, category: 'Payload delivery' }),
      a('ip-dst', '198.51.100.7'),
      a('domain', 'evil.example'),
      a('domain', 'fine.example'),
    ];
    const object = { name: 'user-account', uuid: 'o-1', Attribute: [a('text', 'bob', { object_relation: 'username' })] };
    const { event } = run(text, { Tag: [{ name: 'sector:energy' }], Attribute: attrs, Object: [object] });
    expect(attrs.map((x) => valueOf(event, x.uuid))).toEqual(['tagged', 'event-tagged', 'org-only', 'ids', 'in-net', 'regex', 'fine.example']);
    expect(valueOf(event, object.Attribute[0]?.uuid)).toBe('relation');
  });

  it('handles each half of a composite value by the half type and keeps value1/value2 consistent', () => {
    const text = '  - name: r\n    default: keep\n    rules:\n      - match: { type: [ip-dst], value: { internal_ip: true } }\n        action: { technique: truncate, prefix: 16 }\n      - match: { type: [port] }\n        action: { technique: port-range, width: 1024 }\n';
    const x = a('ip-dst|port', '10.9.8.7|3389', { value1: '10.9.8.7', value2: '3389' });
    const { event } = run(text, { Attribute: [x] });
    expect(event.Attribute[0]).toMatchObject({ type: 'ip-dst|port', value: '10.9.0.0|3072-4095', value1: '10.9.0.0', value2: '3072-4095' });
  });

  it('turns a composite with a suppressed half into an attribute of the other half, and drops a changed sample', () => {
    const text = '  - name: r\n    default: keep\n    rules:\n      - match: { type: [filename] }\n        action: suppress\n';
    const x = a('filename|sha256', `secret.docx|${'a'.repeat(64)}`, { value1: 'secret.docx', value2: 'a'.repeat(64) });
    const sample = a('malware-sample', `x.exe|${'b'.repeat(32)}`, { data: 'UEsDBA==' });
    const { event } = run(text, { Attribute: [x, sample] });
    expect(event.Attribute[0]).toMatchObject({ type: 'sha256', value: 'a'.repeat(64), value1: 'a'.repeat(64), value2: '' });
    expect(event.Attribute[1]).toMatchObject({ type: 'md5', value: 'b'.repeat(32) });
    expect(event.Attribute[1].data).toBeUndefined();
  });

  it('changes the type when a URL or e-mail address is reduced to its domain', () => {
    const text = '  - name: r\n    default: keep\n    rules:\n      - match: { type: [url] }\n        action: url-to-domain\n      - match: { type: [email-dst] }\n        action: email-to-domain\n';
    const { event } = run(text, { Attribute: [a('url', 'https://login.victim.example/reset?u=1'), a('email-dst', 'ceo@victim.example')] });
    expect(event.Attribute.map((x: J) => [x.type, x.value])).toEqual([['domain', 'login.victim.example'], ['domain', 'victim.example']]);
  });

  it('applies FF1, enumeration, time generalisation and keyed shifts', () => {
    const text = [
      '  - name: r',
      '    default: keep',
      '    rules:',
      '      - match: { type: [phone-number] }',
      '        action: { technique: ff1, key: k, radix: 10, tweak: phones }',
      '      - match: { type: [target-user] }',
      '        action: { technique: enumerate, prefix: user }',
      '      - match: { field: [event.date] }',
      '        action: { technique: generalise-time, unit: month }',
      '      - match: { type: [datetime] }',
      '        action: { technique: shift-time, key: k, max_days: 30 }',
      '',
    ].join('\n');
    const attrs = [a('phone-number', '4930123456'), a('target-user', 'alice'), a('target-user', 'bob'), a('target-user', 'alice'), a('datetime', '2026-03-04T10:00:00Z')];
    const { event } = run(text, { date: '2026-03-04', Attribute: attrs });
    const values = attrs.map((x) => valueOf(event, x.uuid)) as string[];
    expect(values[0]).toMatch(/^\d{10}$/);
    expect(values[0]).not.toBe('4930123456');
    expect(values.slice(1, 4)).toEqual(['user-1', 'user-2', 'user-1']);
    expect(event.date).toBe('2026-03-01');
    expect(values[4]).not.toBe('2026-03-04T10:00:00Z');
    expect(Math.abs(Date.parse(values[4] as string) - Date.parse('2026-03-04T10:00:00Z'))).toBeLessThanOrEqual(30 * 86_400_000);
  });
});

describe('fail closed', () => {
  it('suppresses what a technique cannot handle and reports it, never sending it in clear', () => {
    const text = [
      '  - name: r',
      '    default: keep',
      '    rules:',
      '      - match: { type: [ip-src] }',
      '        action: { technique: truncate, prefix: 24 }',
      '      - match: { type: [ip-dst] }',
      '        action: { technique: cryptopan, key: k }',
      '      - match: { type: [phone-number] }',
      '        action: { technique: ff1, key: k, radix: 10 }',
      '      - match: { type: [port] }',
      '        action: { technique: port-range, width: 100 }',
      '',
    ].join('\n');
    const v6 = a('ip-src', '2001:db8::1');
    const malformed = a('ip-dst', '999.1.1.1');
    const outside = a('phone-number', '+49 30 1234');
    const badPort = a('ip-dst|port', '203.0.113.5|http');
    const fine = a('ip-src', '203.0.113.77');
    const { event, report } = run(text, { Attribute: [v6, malformed, outside, badPort, fine] });
    // The port half failed; the address half (Crypto-PAn'd) stands alone.
    expect(event.Attribute.map((x: J) => [x.uuid, x.type])).toEqual([
      [badPort.uuid, 'ip-dst'],
      [fine.uuid, 'ip-src'],
    ]);
    expect(event.Attribute[0].value).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(event.Attribute[1].value).toBe('203.0.113.0');
    const json = JSON.stringify(event);
    for (const clear of ['2001:db8::1', '999.1.1.1', '+49 30 1234', '|http']) expect(json).not.toContain(clear);
    expect(report.suppressed.filter((s) => s.failed).map((s) => [s.uuid, s.rule])).toEqual([
      [v6.uuid, 'rules[0]'],
      [malformed.uuid, 'rules[1]'],
      [outside.uuid, 'rules[2]'],
      [badPort.uuid, 'rules[3]'],
    ]);
    expect(report.suppressed[0]?.reason).toBe('truncate (rules[0]) cannot handle this value; suppressed');
    expect(report.attributes).toEqual({ total: 5, kept: 0, transformed: 2, suppressed: 3 });
  });
});

describe('objects, references, tags and event parts', () => {
  it('removes an object left without required attributes, and references to what was removed', () => {
    const text = '  - name: r\n    default: keep\n    rules:\n      - match: { type: [ip-src, ip-dst] }\n        action: suppress\n';
    const lone = a('ip-dst', '10.0.0.1');
    const security = { name: 'security-event', uuid: 'o-sec', template_uuid: '', Attribute: [a('ip-src', '10.0.0.2', { object_relation: 'src-ip' }), a('text', 'tcp', { object_relation: 'protocol' })], ObjectReference: [] };
    const empty = { name: 'ip-port', uuid: 'o-ip', Attribute: [a('ip-dst', '10.0.0.3', { object_relation: 'ip' })], ObjectReference: [] };
    const file = {
      name: 'file',
      uuid: 'o-file',
      Attribute: [a('filename', 'x.exe', { object_relation: 'filename' })],
      ObjectReference: [
        { uuid: 'r1', referenced_uuid: 'o-sec', relationship_type: 'related-to' },
        { uuid: 'r2', referenced_uuid: lone.uuid, relationship_type: 'connects-to' },
        { uuid: 'r3', referenced_uuid: 'o-keep', relationship_type: 'related-to' },
      ],
    };
    const kept = { name: 'domain-ip', uuid: 'o-keep', Attribute: [a('domain', 'x.example', { object_relation: 'domain' }), a('ip-dst', '10.0.0.4', { object_relation: 'ip' })], ObjectReference: [] };
    const { event, report } = run(text, { Attribute: [lone], Object: [security, empty, file, kept] });
    expect(event.Object.map((o: J) => o.uuid)).toEqual(['o-file', 'o-keep', expect.any(String)]);
    expect(report.objectsRemoved.map((o) => [o.uuid, o.reason])).toEqual([
      ['o-sec', expect.stringContaining("at least one of 'src-ip', 'dst-ip', 'signature' is required")],
      ['o-ip', 'every attribute was suppressed'],
    ]);
    expect(event.Object[0].ObjectReference.map((r: J) => r.uuid)).toEqual(['r3']);
    expect(report.referencesRemoved).toBe(2);
    expect(event.Object[1].Attribute.map((x: J) => x.object_relation)).toEqual(['domain']);
    // The protocol survived its rule but went with its object.
    expect(report.attributes).toEqual({ total: 7, kept: 2, transformed: 0, suppressed: 5 });
  });

  it('drops tags named in drop_tags and keeps what the keep section asks for', () => {
    const text = '  - name: r\n    default: keep\n    drop_tags: ["customer:*"]\n    keep: { related_events: true, local_tags: true }\n';
    const { event, report } = run(text, {
      Tag: [{ name: 'customer:acme' }, { name: 'tlp:green' }, { name: 'case:1', local: 1 }],
      RelatedEvent: [{ Event: { id: '1' } }],
      Feed: [{ name: 'f' }],
      Attribute: [a('domain', 'x.example', { Tag: [{ name: 'customer:acme' }] })],
    });
    expect(event.Tag.map((t: J) => t.name)).toEqual(['tlp:green', 'case:1', 'waggle:anonymised="t/r"']);
    expect(event.Attribute[0].Tag).toEqual([]);
    expect(event.RelatedEvent).toHaveLength(1);
    expect(event.Feed).toBeUndefined();
    expect(report.dropped).toEqual({ Feed: 1, 'tags named in drop_tags': 2 });
  });

  it('suppresses or replaces event fields: organisations with a given UUID, info with a neutral text', () => {
    const text = '  - name: r\n    default: keep\n    rules:\n      - match: { field: [event.orgc] }\n        action: { technique: replace, value: Member, uuid: 8c2f0d6e-4c55-4a0e-9d0b-6f1f3a1b2c3d }\n      - match: { field: [event.org, event.info, event.creator_email] }\n        action: suppress\n';
    const { event } = run(text, { info: 'Hack at ACME', orgc_id: '3', org_id: '3', Orgc: { id: '3', name: 'ACME' }, Org: { id: '3', name: 'ACME' }, event_creator_email: 'x@acme.example' });
    expect(event.Orgc).toEqual({ name: 'Member', uuid: '8c2f0d6e-4c55-4a0e-9d0b-6f1f3a1b2c3d' });
    expect(event.Org).toBeUndefined();
    expect(event.org_id).toBeUndefined();
    expect(event.info).toBe('Details withheld by the reporting organisation');
    expect(event.event_creator_email).toBeUndefined();
    expect(JSON.stringify(event)).not.toContain('ACME');
  });
});
