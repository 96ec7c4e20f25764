import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('audit log as MISP logs (search_logs, event history) on %s', (engine) => {
  let s: TestServer;
  let orgAdmin: { key: string; orgId: number; userId: number };
  let member: { key: string; orgId: number; userId: number };
  let ev: J;
  let theirs: J;
  beforeAll(async () => {
    s = await startTestServer(engine);
    orgAdmin = await addOrgUser(s, 'Partner', 2);
    member = await addOrgUser(s, 'Partner', 3);
    ev = ((await s.call('POST', '/events/add', { info: 'Audited phishing wave', distribution: '1', Attribute: [{ type: 'domain', value: 'audited.example' }] })).json as J).Event;
    const attr = (ev.Attribute as J[])[0] as J;
    expect((await s.call('POST', `/attributes/edit/${String(attr.id)}`, { comment: 'checked' })).status).toBe(200);
    expect((await s.call('POST', `/eventReports/add/${String(ev.id)}`, { name: 'write-up', content: 'x' })).status).toBe(200);
    theirs = ((await s.call('POST', '/events/add', { info: 'Partner own event', distribution: '0' }, member.key)).json as J).Event;
  });
  afterAll(async () => {
    await s.close();
  });

  const logs = async (body: J, key = s.adminKey): Promise<J[]> => {
    const r = await s.call('POST', '/admin/logs/index', body, key);
    expect(r.status, r.text).toBe(200);
    return (r.json as J[]).map((x) => x.Log as J);
  };

  it('lets a site admin search by model, action, title pattern, e-mail, organisation and time', async () => {
    const adds = await logs({ model: 'Event', action: 'add' });
    expect(adds.map((l) => l.model_id)).toEqual([String(theirs.id), String(ev.id)]); // newest first
    const mine = adds.find((l) => l.model_id === String(ev.id)) as J;
    expect(mine).toMatchObject({ model: 'Event', action: 'add', title: `Event (${String(ev.id)}): Audited phishing wave`, org: 'ORGNAME', email: 'admin@admin.test' });
    expect(mine.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(JSON.parse(mine.change as string)).toMatchObject({ attributes: 1 });
    expect((await logs({ title: '%phishing%' })).map((l) => l.model)).toEqual(['Event']);
    expect((await logs({ model: ['Attribute', 'EventReport'] })).map((l) => `${String(l.model)}:${String(l.action)}`).sort()).toEqual(['Attribute:edit', 'EventReport:add']);
    expect((await logs({ org: 'Partner' })).map((l) => l.model_id)).toEqual([String(theirs.id)]);
    expect((await logs({ email: '%@partner.test' })).every((l) => l.org === 'Partner')).toBe(true);
    expect(await logs({ created: '2000-01-01', model: 'Nothing' })).toEqual([]);
    // The test server's clock starts at 1,700,000,000 (2023-11-14 22:13:20 UTC); a range may come in either order.
    expect((await logs({ created: [1_700_100_000, 1_699_999_000] })).length).toBeGreaterThanOrEqual(4);
    expect((await logs({ created: '2023-11-14', limit: 2, page: 1 })).length).toBe(2);
    expect(await logs({ created: '2023-11-16' })).toEqual([]);
    expect(await logs({ created: '1d' })).toEqual([]); // relative to the real clock: nothing that recent
    const page2 = await logs({ limit: 2, page: 2 });
    const page1 = await logs({ limit: 2, page: 1 });
    expect(page2[0]?.id).not.toBe(page1[0]?.id);
    // PyMISP sends log_id as id; named parameters work too.
    expect((await logs({ id: mine.id })).map((l) => l.id)).toEqual([mine.id]);
    const named = await s.call('GET', `/admin/logs/index/model:Event/model_id:${String(ev.id)}`);
    expect((named.json as J[]).map((x) => x.Log.model_id)).toEqual([String(ev.id)]);
  });

  it('restricts an organisation admin to their organisation and refuses other users', async () => {
    const seen = await logs({}, orgAdmin.key);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((l) => l.org === 'Partner')).toBe(true);
    expect(await logs({ org: 'ORGNAME' }, orgAdmin.key)).toEqual([]);
    const refused = await s.call('POST', '/admin/logs/index', {}, member.key);
    expect(refused.status).toBe(403);
  });

  it('answers bad filters with 400 naming the field', async () => {
    for (const [body, field] of [[{ limit: 'many' }, 'limit'], [{ page: 0 }, 'page'], [{ created: 'yesterday-ish' }, 'created'], [{ model_id: 'x' }, 'model_id'], [{ title: { a: 1 } }, 'title']] as const) {
      const r = await s.call('POST', '/admin/logs/index', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.json as J).field ?? (r.json as J).message).toContain(field);
    }
  });

  it('shows an event history to those who may see the event, without other organisations’ e-mails', async () => {
    const history = ((await s.call('GET', `/logs/event_index/${String(ev.id)}`)).json as J).Log as J[];
    expect(history.map((l) => `${String(l.model)}:${String(l.action)}`).sort()).toEqual(['Attribute:edit', 'Event:add', 'EventReport:add']);
    expect(history.every((l) => l.email === 'admin@admin.test')).toBe(true);
    const asMember = ((await s.call('GET', `/logs/event_index/${String(ev.uuid)}`, undefined, member.key)).json as J).Log as J[];
    expect(asMember).toHaveLength(3);
    expect(asMember.every((l) => l.email === '')).toBe(true);
    // An event of another organisation with distribution 0 does not exist for them.
    expect((await s.call('GET', `/logs/event_index/${String(theirs.id)}`)).status).toBe(200);
    const outsider = await addOrgUser(s, 'Outsider');
    expect((await s.call('GET', `/logs/event_index/${String(theirs.id)}`, undefined, outsider.key)).status).toBe(404);
    expect((await s.call('GET', '/logs/event_index/999999')).status).toBe(404);
  });
});
