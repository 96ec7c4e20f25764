import { describe, expect, it } from 'vitest';
import { builtinTemplatesDir, loadTemplatesFromDir, validateObject } from '@waggle/misp';
import { NotFoundError } from '@waggle/errors';
import { createAnonymizer } from './anonymize-event.js';
import { ANONYMISATION_TEMPLATE_UUID } from './anonymisation-object.js';
import { defaultPolicy } from './default-policy.js';
import { createMemoryKeyStore } from './memory-key-store.js';
import { ATTACKER_STRINGS, VICTIM_STRINGS, aPhishingEvent, keysWithCommunity } from './test-support/realistic-event.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const now = (): Date => new Date('2026-03-05T12:00:00Z');
const templates = loadTemplatesFromDir(builtinTemplatesDir());

function attributes(event: J): J[] {
  const e = (event.Event ?? event) as J;
  return [...(e.Attribute ?? []), ...(e.Object ?? []).flatMap((o: J) => o.Attribute ?? [])];
}

const byUuid = (event: J, uuid: string): J | undefined => attributes(event).find((a) => a.uuid === uuid);

describe('anonymizeEvent under the default policy', () => {
  const keys = keysWithCommunity();
  const anonymizer = createAnonymizer({ keys, now, templates });
  const input = aPhishingEvent();
  const { event, report } = anonymizer.anonymizeEvent(input, defaultPolicy(), 'default');
  const json = JSON.stringify(event);

  it('removes every victim identifier from the serialised output', () => {
    for (const victim of VICTIM_STRINGS) expect(json, victim).not.toContain(victim);
  });

  it('keeps every attacker indicator unchanged', () => {
    for (const indicator of ATTACKER_STRINGS) expect(json, indicator).toContain(indicator);
    const e = (event as J).Event as J;
    const c2 = e.Attribute.find((a: J) => a.value === '185.220.101.47');
    expect(c2).toMatchObject({ type: 'ip-dst', to_ids: true, comment: '' });
    expect(e.Attribute.find((a: J) => a.type === 'malware-sample')).toMatchObject({ value: expect.stringContaining('Rechnung_2026.pdf.exe|'), data: 'UEsDBAoAAAAAAA==' });
  });

  it('pseudonymises victim addresses, hosts, users and mailboxes and suppresses the rest', () => {
    const e = (input as J).Event as J;
    const find = (value: string): J => e.Attribute.find((a: J) => a.value === value);
    const internal = byUuid(event, find('10.20.30.40').uuid);
    expect(internal?.value).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(byUuid(event, find('fd00::1:2').uuid)?.value).toContain(':');
    expect(byUuid(event, find('WS-FIN-042').uuid)?.value).toMatch(/^host-[0-9a-f]{16}\.invalid$/);
    expect(byUuid(event, find('j.mueller').uuid)?.value).toMatch(/^user-[0-9a-f]{16}$/);
    expect(byUuid(event, find('jana.mueller@nordwind-energie.de').uuid)?.value).toMatch(/^u-[0-9a-f]{16}@anonymised\.invalid$/);
    for (const gone of ['Nordwind Energie GmbH', 'Hamburg Hafen']) expect(byUuid(event, find(gone).uuid)).toBeUndefined();
    // filename|sha256 whose file name holds a user folder: only the hash is sent.
    const withPath = e.Attribute.find((a: J) => String(a.value).startsWith('C:\\Users'));
    expect(byUuid(event, withPath.uuid)).toMatchObject({ type: 'sha256', value: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('replaces the event title and creator, drops local tags, related events, proposals, reports and sighting organisations', () => {
    const e = (event as J).Event as J;
    expect(e.info).toBe('Incident shared through waggle (details withheld by the reporting organisation)');
    expect(e.Orgc).toEqual({ name: 'waggle community member', uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(e.orgc_id).toBeUndefined();
    expect(e.event_creator_email).toBeUndefined();
    expect(e.RelatedEvent).toBeUndefined();
    expect(e.ShadowAttribute).toBeUndefined();
    expect(e.EventReport).toBeUndefined();
    expect(e.Tag.map((t: J) => t.name)).not.toContain('nordwind:internal-case');
    const sighted = e.Attribute.find((a: J) => a.value === '185.220.101.48');
    expect(sighted.Sighting).toEqual([{ uuid: expect.any(String), type: '0', date_sighting: '1772600100' }]);
    expect(report.dropped).toMatchObject({ RelatedEvent: 1, ShadowAttribute: 1, EventReport: 1, 'local tags': 1, 'Sighting organisation details': 1 });
  });

  it('never changes the input event', () => {
    expect(input).toEqual(aPhishingEvent());
  });

  it('adds a valid anonymisation object and tag that list the techniques without key material', () => {
    const e = (event as J).Event as J;
    const object = e.Object.find((o: J) => o.name === 'anonymisation');
    const template = templates.get(ANONYMISATION_TEMPLATE_UUID);
    expect(template).toBeDefined();
    if (template === undefined) return;
    expect(validateObject(template, { name: object.name, attributes: object.Attribute })).toEqual({ ok: true });
    expect(object.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const relations = (r: string): string[] => object.Attribute.filter((a: J) => a.object_relation === r).map((a: J) => a.value);
    expect(relations('method').map((m) => m.split(' - ')[0])).toEqual(['hash', 'hiding', 'prefix-preserving']);
    expect(relations('keyed-hash-function')).toEqual(['hmac-sha256']);
    expect(relations('key')[0]).toContain('community version 1');
    expect(relations('description')[0]).toMatch(/cryptopan ×3 .*hmac ×/);
    expect(e.Tag.map((t: J) => t.name)).toContain('waggle:anonymised="default/default"');
    const material = keys.get('community').key;
    const hex = Buffer.from(material).toString('hex');
    expect(json).not.toContain(hex);
    expect(json).not.toContain(Buffer.from(material).toString('base64'));
    expect(JSON.stringify(report)).not.toContain(hex);
    expect(report.keys).toEqual([{ name: 'community', version: 1 }]);
  });

  it('counts what it did', () => {
    expect(report.alreadyAnonymised).toBe(false);
    expect(report.attributes.total).toBe(attributes(input).length);
    expect(report.attributes.kept + report.attributes.transformed + report.attributes.suppressed).toBe(report.attributes.total);
    expect(report.byType['target-org']).toEqual({ total: 1, kept: 0, transformed: 0, suppressed: 1 });
    expect(report.techniques.cryptopan).toBe(3);
    expect(report.suppressed.every((s) => !JSON.stringify(s).includes('Nordwind'))).toBe(true);
    expect(((event as J).Event as J).attribute_count).toBe(String(attributes(event).length));
  });
});

describe('idempotence, determinism and keys', () => {
  it('returns an event it already anonymised for this policy and recipient unchanged', () => {
    const anonymizer = createAnonymizer({ keys: keysWithCommunity(), now, templates });
    const policy = defaultPolicy();
    const once = anonymizer.anonymizeEvent(aPhishingEvent(), policy, 'default');
    const twice = anonymizer.anonymizeEvent(once.event, policy, 'default');
    expect(twice.report.alreadyAnonymised).toBe(true);
    expect(twice.event).toEqual(once.event);
    expect(twice.report.attributes.total).toBe(0);
  });

  it('goes through the policy again when the event was edited after anonymisation, replacing its marks', () => {
    const anonymizer = createAnonymizer({ keys: keysWithCommunity(), now, templates });
    const policy = defaultPolicy();
    const once = anonymizer.anonymizeEvent(aPhishingEvent(), policy, 'default').event as J;
    // A local analyst adds the victim's address to the received, anonymised event.
    once.Event.Attribute.push({ uuid: 'added-1', type: 'ip-src', category: 'Network activity', value: '10.66.66.66', comment: 'Nordwind DC' });
    const { event, report } = anonymizer.anonymizeEvent(once, policy, 'default');
    expect(report.alreadyAnonymised).toBe(false);
    const json = JSON.stringify(event);
    expect(json).not.toContain('10.66.66.66');
    expect(json).not.toContain('Nordwind');
    const e = (event as J).Event as J;
    expect(e.Object.filter((o: J) => o.name === 'anonymisation')).toHaveLength(1);
    expect(e.Tag.filter((t: J) => t.name === 'waggle:anonymised="default/default"')).toHaveLength(1);
    // A forged tag alone does not make an event pass unprocessed.
    const forged = aPhishingEvent({ Tag: [{ name: 'waggle:anonymised="default/default"' }] });
    expect(anonymizer.anonymizeEvent(forged, policy, 'default').report.alreadyAnonymised).toBe(false);
  });

  it('gives the same output for the same event and keys, and the same pseudonyms across events', () => {
    const policy = defaultPolicy();
    const a = createAnonymizer({ keys: keysWithCommunity(), now, templates });
    const b = createAnonymizer({ keys: keysWithCommunity(), now, templates });
    expect(a.anonymizeEvent(aPhishingEvent(), policy, 'default').event).toEqual(b.anonymizeEvent(aPhishingEvent(), policy, 'default').event);
    const other = aPhishingEvent({ uuid: 'c0ffee00-0000-4000-8000-000000000002', Attribute: [{ uuid: 'x1', type: 'ip-src', value: '10.20.30.40' }, { uuid: 'x2', type: 'email-dst', value: 'jana.mueller@nordwind-energie.de' }] });
    const first = a.anonymizeEvent(aPhishingEvent(), policy, 'default').event;
    const second = a.anonymizeEvent(other, policy, 'default').event;
    const valueOf = (event: J, original: string, source: J): string => byUuid(event, attributes(source).find((x) => x.value === original)?.uuid)?.value;
    for (const original of ['10.20.30.40', 'jana.mueller@nordwind-energie.de']) {
      expect(valueOf(second, original, other)).toBe(valueOf(first, original, aPhishingEvent()));
    }
  });

  it('changes pseudonyms when the key rotates, and names the new version', () => {
    const keys = keysWithCommunity();
    const anonymizer = createAnonymizer({ keys, now, templates });
    const policy = defaultPolicy();
    const before = anonymizer.anonymizeEvent(aPhishingEvent(), policy, 'default');
    keys.rotate('community');
    const after = anonymizer.anonymizeEvent(aPhishingEvent(), policy, 'default');
    const uuid = attributes(aPhishingEvent()).find((x) => x.value === '10.20.30.40')?.uuid;
    expect(byUuid(after.event, uuid)?.value).not.toBe(byUuid(before.event, uuid)?.value);
    expect(after.report.keys).toEqual([{ name: 'community', version: 2 }]);
    // Old versions stay available to explain earlier pseudonyms.
    expect(keys.getVersion('community', 1).version).toBe(1);
  });

  it('stops with NotFoundError when a key the recipient needs is not in the store, sending nothing', () => {
    const empty = createMemoryKeyStore({ random: (n) => new Uint8Array(n), now });
    const anonymizer = createAnonymizer({ keys: empty, now, templates });
    expect(() => anonymizer.anonymizeEvent(aPhishingEvent(), defaultPolicy(), 'default')).toThrow(NotFoundError);
    expect(() => anonymizer.anonymizeEvent(aPhishingEvent(), defaultPolicy(), 'default')).toThrow(/no key named 'community'/);
  });

  it('works without keys in the keyless variant: truncation for internal addresses, suppression for pseudonyms', () => {
    const empty = createMemoryKeyStore({ random: (n) => new Uint8Array(n), now });
    const { event, report } = createAnonymizer({ keys: empty, now, templates }).anonymizeEvent(aPhishingEvent(), defaultPolicy({ withKeys: false, keepInfo: true }), 'default');
    const uuid = attributes(aPhishingEvent()).find((x) => x.value === '10.20.30.40')?.uuid;
    expect(byUuid(event, uuid)?.value).toBe('10.20.30.0');
    expect(report.keys).toEqual([]);
    expect(((event as J).Event as J).info).toContain('Nordwind');
    expect(JSON.stringify(event)).not.toContain('jana.mueller');
  });
});

describe('preview', () => {
  it('shows before and after per value, with the rule and technique, and changes nothing', () => {
    const input = aPhishingEvent();
    const preview = createAnonymizer({ keys: keysWithCommunity(), now, templates }).preview(input, defaultPolicy(), 'default');
    expect(input).toEqual(aPhishingEvent());
    const internal = preview.entries.find((e) => e.before === '10.20.30.40');
    expect(internal).toMatchObject({ scope: 'attribute', type: 'ip-src', field: 'value', rule: 'internal-ip', technique: 'cryptopan', after: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });
    expect(preview.entries.find((e) => e.before === 'Nordwind Energie GmbH')).toMatchObject({ after: null, technique: 'suppress', rule: 'victim-organisation', suppressed: 'suppressed by victim-organisation' });
    expect(preview.entries.find((e) => e.field === 'event.info')).toMatchObject({ scope: 'event', rule: 'event-info', technique: 'replace' });
    expect(preview.entries.filter((e) => e.type === 'ip-src|port').map((e) => e.half)).toEqual([1, 2]);
    expect(preview.report.attributes.total).toBe(attributes(input).length);
  });
});
