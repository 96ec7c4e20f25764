import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../../../server/src/test-support/test-server.js';
import { runCli } from '../test-support/run-cli.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const POLICY = '(sector:energy AND country:BE) OR role:CERT';
// Markers that must never reach the server in clear.
const SECRET_IP = '203.0.113.77';
const SECRET_DOMAIN = 'quiet-grid-c2.example';
const SECRET_HASH = 'c0ffee'.repeat(10) + 'c0ffee00';
const SECRET_INFO = 'Operation Quiet Grid against BE energy';
const SECRETS = [SECRET_IP, SECRET_DOMAIN, SECRET_HASH, SECRET_INFO];

const dir = mkdtempSync(join(tmpdir(), 'waggle-protect-'));
const f = (name: string): string => join(dir, name);

function eventFile(name: string, event: J): string {
  writeFileSync(f(name), JSON.stringify({ Event: event }));
  return f(name);
}

/** Every row of every table, as text: what an attacker holding the database sees. */
async function dumpStore(s: TestServer): Promise<string> {
  type Q = { selectFrom(t: string): { selectAll(): { execute(): Promise<unknown[]> } }; introspection: { getTables(): Promise<{ name: string }[]> } };
  const db = s.store.connection.db as unknown as Q;
  const tables = await db.introspection.getTables();
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['attributes', 'events', 'audit_logs', 'ip_ranges', 'tags']));
  const parts: string[] = [];
  for (const t of tables) parts.push(t.name, JSON.stringify(await db.selectFrom(t.name).selectAll().execute()));
  return parts.join('\n');
}

