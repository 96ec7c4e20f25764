import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyStore, defaultPolicy, parsePolicy, type KeyStore } from '@waggle/privacy';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An intrusion at a victim: what identifies the victim, and what identifies the attacker. */
const VICTIM = ['10.20.30.40', 'fin-ws-042', 'j.doe', 'jane.doe@victim-bank.example', 'Finance workstation of Jane Doe', 'Intrusion at Victim Bank finance department'];
const ATTACKER = ['203.0.113.50', 'evil-c2.example', 'http://evil-c2.example/gate.php', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'];

const intrusion = (): J => ({
  info: VICTIM[5],
  distribution: '1',
  threat_level_id: '1',
  analysis: '1',
  Tag: [{ name: 'tlp:amber' }, { name: 'misp-galaxy:mitre-attack-pattern="Phishing - T1566"' }],
  Attribute: [
    { type: 'ip-dst', category: 'Network activity', value: VICTIM[0], comment: VICTIM[4] },
    { type: 'target-machine', category: 'Targeting data', value: VICTIM[1] },
    { type: 'target-user', category: 'Targeting data', value: VICTIM[2] },
    { type: 'target-email', category: 'Targeting data', value: VICTIM[3] },
    { type: 'ip-src', category: 'Network activity', value: ATTACKER[0], to_ids: true },
    { type: 'domain', category: 'Network activity', value: ATTACKER[1], to_ids: true },
    { type: 'url', category: 'Network activity', value: ATTACKER[2], to_ids: true },
    { type: 'sha256', category: 'Payload delivery', value: ATTACKER[3], to_ids: true },
  ],
});

function expectAnonymised(text: string): void {
  for (const v of VICTIM) expect(text, `victim identifier ${v} leaked`).not.toContain(v);
  for (const v of ATTACKER) expect(text, `attacker indicator ${v} lost`).toContain(v);
}

async function externalUser(s: TestServer, name: string): Promise<{ key: string; orgId: number }> {
  const u = await addOrgUser(s, name);
  await s.store.write(async (repos) => {
    await repos.updateOrganisation(u.orgId, { local: false });
  });
  return u;
}

describe.each(testEngines())('outbound anonymisation on %s', (engine) => {
  let s: TestServer;
  let keys: KeyStore;
  let eventId: string;
  let partner: { key: string; orgId: number };
  let colleague: { key: string; orgId: number };
  const dirs: string[] = [];

  beforeAll(async () => {
    keys = createMemoryKeyStore({ random: (n) => new Uint8Array(randomBytes(n)), now: () => new Date() });
    keys.add('community');
    s = await startTestServer(engine, {}, { privacy: { policy: defaultPolicy(), keys } });
    const added = await s.call('POST', '/events/add', intrusion());
    expect(added.status).toBe(200);
    eventId = String((added.json as J).Event.id);
    await s.call('POST', `/events/publish/${eventId}`);
    partner = await externalUser(s, `Partner CERT ${engine}`);
    colleague = await addOrgUser(s, `Local colleague ${engine}`);
  });
  afterAll(async () => {
    await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('shows the producer the event in clear, and another organisation only the anonymised event', async () => {
    const own = await s.call('GET', `/events/view/${eventId}`);
    for (const v of [...VICTIM, ...ATTACKER]) expect(own.text).toContain(v);

    const seen = await s.call('GET', `/events/view/${eventId}`, undefined, partner.key);
    expect(seen.status).toBe(200);
    expectAnonymised(seen.text);
    const ev = (seen.json as J).Event;
    expect(ev.Object.some((o: J) => o.name === 'anonymisation')).toBe(true);
    expect(ev.Tag.map((t: J) => t.name)).toEqual(expect.arrayContaining(['tlp:amber', 'misp-galaxy:mitre-attack-pattern="Phishing - T1566"']));
    // Crypto-PAn keeps the internal address an address (prefix-preserving), not the original.
    const ip = ev.Attribute.find((a: J) => a.type === 'ip-dst');
    expect(ip.value).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // Local users of the instance are not recipients.
    expect((await s.call('GET', `/events/view/${eventId}`, undefined, colleague.key)).text).toContain(VICTIM[0]);
  });

  it('anonymises restSearch (JSON and STIX 2.1), the index and TAXII for the other organisation', async () => {
    const json = await s.call('POST', '/events/restSearch', { returnFormat: 'json', eventid: eventId }, partner.key);
    expect(json.status).toBe(200);
    expectAnonymised(json.text);
    const stix = await s.call('POST', '/events/restSearch', { returnFormat: 'stix2', eventid: eventId }, partner.key);
    expect(stix.status).toBe(200);
    expect(stix.text).toContain('"type":"bundle"');
    for (const v of VICTIM) expect(stix.text).not.toContain(v);
    expect(stix.text).toContain(ATTACKER[0]);
    const index = await s.call('GET', '/events/index', undefined, partner.key);
    expect(index.text).not.toContain(VICTIM[5]);
    const roots = await s.app.inject({ method: 'GET', url: '/taxii2/api/collections/', headers: { authorization: partner.key, accept: 'application/taxii+json;version=2.1' } });
    const collection = (JSON.parse(roots.body) as J).collections[0].id as string;
    const objects = await s.app.inject({ method: 'GET', url: `/taxii2/api/collections/${collection}/objects/`, headers: { authorization: partner.key, accept: 'application/taxii+json;version=2.1' } });
    expect(objects.statusCode).toBe(200);
    for (const v of VICTIM) expect(objects.body).not.toContain(v);
    expect(objects.body).toContain(ATTACKER[1]);
  });

  it('gives recipients no attribute- or object-level values of events produced here (fail closed)', async () => {
    const own = ((await s.call('POST', '/attributes/restSearch', { value: VICTIM[0] })).json as J).response.Attribute as J[];
    expect(own).toHaveLength(1);
    const partnerJson = await s.call('POST', '/attributes/restSearch', { value: VICTIM[0] }, partner.key);
    expect(((partnerJson.json as J).response.Attribute as J[])).toHaveLength(0);
    const csv = await s.call('POST', '/attributes/restSearch', { returnFormat: 'csv', eventid: eventId }, partner.key);
    for (const v of VICTIM) expect(csv.text).not.toContain(v);
    expect((await s.call('GET', `/attributes/view/${String(own[0]?.id)}`, undefined, partner.key)).status).toBe(404);
    expect((await s.call('GET', `/attributes/view/${String(own[0]?.id)}`, undefined, colleague.key)).status).toBe(200);
  });

  it('exports feeds anonymised for the feed, and never anonymises twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-anon-feed-'));
    dirs.push(dir);
    const admin = await s.services.auth.authenticate(s.adminKey, '127.0.0.1');
    await s.services.feeds.export(dir, admin, { recipient: 'partners' });
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'manifest.json');
    expect(files).toHaveLength(1);
    const text = readFileSync(join(dir, files[0] as string), 'utf8');
    expectAnonymised(text);

    // An anonymised event posted back through the anonymizer passes unchanged.
    const first = await s.call('POST', '/anonymizer/anonymize', { event: JSON.parse(text), recipient: 'default' });
    expect(first.status).toBe(200);
    expect((first.json as J).report, JSON.stringify((first.json as J).report).slice(0, 600)).toMatchObject({ alreadyAnonymised: true });
  });

  it('anonymises and previews on request, and refuses a recipient nothing is written for', async () => {
    const out = await s.call('POST', '/anonymizer/anonymize', { event: { Event: intrusion() }, recipient: 'default' });
    expect(out.status).toBe(200);
    expectAnonymised(JSON.stringify((out.json as J).Event));
    expect((out.json as J).report.attributes).toBeDefined();
    const preview = await s.call('POST', '/anonymizer/preview', { event_id: eventId, recipient: 'default' });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain(VICTIM[0]);
    // A recipient may not preview (it would see the clear values).
    expect((await s.call('POST', '/anonymizer/preview', { event_id: eventId, recipient: 'default' }, partner.key)).status).toBe(403);
    const strict = parsePolicy('version: 1\nname: strict\nrecipients:\n  - name: energy\n    match: { organisation: [EnergyCERT] }\n    default: suppress\n    rules: []\n', 'yaml', 'inline');
    const none = await s.call('POST', '/anonymizer/anonymize', { event: { Event: intrusion() }, recipient: { kind: 'organisation', name: 'Somebody' }, policy: strict });
    expect(none.status).toBe(404);
    const bad = await s.call('POST', '/anonymizer/anonymize', { event: { Event: intrusion() }, recipient: 'default', policy: 'version: 1\nname: x\nrecipients: []\n' });
    expect(bad.status).toBe(400);
    expect((bad.json as J).message).toMatch(/line/);
    expect((await s.call('POST', '/anonymizer/anonymize', { recipient: 'default' })).status).toBe(400);
  });
});

