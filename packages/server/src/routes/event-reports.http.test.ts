import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExternalOrgUser, addOrgUser, startPolicyTestServer, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('event reports as PyMISP uses them on %s', (engine) => {
  let s: TestServer;
  let other: { key: string; orgId: number };
  let ev: J;
  beforeAll(async () => {
    s = await startTestServer(engine);
    other = await addOrgUser(s, 'OtherOrg');
    ev = ((await s.call('POST', '/events/add', { info: 'Campaign with a write-up', distribution: '1', published: true, Attribute: [{ type: 'ip-dst', value: '203.0.113.7' }] })).json as J).Event;
  });
  afterAll(async () => {
    await s.close();
  });

  const eventView = async (key = s.adminKey, body?: unknown): Promise<J> => ((await s.call(body === undefined ? 'GET' : 'POST', `/events/view/${String(ev.id)}`, body, key)).json as J).Event;
  const reportCount = async (): Promise<number> => s.store.read(async (repos) => (await repos.listEventReports({ includeDeleted: true })).length);

  it('adds a report (PyMISP add_event_report), shows it in the event and unpublishes the event', async () => {
    const before = await eventView();
    expect(before.published).toBe(true);
    const bus = s.messages.length;
    const r = await s.call('POST', `/eventReports/add/${String(ev.id)}`, { EventReport: { name: 'Initial analysis', content: '# Findings\n\n@[attribute](x) seen on 203.0.113.7', distribution: '5' } });
    expect(r.status, r.text).toBe(200);
    const report = (r.json as J).EventReport as J;
    expect(report).toMatchObject({ event_id: String(ev.id), name: 'Initial analysis', distribution: '5', sharing_group_id: '0', deleted: false });
    expect(report.content).toContain('# Findings');
    expect(typeof report.id).toBe('string');
    expect(report.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((r.json as J).Event).toMatchObject({ id: String(ev.id), info: 'Campaign with a write-up', Orgc: { name: 'ORGNAME' } });

    const after = await eventView();
    expect(after.published).toBe(false);
    expect(Number(after.timestamp)).toBeGreaterThan(Number(before.timestamp));
    expect((after.EventReport as J[]).map((x) => x.uuid)).toEqual([report.uuid]);
    const announced = s.messages.slice(bus).find((m) => m.topic === 'waggle_event_report') as { payload: J } | undefined;
    expect(announced?.payload).toMatchObject({ action: 'add', EventReport: { uuid: report.uuid, event_uuid: ev.uuid } });
  });

  it('views, lists and searches reports by id and UUID (get_event_report, get_event_reports)', async () => {
    const added = ((await s.call('POST', `/eventReports/add/${String(ev.id)}`, { name: 'Second note', content: 'Contains the word Kerberoasting' })).json as J).EventReport as J;
    expect((await s.call('GET', `/eventReports/view/${String(added.id)}`)).json).toMatchObject({ EventReport: { id: added.id, name: 'Second note' } });
    expect((await s.call('GET', `/eventReports/view/${String(added.uuid)}`)).json).toMatchObject({ EventReport: { id: added.id } });
    const listed = (await s.call('GET', `/eventReports/index/event_id:${String(ev.id)}`)).json as J[];
    expect(listed.map((x) => x.EventReport.name)).toEqual(['Initial analysis', 'Second note']);
    const byUuid = (await s.call('GET', `/eventReports/index/event_id:${String(ev.uuid)}`)).json as J[];
    expect(byUuid).toHaveLength(2);
    const found = (await s.call('GET', '/eventReports/index/value:kerberoast')).json as J[];
    expect(found.map((x) => x.EventReport.id)).toEqual([added.id]);
    expect((await s.call('GET', '/eventReports/index/event_id:999999')).json).toEqual([]);
    expect((await s.call('GET', '/eventReports/view/999999')).status).toBe(404);
    const badContext = await s.call('GET', '/eventReports/index/context:everything');
    expect(badContext.status).toBe(400);
    expect((badContext.json as J).message).toContain('context');
  });

  it('edits a report (update_event_report): given fields change, the timestamp advances', async () => {
    const report = ((await s.call('GET', `/eventReports/index/event_id:${String(ev.id)}`)).json as J[])[0]?.EventReport as J;
    const r = await s.call('POST', `/eventReports/edit/${String(report.id)}`, { EventReport: { uuid: report.uuid, content: 'Rewritten', timestamp: '1' } });
    expect(r.status, r.text).toBe(200);
    const edited = (r.json as J).EventReport as J;
    expect(edited).toMatchObject({ id: report.id, name: 'Initial analysis', content: 'Rewritten' });
    expect(Number(edited.timestamp)).toBeGreaterThan(Number(report.timestamp) - 1);
    expect(Number(edited.timestamp)).toBeGreaterThan(1);
    const mismatch = await s.call('POST', `/eventReports/edit/${String(report.id)}`, { uuid: '5c8c45d5-0000-4000-8000-000000000000', content: 'x' });
    expect(mismatch.status).toBe(400);
    expect((mismatch.json as J).message).toContain('uuid');
    expect(((await s.call('GET', `/eventReports/view/${String(report.id)}`)).json as J).EventReport.content).toBe('Rewritten');
  });

  it('soft-deletes, restores and hard-deletes (delete_event_report with and without hard)', async () => {
    const report = ((await s.call('POST', `/eventReports/add/${String(ev.id)}`, { name: 'Doomed' })).json as J).EventReport as J;
    const soft = await s.call('POST', `/eventReports/delete/${String(report.id)}`, {});
    expect(soft.status, soft.text).toBe(200);
    expect(soft.json).toMatchObject({ saved: true, success: true, id: report.id, message: `Event Report ${String(report.id)} soft deleted` });
    expect(((await s.call('GET', `/eventReports/view/${String(report.id)}`)).json as J).EventReport.deleted).toBe(true);
    expect((await eventView()).EventReport.map((x: J) => x.id)).not.toContain(report.id);
    expect((await eventView(s.adminKey, { deleted: [0, 1] })).EventReport.map((x: J) => x.id)).toContain(report.id);
    expect(((await s.call('GET', '/eventReports/index/context:deleted')).json as J[]).map((x) => x.EventReport.id)).toEqual([report.id]);

    expect((await s.call('POST', `/eventReports/restore/${String(report.id)}`, {})).status).toBe(200);
    expect((await eventView()).EventReport.map((x: J) => x.id)).toContain(report.id);

    const count = await reportCount();
    const hard = await s.call('POST', `/eventReports/delete/${String(report.id)}`, { hard: 1 });
    expect(hard.status, hard.text).toBe(200);
    expect((hard.json as J).message).toContain('hard deleted');
    expect(await reportCount()).toBe(count - 1);
    expect((await s.call('GET', `/eventReports/view/${String(report.id)}`)).status).toBe(404);
    const other = ((await s.call('POST', `/eventReports/add/${String(ev.id)}`, { name: 'Doomed by path' })).json as J).EventReport as J;
    const byPath = await s.call('POST', `/eventReports/delete/${String(other.id)}/1`, {});
    expect((byPath.json as J).message).toContain('hard deleted');
    expect(await reportCount()).toBe(count - 1);
  });

  it("names the report as the request did (test_event_report: response['name'] == f'Event Report {uuid} soft deleted')", async () => {
    const report = ((await s.call('POST', `/eventReports/add/${String(ev.id)}`, { name: 'By uuid' })).json as J).EventReport as J;
    const soft = await s.call('POST', `/eventReports/delete/${String(report.uuid)}`, {});
    expect(soft.status, soft.text).toBe(200);
    expect(soft.json).toMatchObject({ success: true, name: `Event Report ${String(report.uuid)} soft deleted`, message: `Event Report ${String(report.uuid)} soft deleted`, id: report.id });
    const restored = await s.call('POST', `/eventReports/restore/${String(report.uuid)}`, {});
    expect((restored.json as J).name).toBe(`Event Report ${String(report.uuid)} restored`);
    const hard = await s.call('POST', `/eventReports/delete/${String(report.uuid)}`, { hard: 1 });
    expect((hard.json as J).name).toBe(`Event Report ${String(report.uuid)} hard deleted`);
    // A reference that names nothing is still a 404, the message not echoing it.
    const missing = await s.call('POST', `/eventReports/delete/${String(report.uuid)}`, {});
    expect(missing.status).toBe(404);
  });

  it('rejects bad input with a clear error and writes nothing', async () => {
    const count = await reportCount();
    const cases: [string, unknown, number, string][] = [
      [`/eventReports/add/${String(ev.id)}`, { content: 'no name' }, 400, 'EventReport.name'],
      [`/eventReports/add/${String(ev.id)}`, { name: '   ' }, 400, 'EventReport.name'],
      [`/eventReports/add/${String(ev.id)}`, { name: 'x', content: { nested: true } }, 400, 'EventReport.content'],
      [`/eventReports/add/${String(ev.id)}`, { name: 'x', distribution: '7' }, 400, 'EventReport.distribution'],
      [`/eventReports/add/${String(ev.id)}`, { name: 'x', distribution: '4' }, 400, 'EventReport.sharing_group_id'],
      [`/eventReports/add/${String(ev.id)}`, { name: 'x', distribution: '4', sharing_group_id: '4242' }, 400, 'EventReport'],
      [`/eventReports/add/${String(ev.id)}`, { name: 'x', uuid: 'not-a-uuid' }, 400, 'EventReport.uuid'],
      ['/eventReports/add/999999', { name: 'x' }, 404, 'Invalid event'],
      ['/eventReports/add', { name: 'x' }, 400, 'event'],
    ];
    for (const [url, body, status, text] of cases) {
      const r = await s.call('POST', url, body);
      expect(r.status, `${url} ${JSON.stringify(body)}: ${r.text}`).toBe(status);
      expect(r.text).toContain(text);
    }
    const malformed = await s.app.inject({ method: 'POST', url: `/eventReports/add/${String(ev.id)}`, headers: { authorization: s.adminKey, 'content-type': 'application/json', accept: 'application/json' }, payload: '{"name": "x",' });
    expect(malformed.statusCode).toBe(400);
    // An event whose second report clashes with the first leaves neither the event nor a report behind.
    const uuid = '0f6f5e43-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    const events = ((await s.call('POST', '/events/index', {})).json as J[]).length;
    const clash = await s.call('POST', '/events/add', { info: 'two reports, one UUID', EventReport: [{ uuid, name: 'a' }, { uuid, name: 'b' }] });
    expect(clash.status).toBe(409);
    expect(((await s.call('POST', '/events/index', {})).json as J[]).length).toBe(events);
    expect(await reportCount()).toBe(count);
  });

  it('hides reports by their own distribution and lets only the owner organisation change them', async () => {
    const own = ((await s.call('POST', `/eventReports/add/${String(ev.id)}`, { name: 'Internal only', content: 'victim: acme-corp', distribution: 0 })).json as J).EventReport as J;
    const shared = ((await s.call('GET', `/eventReports/index/event_id:${String(ev.id)}`)).json as J[]).map((x) => x.EventReport.id as string).filter((id) => id !== own.id);
    // The other organisation sees the event (distribution 1) and its shared reports, not the org-only one.
    const view = await eventView(other.key);
    expect((view.EventReport as J[]).map((x) => x.id).sort()).toEqual([...shared].sort());
    const hidden = await s.call('GET', `/eventReports/view/${String(own.id)}`, undefined, other.key);
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain('acme-corp');
    expect(((await s.call('GET', '/eventReports/index', undefined, other.key)).json as J[]).map((x) => x.EventReport.id)).not.toContain(own.id);
    // It may read, not write: add, edit and delete are forbidden.
    const target = shared[0] as string;
    expect((await s.call('POST', `/eventReports/add/${String(ev.id)}`, { name: 'intruder' }, other.key)).status).toBe(403);
    expect((await s.call('POST', `/eventReports/edit/${target}`, { content: 'defaced' }, other.key)).status).toBe(403);
    expect((await s.call('POST', `/eventReports/delete/${target}`, {}, other.key)).status).toBe(403);
    expect(((await s.call('GET', `/eventReports/view/${target}`)).json as J).EventReport.content).not.toBe('defaced');
    // An event of the owner organisation only: neither it nor its reports exist for others.
    const secret = ((await s.call('POST', '/events/add', { info: 'secret', distribution: '0', EventReport: [{ name: 'secret report', content: 'x' }] })).json as J).Event;
    const secretReport = (secret.EventReport as J[])[0] as J;
    expect(secretReport.name).toBe('secret report');
    expect((await s.call('GET', `/eventReports/view/${String(secretReport.id)}`, undefined, other.key)).status).toBe(404);
    expect((await s.call('POST', `/eventReports/add/${String(secret.id)}`, { name: 'x' }, other.key)).status).toBe(404);
    expect((await s.call('GET', `/eventReports/index/event_id:${String(secret.id)}`, undefined, other.key)).json).toEqual([]);
  });

  it('takes reports in events/add and merges them by UUID in events/edit; newer timestamps win', async () => {
    const uuid = '7d1a9c1e-5b7a-4c2f-9d3e-2a1b0c9d8e7f';
    const created = await s.call('POST', '/events/add', { Event: { info: 'with report', EventReport: [{ uuid, name: 'v1', content: 'first', timestamp: '1700000000' }] } });
    expect(created.status, created.text).toBe(200);
    const e = (created.json as J).Event;
    expect(e.EventReport).toEqual([expect.objectContaining({ uuid, name: 'v1', content: 'first', timestamp: '1700000000' })]);
    // An older copy changes nothing; a newer one replaces the fields; a new UUID adds a report.
    await s.call('POST', `/events/edit/${String(e.id)}`, { Event: { EventReport: [{ uuid, name: 'stale', timestamp: '1600000000' }] } });
    await s.call('POST', `/events/edit/${String(e.id)}`, { Event: { EventReport: [{ uuid, name: 'v2', content: 'second', timestamp: '1800000000' }, { name: 'added by edit' }] } });
    const reports = ((await s.call('GET', `/events/view/${String(e.id)}`)).json as J).Event.EventReport as J[];
    expect(reports.map((r) => [r.name, r.content])).toEqual([['v2', 'second'], ['added by edit', '']]);
    expect(reports[0]?.timestamp).toBe('1800000000');
    // A report UUID of another event is refused.
    const stolen = await s.call('POST', `/events/edit/${String(ev.id)}`, { Event: { EventReport: [{ uuid, name: 'moved' }] } });
    expect(stolen.status).toBe(409);
    // Deleting the event deletes its reports.
    expect((await s.call('POST', `/events/delete/${String(e.id)}`, {})).status).toBe(200);
    expect((await s.call('GET', `/eventReports/view/${uuid}`)).status).toBe(404);
  });
});

describe.each(testEngines())('event reports under an anonymisation policy on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startPolicyTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('gives recipients (external organisations) no reports: they are free text the policy cannot pseudonymise', async () => {
    const ev = ((await s.call('POST', '/events/add', { info: 'Victim event', distribution: '1', Attribute: [{ type: 'ip-dst', value: '198.51.100.5' }], EventReport: [{ name: 'incident', content: 'j.doe at victim-corp clicked' }] })).json as J).Event;
    const report = (ev.EventReport as J[])[0] as J;
    const partner = await addExternalOrgUser(s, 'Partner');
    for (const [method, url] of [['GET', `/eventReports/view/${String(report.id)}`], ['POST', `/eventReports/add/${String(ev.id)}`], ['GET', `/events/view/${String(ev.id)}`]] as const) {
      const r = await s.call(method, url, method === 'POST' ? { name: 'x' } : undefined, partner.key);
      expect(r.text, url).not.toContain('victim-corp');
    }
    expect((await s.call('GET', `/eventReports/index/event_id:${String(ev.id)}`, undefined, partner.key)).json).toEqual([]);
    const local = await addOrgUser(s, 'Colleague');
    expect(((await s.call('GET', `/eventReports/index/event_id:${String(ev.id)}`, undefined, local.key)).json as J[]).map((x) => x.EventReport.id)).toEqual([report.id]);
  });
});
