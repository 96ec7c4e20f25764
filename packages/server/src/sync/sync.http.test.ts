import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryHash, type AuditLogRecord } from '@waggle/core';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { listen } from '../test-support/listening-server.js';
import { startRelay } from '../test-support/relay.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any


describe.each(testEngines())('MISP sync between two waggle instances (%s)', (engine) => {
  let a: TestServer;
  let b: TestServer;
  let aUrl: string;
  let bUrl: string;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  const ids: Record<string, string> = {};
  let partnerB: { orgId: number; key: string };

  async function addEvent(s: TestServer, info: string, distribution: number, extra: J = {}): Promise<J> {
    const r = await s.call('POST', '/events/add', { info, distribution: String(distribution), Attribute: [{ type: 'ip-dst', value: `198.51.100.${String(distribution + 10)}` }, { type: 'domain', value: `${info.replace(/\W+/g, '-').toLowerCase()}.example` }], ...extra });
    expect(r.status, r.text).toBe(200);
    const ev = (r.json as J).Event;
    if (extra.published !== false) expect((await s.call('POST', `/events/publish/${String(ev.id)}`)).status).toBe(200);
    return ev;
  }
  const infosOn = async (s: TestServer): Promise<Map<string, J>> => {
    const rows = (await s.call('POST', '/events/index', {})).json as J[];
    return new Map(rows.map((r) => [r.info as string, r]));
  };

  beforeAll(async () => {
    a = await startTestServer(engine);
    b = await startTestServer(engine);
    aUrl = await listen(a);
    bUrl = await listen(b);
    relay = await startRelay(Number(new URL(aUrl).port));
    // Each side has a sync user for the other; the remote organisation is known locally by UUID.
    const bSyncOnA = await addOrgUser(a, `PartnerB${engine}`, 5);
    partnerB = bSyncOnA;
    const aSyncOnB = await addOrgUser(b, `PartnerA${engine}`, 5);
    const remoteOnA = (await a.call('POST', '/servers/add', { Server: { name: 'B', url: bUrl, authkey: aSyncOnB.key, push: true, remote_org_id: bSyncOnA.orgId } }));
    expect(remoteOnA.status, remoteOnA.text).toBe(200);
    ids.bOnA = (remoteOnA.json as J).Server.id;
    const remoteOnB = await b.call('POST', '/servers/add', { Server: { name: 'A', url: `http://127.0.0.1:${String(relay.port)}`, authkey: bSyncOnA.key, pull: true, remote_org_id: aSyncOnB.orgId } });
    expect(remoteOnB.status, remoteOnB.text).toBe(200);
    ids.aOnB = (remoteOnB.json as J).Server.id;
  });
  afterAll(async () => {
    await relay.close();
    await a.close();
    await b.close();
  });

  it('tests the connection and lists servers without their keys', async () => {
    const t = (await a.call('GET', `/servers/testConnection/${ids.bOnA}`)).json as J;
    expect(t).toMatchObject({ status: 1, message: 'OK', perm_sync: true });
    const list = (await a.call('GET', '/servers/index')).json as J[];
    expect(list[0]?.Server).toMatchObject({ name: 'B', url: bUrl, authkey: '', push: true });
    const bad = await a.call('POST', '/servers/add', { Server: { name: 'x', url: 'ftp://nope', authkey: 'k' } });
    expect(bad.status).toBe(400);
    expect(((await a.call('GET', '/servers/index')).json as J[]).length).toBe(1);
    const other = await addOrgUser(a, `Plain${engine}`, 3);
    expect((await a.call('GET', '/servers/index', undefined, other.key)).status).toBe(403);
  });

  it('pushes only what distribution allows, downgrading connected communities', async () => {
    await addEvent(a, 'push org only', 0);
    await addEvent(a, 'push community', 1);
    await addEvent(a, 'push connected', 2);
    await addEvent(a, 'push all', 3);
    await addEvent(a, 'push unpublished', 3, { published: false });
    const r = (await a.call('POST', `/servers/push/${ids.bOnA}/full`)).json as J;
    expect(r.success, JSON.stringify(r)).toBe(true);
    const onB = await infosOn(b);
    expect(onB.has('push org only')).toBe(false);
    expect(onB.has('push community')).toBe(false);
    expect(onB.has('push unpublished')).toBe(false);
    expect(onB.get('push connected')?.distribution).toBe('1');
    expect(onB.get('push all')?.distribution).toBe('3');
    // The second push has nothing new to send.
    const again = (await a.call('POST', `/servers/push/${ids.bOnA}`)).json as J;
    expect(again.report.created + again.report.updated).toBe(0);
  });

  it('pushes sharing-group events only to member servers, and the receiver captures the group', async () => {
    const mk = async (name: string, withServer: boolean): Promise<string> => {
      const sg = await a.call('POST', '/sharing_groups/add', { name: `${name} ${engine}`, releasability: 'partners' });
      expect(sg.status, sg.text).toBe(200);
      const id = String((sg.json as J).SharingGroup.id);
      expect((await a.call('POST', `/sharing_groups/addOrg/${id}/${String(partnerB.orgId)}`)).status).toBe(200);
      if (withServer) expect((await a.call('POST', `/sharing_groups/addServer/${id}/${ids.bOnA as string}`)).status).toBe(200);
      return id;
    };
    const member = await mk('with B', true);
    const outsider = await mk('without B', false);
    await addEvent(a, 'sg member event', 4, { sharing_group_id: member });
    await addEvent(a, 'sg outsider event', 4, { sharing_group_id: outsider });
    const r = (await a.call('POST', `/servers/push/${ids.bOnA}`)).json as J;
    expect(r.success, JSON.stringify(r)).toBe(true);
    const onB = await infosOn(b);
    expect(onB.has('sg outsider event')).toBe(false);
    const got = onB.get('sg member event');
    expect(got?.distribution).toBe('4');
    const view = ((await b.call('GET', `/events/view/${String(got?.id)}`)).json as J).Event;
    const groups = ((await b.call('GET', '/sharing_groups/index')).json as J).response as J[];
    const captured = groups.find((g) => g.SharingGroup.name === `with B ${engine}`);
    expect(captured, JSON.stringify(groups.map((g) => g.SharingGroup.name))).toBeDefined();
    expect(view.sharing_group_id).toBe(String(captured?.SharingGroup.id));
  });

  it('pulls what the remote sync user may see, incrementally, and propagates edits and deletions', async () => {
    await addEvent(a, 'pull org only', 0);
    const community = await addEvent(a, 'pull community', 1);
    await addEvent(a, 'pull all', 3);
    const first = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(first.success, JSON.stringify(first)).toBe(true);
    let onB = await infosOn(b);
    expect(onB.has('pull org only')).toBe(false);
    // Pulled community data stays in the receiving organisation (MISP downgrades 1 to 0 on pull).
    expect(onB.get('pull community')?.distribution).toBe('0');
    expect(onB.get('pull all')?.distribution).toBe('3');
    expect(onB.get('pull all')?.Orgc.name).toBe('ORGNAME');

    // Nothing changed: nothing is fetched again.
    const noop = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(noop.report).toMatchObject({ created: 0, updated: 0, failed: 0 });

    // Edit on A: add an attribute, delete one, republish.
    const view = ((await a.call('GET', `/events/view/${String(community.id)}`)).json as J).Event;
    const doomed = view.Attribute.find((x: J) => x.type === 'domain');
    expect((await a.call('POST', `/attributes/delete/${String(doomed.id)}`)).status).toBe(200);
    expect((await a.call('POST', `/attributes/add/${String(community.id)}`, { type: 'url', value: 'https://pulled.example/x' })).status).toBe(200);
    expect((await a.call('POST', `/events/publish/${String(community.id)}`)).status).toBe(200);
    const second = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(second.report.updated, JSON.stringify(second)).toBe(1);
    onB = await infosOn(b);
    const copy = ((await b.call('POST', `/events/view/${String(onB.get('pull community')?.id)}`, { deleted: 1 })).json as J).Event;
    const byType = new Map<string, J>(copy.Attribute.map((x: J) => [x.type as string, x]));
    expect(byType.get('url')?.value).toBe('https://pulled.example/x');
    expect(byType.get('domain')?.deleted).toBe(true);
  });

  it('carries sightings with their organisation, on pull and on push', async () => {
    const ev = await addEvent(a, 'sighted', 3);
    const attr = ((await a.call('GET', `/events/view/${String(ev.id)}`)).json as J).Event.Attribute[0];
    // MISP's sighting policy: B's sync user sees its own organisation's sightings on A's event (not A's own).
    const sight = await a.call('POST', '/sightings/add', { id: attr.id, source: 'honeypot-7' }, partnerB.key);
    expect(sight.status, sight.text).toBe(200);
    expect((await a.call('POST', '/sightings/add', { id: attr.id, source: 'a-internal' })).status).toBe(200);
    const r = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(r.success, JSON.stringify(r)).toBe(true);
    const copy = (await infosOn(b)).get('sighted');
    const view = ((await b.call('POST', `/events/view/${String(copy?.id)}`, { includeSightings: 1 })).json as J).Event;
    const sightings = view.Attribute.flatMap((x: J) => x.Sighting ?? []);
    expect(sightings).toHaveLength(1);
    expect(sightings[0]).toMatchObject({ source: 'honeypot-7', Organisation: { name: `PartnerB${engine}` } });
    // A second pull does not duplicate it.
    await b.call('POST', `/servers/pull/${ids.aOnB}`);
    const again = ((await b.call('POST', `/events/view/${String(copy?.id)}`, { includeSightings: 1 })).json as J).Event;
    expect(again.Attribute.flatMap((x: J) => x.Sighting ?? [])).toHaveLength(1);
  });

  it('carries event reports by their own distribution, on push and on pull, and their edits', async () => {
    const ev = await addEvent(a, 'reported', 3, { EventReport: [{ name: 'public write-up', content: 'C2 at 198.51.100.13' }, { name: 'org only', content: 'internal victim list', distribution: '0' }], published: false });
    expect((await a.call('POST', `/events/publish/${String(ev.id)}`)).status).toBe(200);
    const pushed = (await a.call('POST', `/servers/push/${ids.bOnA}/full`)).json as J;
    expect(pushed.success, JSON.stringify(pushed)).toBe(true);
    const copyId = String((await infosOn(b)).get('reported')?.id);
    const reportsOnB = async (): Promise<J[]> => ((await b.call('GET', `/events/view/${copyId}`)).json as J).Event.EventReport as J[];
    expect((await reportsOnB()).map((r) => [r.name, r.content])).toEqual([['public write-up', 'C2 at 198.51.100.13']]);

    // An edit on A travels with the next pull, the org-only report still stays home.
    const report = ((await a.call('GET', `/eventReports/index/event_id:${String(ev.id)}`)).json as J[]).find((r) => r.EventReport.name === 'public write-up')?.EventReport as J;
    expect((await a.call('POST', `/eventReports/edit/${String(report.id)}`, { content: 'C2 moved to 198.51.100.14' })).status).toBe(200);
    expect((await a.call('POST', `/events/publish/${String(ev.id)}`)).status).toBe(200);
    const pulled = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(pulled.success, JSON.stringify(pulled)).toBe(true);
    const after = await reportsOnB();
    expect(after.map((r) => [r.uuid, r.content])).toEqual([[report.uuid, 'C2 moved to 198.51.100.14']]);
    expect(JSON.stringify(after)).not.toContain('internal victim list');
  });

  it('witnesses the peer’s audit chain: kept on the first run, grown on the next, rewritten history raised', async () => {
    const chainOnB = async (): Promise<J> => (await b.call('GET', `/servers/audit_chain/${ids.aOnB}`)).json as J;
    const first = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(['first', 'extends', 'unchanged']).toContain(first.report.auditChain?.status);
    const kept = await chainOnB();
    const headOnA = (await a.call('GET', '/audit/chain/head')).json as J;
    expect(kept).toMatchObject({ size: headOnA.size, hash: headOnA.hash, public_key: headOnA.public_key });

    await addEvent(a, 'witnessed growth', 3);
    const grown = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(grown.report.auditChain).toMatchObject({ status: 'extends' });
    expect((await chainOnB()).size).toBeGreaterThan(kept.size as number);

    // An operator rewrites entry 2 on A and rebuilds the chain after it, head included.
    const db = a.store.connection.db;
    const rows = await a.store.read((repos) => repos.listAuditChain(1, 100_000));
    let prev = (rows[0] as AuditLogRecord).hash;
    for (const r of rows.slice(1)) {
      const fields = { ...r, prev_hash: prev, model_title: r.seq === 2 ? 'nothing happened here' : r.model_title };
      const hash = auditEntryHash(fields);
      await db.updateTable('audit_logs').set({ model_title: fields.model_title, prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
      prev = hash;
    }
    await db.updateTable('audit_chain_head').set({ hash: prev }).where('id', '=', 1).execute();
    const before = await chainOnB();
    await addEvent(a, 'after the rewrite', 3);
    const caught = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(caught.report.auditChain).toMatchObject({ status: 'rewritten' });
    expect(caught.message).toContain('Peer audit chain rewritten');
    const after = await chainOnB();
    expect(after).toMatchObject({ status: 'rewritten', size: before.size, hash: before.hash });
    const log = (await b.call('GET', `/servers/sync_log/${ids.aOnB}`)).json as J[];
    expect(JSON.stringify(log)).toContain('peer audit chain rewritten');
    // A peer that rebuilt its log on purpose (and said so) is accepted again after a reset, audited.
    const partner = await addOrgUser(b, `Plain2${engine}`, 3);
    expect((await b.call('POST', `/servers/reset_audit_chain/${ids.aOnB}`, {}, partner.key)).status).toBe(403);
    expect((await b.call('POST', `/servers/reset_audit_chain/${ids.aOnB}`, {})).status).toBe(200);
    expect(await chainOnB()).toMatchObject({ status: 'never checked' });
    expect(((await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J).report.auditChain).toMatchObject({ status: 'first' });
    expect((await b.call('POST', '/admin/logs/index', { model: 'PeerAuditChain', action: 'reset' })).json).toHaveLength(1);
  });

  it('survives a connection cut mid-pull and resumes on the next run', async () => {
    for (let i = 0; i < 6; i++) await addEvent(a, `cut ${String(i)}`, 3);
    relay.cut = 1500;
    const broken = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(broken.success === false || broken.report.failed > 0, JSON.stringify(broken)).toBe(true);
    const log = (await b.call('GET', `/servers/syncLog/${ids.aOnB}`)).json as J[];
    expect(log.some((l) => l.level !== 'info')).toBe(true);
    relay.cut = undefined;
    const healed = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(healed.success, JSON.stringify(healed)).toBe(true);
    const onB = await infosOn(b);
    for (let i = 0; i < 6; i++) expect(onB.has(`cut ${String(i)}`)).toBe(true);
  });

  it('never pulls a blocklisted event again', async () => {
    const ev = await addEvent(a, 'blocked one', 3);
    const add = await b.call('POST', '/eventBlocklists/add', { uuids: [ev.uuid], comment: 'noise' });
    expect(add.status, add.text).toBe(200);
    await b.call('POST', `/servers/pull/${ids.aOnB}`);
    expect((await infosOn(b)).has('blocked one')).toBe(false);
    expect(((await b.call("GET", "/eventBlocklists/index")).json as J[])[0]?.EventBlocklist.event_uuid).toBe(ev.uuid);
  });

  it('refuses a remote copy over an event created locally', async () => {
    const uuid = 'c0ffee00-1234-4abc-8def-0123456789ab';
    await addEvent(b, 'local original', 3, { uuid });
    await addEvent(a, 'remote impostor', 3, { uuid });
    const r = (await b.call('POST', `/servers/pull/${ids.aOnB}`)).json as J;
    expect(r.report.failed, JSON.stringify(r)).toBe(1);
    expect(r.report.errors[0].message).toMatch(/created on this instance/);
    const mine = (await infosOn(b));
    expect(mine.has('local original')).toBe(true);
    expect(mine.has('remote impostor')).toBe(false);
  });
});