describe('outbound anonymisation without a section for the recipient', () => {
  it('withholds the event (fail closed) instead of sending it in clear', async () => {
    const keys = createMemoryKeyStore({ random: (n) => new Uint8Array(randomBytes(n)), now: () => new Date() });
    const policy = parsePolicy('version: 1\nname: energy-only\nrecipients:\n  - name: energy\n    match: { organisation: [EnergyCERT] }\n    default: keep\n    rules: []\n', 'yaml', 'inline');
    const s = await startTestServer('sqlite', {}, { privacy: { policy, keys } });
    try {
      const id = String(((await s.call('POST', '/events/add', intrusion())).json as J).Event.id);
      const other = await externalUser(s, 'Not Energy');
      expect((await s.call('GET', `/events/view/${id}`, undefined, other.key)).status).toBe(404);
      const search = await s.call('POST', '/events/restSearch', { returnFormat: 'json' }, other.key);
      expect(search.text).not.toContain(VICTIM[0]);
      // Nor does the index's total count it.
      const page = await s.call('POST', '/events/index', { limit: 1 }, other.key);
      expect([page.json, page.headers['x-result-count']]).toEqual([[], '0']);
      expect((await s.call('POST', '/events/index', { limit: 1 })).headers['x-result-count']).toBe('1');
      const energy = await externalUser(s, 'EnergyCERT');
      expect((await s.call('GET', `/events/view/${id}`, undefined, energy.key)).text).toContain(VICTIM[0]);
    } finally {
      await s.close();
    }
  });
});
