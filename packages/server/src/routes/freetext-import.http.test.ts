import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntelDocuments } from '@waggle/store';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { storeWarninglists } from '../intel/test-support/intel-fixtures.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('events/freeTextImport (PyMISP freetext) on %s', (engine) => {
  let s: TestServer;
  let user: { key: string };
  let stranger: { key: string };
  let eventId: string;

  beforeAll(async () => {
    s = await startTestServer(engine);
    await storeWarninglists(createIntelDocuments(s.store.connection.db), ['public-dns-v4'], true);
    user = await addOrgUser(s, 'Freetext Org', 3);
    stranger = await addOrgUser(s, 'Other Org', 3);
    const ev = (await s.call('POST', '/events/add', { info: 'freetext', distribution: 0, Attribute: [{ type: 'text', value: 'seed' }] }, user.key)).json as J;
    eventId = String(ev.Event.id);
  });
  afterAll(async () => {
    await s.close();
  });

  const values = async (): Promise<J[]> => ((await s.call('GET', `/events/view/${eventId}`, undefined, user.key)).json as J).Event.Attribute as J[];

  it('adds what it finds and answers with every value found (test_freetext, first call)', async () => {
    const r = await s.call('POST', `/events/freeTextImport/${eventId}/disable_background_processing:1`, { value: '1.1.1.1 foo@bar.de', adhereToWarninglists: false, distribution: 2 }, user.key);
    expect(r.status, r.text).toBe(200);
    const list = r.json as J[];
    expect(list.map((a) => [a.value, a.type, a.saved, a.distribution])).toEqual([['1.1.1.1', 'ip-dst', true, '2'], ['foo@bar.de', 'email-src', true, '2']]);
    expect(list[0]).toMatchObject({ category: 'Network activity', to_ids: true, event_id: eventId, id: expect.any(String), uuid: expect.any(String) });
    expect((await values()).map((a) => a.value)).toEqual(['seed', '1.1.1.1', 'foo@bar.de']);
  });

  it('keeps warninglisted values without to_ids with soft, drops them with true (test_freetext)', async () => {
    const soft = (await s.call('POST', `/events/freeTextImport/${eventId}`, { value: '9.9.9.9 foo@bar.com', adhereToWarninglists: 'soft', distribution: 2 }, user.key)).json as J[];
    expect(soft[0]).toMatchObject({ value: '9.9.9.9', saved: true, to_ids: false, warninglist_hits: [expect.any(String)] });
    const afterSoft = await values();
    expect(afterSoft[3]).toMatchObject({ value: '9.9.9.9', to_ids: false });
    expect(afterSoft[4]).toMatchObject({ value: 'foo@bar.com' });
    const hard = (await s.call('POST', `/events/freeTextImport/${eventId}`, { value: '8.8.8.8 foo@bar.net', adhereToWarninglists: true }, user.key)).json as J[];
    expect(hard.map((a) => [a.value, a.saved])).toEqual([['8.8.8.8', false], ['foo@bar.net', true]]);
    expect((await values()).some((a) => a.value === '8.8.8.8')).toBe(false);
  });

  it('reports a value already in the event instead of adding it twice', async () => {
    const again = (await s.call('POST', `/events/freeTextImport/${eventId}`, { value: '1.1.1.1 203.0.113.77' }, user.key)).json as J[];
    expect(again.map((a) => [a.value, a.saved])).toEqual([['1.1.1.1', false], ['203.0.113.77', true]]);
    expect(again[0]?.errors).toBeDefined();
    expect((await values()).filter((a) => a.value === '1.1.1.1')).toHaveLength(1);
  });

  it('returns the candidates without saving with returnMetaAttributes', async () => {
    const before = (await values()).length;
    const r = (await s.call('POST', `/events/freeTextImport/${eventId}`, { value: 'hxxp://evil[.]example.com/x 198.51.100.4', adhereToWarninglists: true, returnMetaAttributes: true }, user.key)).json as J[];
    expect(r.map((a) => a.value)).toEqual(['http://evil.example.com/x', '198.51.100.4']);
    expect(typeof r[0]?.types).toBe('object');
    expect(Array.isArray(r[0]?.types)).toBe(false);
    expect(Object.keys(r[1]?.types as J)).toEqual(['ip-dst', 'ip-src']);
    expect((await values()).length).toBe(before);
  });

  it('refuses bad input and other organisations, writing nothing', async () => {
    const before = (await values()).length;
    const bad = await s.call('POST', `/events/freeTextImport/${eventId}`, { value: '1.2.3.4', adhereToWarninglists: 'maybe' }, user.key);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('adhereToWarninglists');
    expect((await s.call('POST', `/events/freeTextImport/${eventId}`, { value: ['1.2.3.4'] }, user.key)).status).toBe(400);
    expect((await s.call('POST', `/events/freeTextImport/${eventId}`, { value: '1.2.3.4', distribution: 9 }, user.key)).status).toBe(400);
    expect((await s.call('POST', `/events/freeTextImport/${eventId}`, { value: '1.2.3.4' }, stranger.key)).status).toBe(404);
    expect((await s.call('POST', `/events/freeTextImport/${eventId}`, { value: '1.2.3.4', returnMetaAttributes: true }, stranger.key)).status).toBe(404);
    expect((await s.call('POST', '/events/freeTextImport/999999', { value: '1.2.3.4' }, user.key)).status).toBe(404);
    expect((await values()).length).toBe(before);
    expect((await s.call('POST', `/events/freeTextImport/${eventId}`, { value: 'nothing to see here' }, user.key)).json).toEqual([]);
  });
});
