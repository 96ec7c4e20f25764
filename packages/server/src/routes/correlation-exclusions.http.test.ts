import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('correlation exclusions (PyMISP *_correlation_exclusion) on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  const addEvent = async (attributes: J[]): Promise<J> => ((await s.call('POST', '/events/add', { info: 'exclusion test', distribution: '1', Attribute: attributes })).json as J).Event;
  const related = async (ev: J): Promise<string[]> => (((await s.call('GET', `/events/view/${String(ev.id)}`)).json as J).Event.RelatedEvent as J[]).map((e) => String(e.Event.id));
  const relatedValues = async (ev: J): Promise<string[]> => {
    const view = ((await s.call('GET', `/events/view/${String(ev.id)}`)).json as J).Event;
    return (view.Attribute as J[]).filter((a) => (a.RelatedAttribute ?? []).length > 0).map((a) => a.value as string).sort();
  };

  it('stops an excluded value from correlating at once, and brings it back when the exclusion goes', async () => {
    const a = await addEvent([{ type: 'domain', value: 'update.microsoft-lookalike.example' }, { type: 'ip-dst', value: '198.51.100.200' }]);
    const b = await addEvent([{ type: 'domain', value: 'update.microsoft-lookalike.example' }, { type: 'ip-dst', value: '198.51.100.200' }]);
    expect(await relatedValues(a)).toEqual(['198.51.100.200', 'update.microsoft-lookalike.example']);

    const added = await s.call('POST', '/correlation_exclusions/add', { value: '198.51.100.200', comment: 'sinkhole' });
    expect(added.status, added.text).toBe(200);
    const x = (added.json as J).CorrelationExclusion as J;
    expect(x).toMatchObject({ value: '198.51.100.200', comment: 'sinkhole', from_json: false });
    expect(await relatedValues(a)).toEqual(['update.microsoft-lookalike.example']);
    expect(await related(a)).toEqual([String(b.id)]);

    // A trailing or leading % excludes a family of values.
    const wild = ((await s.call('POST', '/correlation_exclusions/add', { CorrelationExclusion: { value: 'update.microsoft%' } })).json as J).CorrelationExclusion as J;
    expect(await relatedValues(a)).toEqual([]);
    expect(await related(a)).toEqual([]);

    const list = (await s.call('GET', '/correlation_exclusions')).json as J[];
    expect(list.map((e) => e.CorrelationExclusion.value)).toEqual(['198.51.100.200', 'update.microsoft%']);
    expect((await s.call('GET', `/correlation_exclusions/view/${String(x.id)}`)).json).toMatchObject({ CorrelationExclusion: { id: x.id } });
    expect((await s.call('POST', '/correlation_exclusions/clean', {})).status).toBe(200);

    for (const id of [x.id, wild.id]) expect((await s.call('POST', `/correlation_exclusions/delete/${String(id)}`, {})).status).toBe(200);
    expect(await relatedValues(a)).toEqual(['198.51.100.200', 'update.microsoft-lookalike.example']);
    expect((await s.call('GET', `/correlation_exclusions/view/${String(x.id)}`)).status).toBe(404);
  });

  it('excludes CIDR containment too', async () => {
    const block = await addEvent([{ type: 'ip-dst', value: '203.0.113.0/24' }]);
    const inside = await addEvent([{ type: 'ip-src', value: '203.0.113.45' }]);
    expect(await related(inside)).toContain(String(block.id));
    const x = ((await s.call('POST', '/correlation_exclusions/add', { value: '203.0.113.0/24' })).json as J).CorrelationExclusion as J;
    expect(await related(inside)).not.toContain(String(block.id));
    expect(await related(block)).not.toContain(String(inside.id));
    await s.call('POST', `/correlation_exclusions/delete/${String(x.id)}`, {});
    expect(await related(inside)).toContain(String(block.id));
  });

  it('is for site admins only, and refuses bad input without writing anything', async () => {
    const user = await addOrgUser(s, 'NotAdmin', 2);
    expect((await s.call('GET', '/correlation_exclusions', undefined, user.key)).status).toBe(403);
    expect((await s.call('POST', '/correlation_exclusions/add', { value: 'x.example' }, user.key)).status).toBe(403);
    const before = ((await s.call('GET', '/correlation_exclusions')).json as J[]).length;
    for (const [body, status] of [[{}, 400], [{ value: '' }, 400], [{ value: '%' }, 400], [{ value: 42 }, 400], [{ value: 'x.example', comment: ['no'] }, 400]] as const) {
      const r = await s.call('POST', '/correlation_exclusions/add', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect((r.json as J).field).toContain('CorrelationExclusion');
    }
    expect((await s.call('POST', '/correlation_exclusions/add', { value: 'dup.example' })).status).toBe(200);
    const dup = await s.call('POST', '/correlation_exclusions/add', { value: 'dup.example' });
    expect(dup.status).toBe(409);
    expect((dup.json as J).message).toBe('Value is already in the exclusion list.');
    expect(((await s.call('GET', '/correlation_exclusions')).json as J[]).length).toBe(before + 1);
    expect((await s.call('POST', '/correlation_exclusions/delete/999999', {})).status).toBe(404);
  });
});
