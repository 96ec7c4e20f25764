import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('MISP organisation API on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('adds an organisation from a bare PyMISP body and finds it by id, uuid and name', async () => {
    const add = await s.call('POST', '/admin/organisations/add', { name: 'Big Corp', uuid: 'b1e5a4f2-6a0e-4b8e-9a55-1c0e7b3c9d01', local: true, nationality: 'LU', sector: 'Finance' });
    expect(add.status).toBe(200);
    const org = (add.json as J).Organisation;
    expect(org).toMatchObject({ name: 'Big Corp', uuid: 'b1e5a4f2-6a0e-4b8e-9a55-1c0e7b3c9d01', local: true, nationality: 'LU' });
    for (const ref of [org.id, org.uuid, 'Big+Corp']) {
      const v = await s.call('GET', `/organisations/view/${ref}`);
      expect(v.status).toBe(200);
      expect((v.json as J).Organisation.id).toBe(org.id);
    }
    expect((await s.call('HEAD', `/organisations/view/${org.id}`)).status).toBe(200);
    const head404 = await s.call('HEAD', '/organisations/view/99999');
    expect([head404.status, head404.text]).toEqual([404, '']);
  });

  it('lists with named parameters scope and searchall', async () => {
    await s.call('POST', '/admin/organisations/add', { Organisation: { name: 'Faraway', local: false } });
    const local = await s.call('GET', '/organisations/index/scope:local');
    expect((local.json as J[]).map((o) => o.Organisation.name)).not.toContain('Faraway');
    const all = await s.call('GET', '/organisations/index/scope:all/searchall:farAw');
    expect((all.json as J[]).map((o) => o.Organisation.name)).toEqual(['Faraway']);
    const bad = await s.call('GET', '/organisations/index/scope:nowhere');
    expect(bad.status).toBe(400);
  });

  it('answers duplicates, unknown ids and permission denials with JSON errors', async () => {
    await s.call('POST', '/admin/organisations/add', { name: 'Dup Org' });
    const dup = await s.call('POST', '/admin/organisations/add', { name: 'dup org' });
    expect(dup.status).toBe(400);
    expect(dup.json).toMatchObject({ field: 'Organisation.name' });
    const missing = await s.call('GET', '/organisations/view/99999');
    expect(missing.status).toBe(404);
    expect((missing.json as J).message).toBeTypeOf('string');
    const user = await addOrgUser(s, 'Plain Org');
    const denied = await s.call('POST', '/admin/organisations/add', { name: 'Sneaky' }, user.key);
    expect(denied.status).toBe(403);
    expect((denied.json as J).message).toBeTypeOf('string');
    expect((await s.call('GET', '/organisations/view/Sneaky')).status).toBe(404);
  });

  it('edits and deletes; refuses to delete an organisation in use', async () => {
    const org = ((await s.call('POST', '/admin/organisations/add', { name: 'Short Lived' })).json as J).Organisation;
    const edit = await s.call('POST', `/admin/organisations/edit/${org.uuid}`, { ...org, description: 'gone soon', id: org.id });
    expect((edit.json as J).Organisation).toMatchObject({ name: 'Short Lived', description: 'gone soon' });
    const del = await s.call('POST', `/admin/organisations/delete/${org.id}`);
    expect(del.json).toMatchObject({ saved: true, success: true, name: 'Organisation deleted' });
    const used = await addOrgUser(s, 'Busy Org');
    const refused = await s.call('POST', `/admin/organisations/delete/${used.orgId}`);
    expect(refused.status).toBe(409);
  });
});
