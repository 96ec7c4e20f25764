import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('restSearch returnFormat suricata / snort on %s', (engine) => {
  let s: TestServer;
  let other: { key: string };
  let published: J;
  beforeAll(async () => {
    s = await startTestServer(engine);
    other = await addOrgUser(s, 'Sensor Org', 3);
    published = ((await s.call('POST', '/events/add', { info: 'C2 infrastructure', distribution: 3, threat_level_id: 1, Tag: [{ name: 'tlp:green' }], Attribute: [
      { type: 'ip-dst', value: '203.0.113.66', to_ids: true },
      { type: 'domain', value: 'c2.evil.example', to_ids: true },
      { type: 'ip-dst', value: '203.0.113.67', to_ids: false },
      { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', to_ids: true },
    ] })).json as J).Event;
    expect((await s.call('POST', `/events/publish/${String(published.id)}`)).status).toBe(200);
    await s.call('POST', '/events/add', { info: 'draft', distribution: 3, Attribute: [{ type: 'ip-dst', value: '198.51.100.99', to_ids: true }] });
    await s.call('POST', '/events/add', { info: 'private', distribution: 0, published: true, Attribute: [{ type: 'ip-dst', value: '192.0.2.1', to_ids: true }] });
  });
  afterAll(async () => {
    await s.close();
  });

  const rules = async (body: J, key?: string, scope = 'attributes'): Promise<string> => {
    const r = await s.call('POST', `/${scope}/restSearch`, body, key);
    expect(r.status, r.text).toBe(200);
    expect(String(r.headers['content-type'])).toMatch(/^text\/plain/);
    return r.text;
  };

  it('exports IDS-flagged attributes of published events as Suricata rules, as MISP does by default', async () => {
    const text = await rules({ returnFormat: 'suricata' }, other.key);
    expect(text.startsWith('# MISP export of IDS rules - optimized for suricata\n')).toBe(true);
    const alerts = text.split('\n').filter((l) => l.startsWith('alert '));
    expect(alerts.some((l) => l.includes('-> 203.0.113.66 any') && l.includes(`MISP e${String(published.id)} [tlp:green] Outgoing To IP`) && l.includes('priority:1;'))).toBe(true);
    expect(alerts.filter((l) => l.includes('c2.evil.example'))).toHaveLength(2);
    // Not for IDS, not published, not visible, or not matchable on the wire: no rule.
    for (const absent of ['203.0.113.67', '198.51.100.99', '192.0.2.1', 'd41d8cd98f00b204e9800998ecf8427e']) expect(text).not.toContain(absent);
    // sids start from the user's nids_sid and never repeat.
    const sids = alerts.map((l) => /sid:(\d+);/.exec(l)?.[1]);
    expect(new Set(sids).size).toBe(sids.length);
  });

  it('takes the same filters as other formats, lifts the defaults with ignore, and serves snort from events', async () => {
    expect(await rules({ returnFormat: 'snort', ignore: 1, type: 'ip-dst' })).toContain('198.51.100.99');
    const snort = await rules({ returnFormat: 'snort', eventid: published.id }, undefined, 'events');
    expect(snort).toContain('optimized for snort');
    expect(snort).toContain('alert udp any any -> any 53');
    expect(snort).not.toContain('alert dns');
  });

  it('refuses an unknown format', async () => {
    const r = await s.call('POST', '/attributes/restSearch', { returnFormat: 'bro' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('suricata');
  });
});