beforeAll(async () => {
  expect((await runCli('abe', 'setup', '--out', dir)).code).toBe(0);
  expect((await runCli('abe', 'signing-key', '--out', dir)).code).toBe(0);
  expect((await runCli('abe', 'keygen', '--master', f('abe-master.json'), '--attributes', 'sector:energy,country:BE', '--out', f('be.json'))).code).toBe(0);
  expect((await runCli('abe', 'keygen', '--master', f('abe-master.json'), '--attributes', 'sector:energy,country:FR', '--out', f('fr.json'))).code).toBe(0);
  expect((await runCli('event', 'community-key', '--out', f('community.key'))).code).toBe(0);
  expect((await runCli('event', 'community-key', '--out', f('other-community.key'))).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(testEngines())('protected events on a real server (%s)', (engine) => {
  let s: TestServer;
  let url: string;
  let eventId: string;
  let be: { key: string };
  let fr: { key: string };
  let producer2: { key: string };
  const protectArgs = ['--policy', POLICY, '--public', f('abe-public.json'), '--sign-key', f('signing-key.pem')];
  const get = (id: string, key: string, ...more: string[]) => runCli('event', 'get', id, '--url', url, '--key', key, ...more);
  const view = async (id: string): Promise<J> => ((await s.call('GET', `/events/view/${id}`)).json as J).Event;

  beforeAll(async () => {
    s = await startTestServer(engine);
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${String((s.app.server.address() as { port: number }).port)}`;
    be = await addOrgUser(s, 'GridBE');
    fr = await addOrgUser(s, 'GridFR');
    producer2 = await addOrgUser(s, 'CertTwo');
    const file = eventFile('event.json', {
      info: SECRET_INFO, distribution: '1', threat_level_id: '1', analysis: '0', date: '2026-12-01',
      Attribute: [
        { type: 'ip-dst', category: 'Network activity', value: SECRET_IP, to_ids: true },
        { type: 'domain', category: 'Network activity', value: SECRET_DOMAIN },
      ],
      Object: [{ name: 'file', 'meta-category': 'file', Attribute: [{ type: 'sha256', object_relation: 'sha256', category: 'Payload delivery', value: SECRET_HASH }] }],
    });
    const r = await runCli('event', 'protect', file, ...protectArgs, '--community-key', f('community.key'), '--info', '--url', url, '--key', s.adminKey, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('protected 3 attribute value(s) and the info');
    eventId = String((JSON.parse(r.out) as J).Event.id);
  });
  afterAll(async () => {
    await s.close();
  });

  it('stores envelopes that keep type, category and to_ids, marked waggle:protected', async () => {
    const e = await view(eventId);
    expect(e.info).toMatch(/^waggle-abe:v1:\{/);
    expect(e.Attribute.map((a: J) => [a.type, a.category, a.to_ids])).toEqual([['ip-dst', 'Network activity', true], ['domain', 'Network activity', true]]);
    for (const a of [...e.Attribute, ...e.Object[0].Attribute]) {
      expect(a.value).toMatch(/^waggle-bt:v1:[0-9a-f]{64}\|waggle-abe:v1:\{"v":1/);
      expect(a.Tag.map((t: J) => t.name)).toContain('waggle:protected');
    }
  });

  it('lets the consumer whose key satisfies the policy read it, and not the other', async () => {
    const ok = await get(eventId, be.key, '--decrypt', '--abe-key', f('be.json'), '--verify-key', f('verify-key.pem'));
    expect(ok.code, ok.err).toBe(0);
    const read = (JSON.parse(ok.out) as J).Event;
    expect(read.info).toBe(SECRET_INFO);
    expect(read.Attribute.map((a: J) => a.value)).toEqual([SECRET_IP, SECRET_DOMAIN]);
    expect(read.Object[0].Attribute[0].value).toBe(SECRET_HASH);
    expect((read.Attribute[0].Tag ?? []).map((t: J) => t.name)).not.toContain('waggle:protected');
    expect(ok.err).toContain('decrypted 4 value(s)');

    const denied = await get(eventId, fr.key, '--decrypt', '--abe-key', f('fr.json'));
    expect(denied.code, denied.err).toBe(0);
    expect(denied.out).not.toContain(SECRET_IP);
    expect((JSON.parse(denied.out) as J).Event.Attribute[0].value).toMatch(/^waggle-bt:v1:/);
    expect(denied.err).toContain('still protected (policy not satisfied): event info (sector:energy AND country:BE OR role:CERT)');
    const strict = await get(eventId, fr.key, '--decrypt', '--abe-key', f('fr.json'), '--require-all');
    expect(strict.code).toBe(1);
    expect(strict.out).toBe('');
    expect(strict.err).toContain('4 protected value(s) are not readable with this key');
  });

  it('never holds a plaintext: not in any table, not found by restSearch', async () => {
    const dump = await dumpStore(s);
    expect(dump).toContain('waggle-abe:v1:');
    for (const secret of SECRETS) expect(dump).not.toContain(secret);
    for (const value of [SECRET_IP, SECRET_DOMAIN, SECRET_HASH]) {
      const attrs = await s.call('POST', '/attributes/restSearch', { value });
      expect(attrs.status).toBe(200);
      expect((attrs.json as J).response.Attribute).toEqual([]);
      const events = await s.call('POST', '/events/restSearch', { value });
      expect((events.json as J).response).toEqual([]);
    }
  });

  it('correlates protected attributes of two producers of one community by blind token only', async () => {
    const twin = eventFile('twin.json', { info: 'second sighting', distribution: '1', Attribute: [{ type: 'ip-src', value: SECRET_IP }] });
    const r = await runCli('event', 'protect', twin, ...protectArgs, '--community-key', f('community.key'), '--url', url, '--key', producer2.key, '--json');
    expect(r.code, r.err).toBe(0);
    const twinId = String((JSON.parse(r.out) as J).Event.id);
    const outsider = eventFile('outsider.json', { info: 'other community', distribution: '1', Attribute: [{ type: 'ip-src', value: SECRET_IP }] });
    const o = await runCli('event', 'protect', outsider, ...protectArgs, '--community-key', f('other-community.key'), '--url', url, '--key', producer2.key, '--json');
    const outsiderId = String((JSON.parse(o.out) as J).Event.id);
    const plain = await s.call('POST', '/events/add', { info: 'plain', distribution: '1', Attribute: [{ type: 'ip-dst', value: SECRET_IP }] });
    const plainId = String((plain.json as J).Event.id);

    const related = (await view(eventId)).RelatedEvent.map((e: J) => String(e.Event.id));
    expect(related).toContain(twinId);
    expect(related).not.toContain(outsiderId);
    expect(related).not.toContain(plainId);
    expect((await view(plainId)).RelatedEvent ?? []).toEqual([]);
  });

  it('refuses a malformed protected value with a clear error and stores nothing', async () => {
    const before = (await s.call('POST', '/events/restSearch', {})).json as J;
    const bad = await s.call('POST', '/events/add', { info: 'bad', Attribute: [{ type: 'ip-dst', value: 'waggle-abe:v1:{"v":1}' }] });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('protected value: the envelope lacks v, policy, abe, iv or ct');
    expect(((await s.call('POST', '/events/restSearch', {})).json as J).response).toHaveLength(before.response.length);
  });

  it('reports bad inputs clearly', async () => {
    const file = eventFile('small.json', { info: 'x', Attribute: [{ type: 'ip-dst', value: '192.0.2.1' }] });
    const badPolicy = await runCli('event', 'protect', file, '--policy', 'role:CERT AND (', '--public', f('abe-public.json'));
    expect([badPolicy.code, badPolicy.out]).toEqual([1, '']);
    expect(badPolicy.err).toMatch(/^waggle: policy/);
    const noPublic = await runCli('event', 'protect', file, '--policy', POLICY, '--public', f('missing.json'));
    expect(noPublic.code).toBe(1);
    expect(noPublic.err).toContain(`--public: cannot read ${f('missing.json')}`);
    const noKey = await get(eventId, be.key, '--decrypt', '--abe-key', f('missing-key.json'));
    expect(noKey.code).toBe(1);
    expect(noKey.err).toContain('--abe-key: cannot read');
    const withoutKey = await get(eventId, be.key, '--decrypt');
    expect(withoutKey.err).toContain('--decrypt needs --abe-key FILE');
    writeFileSync(f('bad-community.key'), 'short');
    const badCommunity = await runCli('event', 'protect', file, '--policy', POLICY, '--public', f('abe-public.json'), '--community-key', f('bad-community.key'));
    expect(badCommunity.err).toContain('must hold 64 hex digits');
    const notPem = await get(eventId, be.key, '--decrypt', '--abe-key', f('be.json'), '--verify-key', f('be.json'));
    expect(notPem.err).toContain('is not a PEM public key');
    const otherProducer = await runCli('abe', 'signing-key', '--out', join(dir, `other-${engine}`));
    expect(otherProducer.code).toBe(0);
    const forged = await get(eventId, be.key, '--decrypt', '--abe-key', f('be.json'), '--verify-key', join(dir, `other-${engine}`, 'verify-key.pem'));
    expect(forged.code).toBe(1);
    expect(forged.err).toContain('signature does not verify');
    expect(forged.out).toBe('');
    // The server (or anyone) copies an envelope onto another attribute: the reader refuses it.
    const stored = await view(eventId);
    const moved = await s.call('POST', '/events/add', { info: 'moved', distribution: '1', uuid: stored.uuid.replace(/^.{8}/, '00000000'), Attribute: [{ type: 'ip-dst', value: stored.Attribute[0].value }] });
    expect(moved.status, moved.text).toBe(200);
    const movedRead = await get(String((moved.json as J).Event.id), be.key, '--decrypt', '--abe-key', f('be.json'));
    expect(movedRead.code).toBe(1);
    expect(movedRead.err).toMatch(/Event\.Attribute\[0\]: envelope: bound to event/);
  });

  it('writes the protected event to a file without a server, protecting only the chosen attribute', async () => {
    const file = eventFile('pick.json', { uuid: '7b0c5b3c-1111-4c3a-9a53-6c1a8d1e0001', info: 'pick', Attribute: [
      { uuid: '7b0c5b3c-2222-4c3a-9a53-6c1a8d1e0002', type: 'ip-dst', value: '192.0.2.10' },
      { uuid: '7b0c5b3c-2222-4c3a-9a53-6c1a8d1e0003', type: 'ip-dst', value: '192.0.2.11' },
    ] });
    const r = await runCli('event', 'protect', file, '--policy', POLICY, '--public', f('abe-public.json'), '--attribute', '7b0c5b3c-2222-4c3a-9a53-6c1a8d1e0003', '--out', f(`pick-${engine}.out.json`), '--workers', '1');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(readFileSync(f(`pick-${engine}.out.json`), 'utf8')) as J;
    expect(out.Event.Attribute.map((a: J) => a.value.slice(0, 14))).toEqual(['192.0.2.10', 'waggle-abe:v1:']);
    const bad = await runCli('event', 'protect', file, '--policy', POLICY, '--public', f('abe-public.json'), '--workers', 'many');
    expect(bad.err).toContain('--workers must be an integer');
  });
});
