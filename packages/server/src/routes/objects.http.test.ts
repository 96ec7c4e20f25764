import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A standalone domain-ip object as PyMISP's add_object sends it (fresh UUIDs, ints as strings). */
const domainIp = (domain: string, ip: string): J => ({
  name: 'domain-ip',
  'meta-category': 'network',
  description: 'A domain and its IP addresses',
  template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
  template_version: '9',
  uuid: randomUUID(),
  distribution: '5',
  sharing_group_id: '0',
  Attribute: [
    { object_relation: 'domain', type: 'domain', value: domain, category: 'Network activity', to_ids: true, disable_correlation: false, uuid: randomUUID() },
    { object_relation: 'ip', type: 'ip-dst', value: ip, category: 'Network activity', to_ids: true, disable_correlation: false, uuid: randomUUID() },
  ],
});

describe.each(testEngines())('MISP objects/add on %s', (engine) => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startTestServer(engine);
    id = String(((await s.call('POST', '/events/add', { info: 'Objects' })).json as J).Event.id);
  });
  afterAll(async () => {
    await s.close();
  });

  it('refuses a duplicate object only when breakOnDuplicate is asked, as add_object(break_on_duplicate=True) does', async () => {
    const first = await s.call('POST', `/objects/add/${id}`, domainIp('dup.example', '198.51.100.1'));
    expect(first.status).toBe(200);
    // PyMISP's default (break_on_duplicate=False) sends no named parameter: the copy is stored.
    expect((await s.call('POST', `/objects/add/${id}`, domainIp('dup.example', '198.51.100.1'))).status).toBe(200);
    const refused = await s.call('POST', `/objects/add/${id}/breakOnDuplicate:1`, domainIp('DUP.example', '198.51.100.1'));
    expect(refused.status).toBe(400);
    expect((refused.json as J).message).toMatch(/^Duplicate object found/);
    const flagged = await s.call('POST', `/objects/add/${id}`, { ...domainIp('dup.example', '198.51.100.1'), breakOnDuplicate: true });
    expect(flagged.status).toBe(400);
    // Other values, or the same values in a soft-deleted object only, are not duplicates.
    expect((await s.call('POST', `/objects/add/${id}/breakOnDuplicate:1`, domainIp('dup.example', '198.51.100.2'))).status).toBe(200);
    const lone = ((await s.call('POST', `/objects/add/${id}`, domainIp('lone.example', '198.51.100.3'))).json as J).Object;
    expect((await s.call('POST', `/objects/delete/${String(lone.id)}`, {})).status).toBe(200);
    const again = await s.call('POST', `/objects/add/${id}/breakOnDuplicate:1`, domainIp('lone.example', '198.51.100.3'));
    expect(again.status).toBe(200);
    expect((again.json as J).Object).toMatchObject({ name: 'domain-ip' });
    const objects = (((await s.call('GET', `/events/view/${id}`)).json as J).Event.Object as J[]).filter((o) => o.deleted !== true);
    expect(objects).toHaveLength(4);
  });
});
