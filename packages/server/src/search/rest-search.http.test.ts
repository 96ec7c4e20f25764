import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('restSearch on %s', (engine) => {
  let s: TestServer;
  const values = (r: { json: unknown }): string[] => ((r.json as J).response.Attribute as J[]).map((a) => a.value).sort();

  beforeAll(async () => {
    s = await startTestServer(engine);
    await s.call('POST', '/events/add', { info: 'A', date: '2024-01-10', Tag: [{ name: 'tlp:green' }, { name: 'apt:x' }], Attribute: [
      { type: 'ip-dst', value: '192.0.2.10', to_ids: true },
      { type: 'domain', value: 'alpha.example' },
      { type: 'url', value: 'http://alpha.example/a_b%c' },
    ] });
    await s.call('POST', '/events/add', { info: 'B', date: '2024-03-05', Tag: [{ name: 'tlp:red' }], Attribute: [
      { type: 'ip-dst', value: '192.0.2.11', to_ids: false },
      { type: 'domain', value: 'beta.example', Tag: [{ name: 'tlp:green' }] },
    ] });
  });
  afterAll(async () => {
    await s.close();
  });

  it('filters by exact value, wildcard and negation', async () => {
    expect(values(await s.call('POST', '/attributes/restSearch', { value: '192.0.2.10' }))).toEqual(['192.0.2.10']);
    expect(values(await s.call('POST', '/attributes/restSearch', { value: '192.0.2.%' }))).toEqual(['192.0.2.10', '192.0.2.11']);
    expect(values(await s.call('POST', '/attributes/restSearch', { value: ['%.example', '!beta.example'] }))).toEqual(['alpha.example']);
  });

  it('treats LIKE and SQL metacharacters literally', async () => {
    expect(values(await s.call('POST', '/attributes/restSearch', { value: 'http://alpha.example/a_b%' }))).toEqual(['http://alpha.example/a_b%c']);
    expect(values(await s.call('POST', '/attributes/restSearch', { value: 'http://alpha.example/a_bx%' }))).toEqual([]);
    expect(values(await s.call('POST', '/attributes/restSearch', { value: "x' OR '1'='1" }))).toEqual([]);
    expect(values(await s.call('POST', '/attributes/restSearch', { value: '_lpha.example' }))).toEqual([]);
  });

  it('filters by type, category, to_ids, tags with AND/OR/NOT, dates and event ids', async () => {
    expect(values(await s.call('POST', '/attributes/restSearch', { type: 'ip-dst', to_ids: 1 }))).toEqual(['192.0.2.10']);
    expect(values(await s.call('POST', '/attributes/restSearch', { type: 'domain', category: 'Network activity' }))).toEqual(['alpha.example', 'beta.example']);
    expect(values(await s.call('POST', '/attributes/restSearch', { tags: ['tlp:green'] }))).toEqual(['192.0.2.10', 'alpha.example', 'beta.example', 'http://alpha.example/a_b%c']);
    expect(values(await s.call('POST', '/attributes/restSearch', { tags: { AND: ['tlp:green', 'apt:x'] } }))).toHaveLength(3);
    expect(values(await s.call('POST', '/attributes/restSearch', { tags: { NOT: ['tlp:green'] } }))).toEqual(['192.0.2.11']);
    expect(values(await s.call('POST', '/attributes/restSearch', { from: '2024-02-01' }))).toEqual(['192.0.2.11', 'beta.example']);
    expect(values(await s.call('POST', '/attributes/restSearch', { to: '2024-02-01', type: 'domain' }))).toEqual(['alpha.example']);
  });

  it('pages with limit/page and counts', async () => {
    const p1 = values(await s.call('POST', '/attributes/restSearch', { limit: 2, page: 1 }));
    const p2 = values(await s.call('POST', '/attributes/restSearch', { limit: 2, page: 2 }));
    const p3 = values(await s.call('POST', '/attributes/restSearch', { limit: 2, page: 3 }));
    expect([...p1, ...p2, ...p3]).toHaveLength(5);
    expect(new Set([...p1, ...p2, ...p3]).size).toBe(5);
  });

  it('returns events, csv and text', async () => {
    const ev = (await s.call('POST', '/events/restSearch', { value: 'beta.example' })).json as J;
    expect(ev.response.map((e: J) => e.Event.info)).toEqual(['B']);
    const meta = (await s.call('POST', '/events/restSearch', { tags: 'tlp:red', metadata: 1 })).json as J;
    expect(meta.response[0].Event.Attribute).toBeUndefined();
    const csv = await s.call('POST', '/attributes/restSearch', { returnFormat: 'csv', type: 'domain' });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('uuid,event_id,category,type,value,comment,to_ids,date,object_relation,attribute_tag,object_uuid,object_name,object_meta_category');
    expect(lines).toHaveLength(3);
    const text = await s.call('POST', '/attributes/restSearch/text', { type: 'ip-dst', to_ids: [0, 1], published: [0, 1] });
    expect(text.text.trim().split('\n').sort()).toEqual(['192.0.2.10', '192.0.2.11']);
  });

  it('rejects bad filters with a clear error', async () => {
    const bad = await s.call('POST', '/attributes/restSearch', { returnFormat: 'stix-xml' });
    expect(bad.status).toBe(400);
    expect((bad.json as J).field).toBe('returnFormat');
    expect((await s.call('POST', '/attributes/restSearch', { limit: -1 })).status).toBe(400);
    expect((await s.call('POST', '/attributes/restSearch', { from: 'yesterday-ish' })).status).toBe(400);
  });

  it('event index filters and sorts', async () => {
    const all = (await s.call('GET', '/events/index')).json as J[];
    expect(all.map((e) => e.info).sort()).toEqual(['A', 'B']);
    const onlyB = (await s.call('POST', '/events/index', { eventinfo: 'B' })).json as J[];
    expect(onlyB.map((e) => e.info)).toEqual(['B']);
    expect(all[0]?.Orgc.name).toBe('ORGNAME');
    // sort: any event column; without a direction it is ascending, as in MISP.
    const sorted = async (body: J): Promise<string[]> => ((await s.call('POST', '/events/index', body)).json as J[]).map((e) => e.info as string);
    expect(await sorted({ sort: 'info' })).toEqual(['A', 'B']);
    expect(await sorted({ sort: 'Event.info', direction: 'desc' })).toEqual(['B', 'A']);
    expect(await sorted({ sort: 'date', direction: 'asc' })).toEqual(['A', 'B']);
  });

  it('event index: X-Result-Count is every matching event, before limit and page, as in MISP', async () => {
    const page = async (body: J): Promise<{ infos: string[]; count: string | undefined }> => {
      const r = await s.call('POST', '/events/index', body);
      expect(r.status).toBe(200);
      return { infos: (r.json as J[]).map((e) => e.info as string), count: r.headers['x-result-count'] as string | undefined };
    };
    expect(await page({ sort: 'info', limit: 1, page: 1 })).toEqual({ infos: ['A'], count: '2' });
    expect(await page({ sort: 'info', limit: 1, page: 2 })).toEqual({ infos: ['B'], count: '2' });
    expect(await page({ sort: 'info', limit: 1, page: 3 })).toEqual({ infos: [], count: '2' });
    expect(await page({ limit: 1, attribute: 'beta' })).toEqual({ infos: ['B'], count: '1' });
    expect(await page({})).toEqual({ infos: expect.arrayContaining(['A', 'B']) as unknown as string[], count: '2' });
  });
  it('takes the float epochs PyMISP sends for datetimes and dates', async () => {
    // search(date_from=date(2024, 2, 1)): _make_timestamp gives that day's 23:59:59.999999 as float seconds.
    const feb1 = Date.UTC(2024, 1, 1, 23, 59, 59, 999) / 1000;
    expect(values(await s.call('POST', '/attributes/restSearch', { from: feb1 }))).toEqual(['192.0.2.11', 'beta.example']);
    expect(values(await s.call('POST', '/attributes/restSearch', { from: String(feb1) }))).toEqual(['192.0.2.11', 'beta.example']);
    // search(timestamp=datetime): float seconds, alone or as a [from, to] pair.
    expect(values(await s.call('POST', '/attributes/restSearch', { timestamp: 1_600_000_000.25 }))).toHaveLength(5);
    expect(values(await s.call('POST', '/attributes/restSearch', { timestamp: [1_600_000_000.5, 1_600_000_001.5] }))).toEqual([]);
    const idx = (await s.call('POST', '/events/index', { datefrom: feb1 })).json as J[];
    expect(idx.map((e) => e.info)).toEqual(['B']);
  });

  it('filters the event index and restSearch the way search_index and search send it', async () => {
    const sg = ((await s.call('POST', '/sharing_groups/add', { name: 'Index SG' })).json as J).SharingGroup;
    const add = await s.call('POST', '/events/add', { info: 'C', threat_level_id: '1', analysis: '2', distribution: '4', sharing_group_id: sg.id, Attribute: [{ type: 'ip-dst', value: '192.0.2.12' }] });
    expect(add.status).toBe(200);
    const infos = async (body: J): Promise<string[]> => ((await s.call('POST', '/events/index', body)).json as J[]).map((e) => e.info).sort();
    expect(await infos({ threatlevel: [1] })).toEqual(['C']);
    expect(await infos({ threatlevel: ['2', '3', '4'] })).toEqual(['A', 'B']);
    expect(await infos({ analysis: [2] })).toEqual(['C']);
    expect(await infos({ distribution: [4] })).toEqual(['C']);
    expect(await infos({ sharinggroup: `${String(sg.id)}|999` })).toEqual(['C']);
    expect(await infos({ sharinggroup: '999' })).toEqual([]);
    // MISP's `!` negation in the index's integer filters.
    expect(await infos({ threatlevel: ['!1'] })).toEqual(['A', 'B']);
    expect(await infos({ threatlevel: '4|!1' })).toEqual(['A', 'B']);
    expect(await infos({ analysis: ['!2'] })).toEqual(['A', 'B']);
    expect(await infos({ distribution: ['!4'] })).toEqual(['A', 'B']);
    expect(await infos({ sharinggroup: `!${String(sg.id)}` })).toEqual(['A', 'B']);
    const bad = await s.call('POST', '/events/index', { threatlevel: ['!high'] });
    expect(bad.status).toBe(400);
    expect((bad.json as J).field).toBe('threatlevel');
    expect(await infos({ attribute: '192.0.2.12' })).toEqual(['C']);
    expect(await infos({ all: '%alpha.example%' })).toEqual(['A']);
    // search_index(all=…) and (attribute=…) match parts, as MISP's index does.
    expect(await infos({ all: 'ALPHA.exam' })).toEqual(['A']);
    expect(await infos({ attribute: '0.2.1' })).toEqual(['A', 'B', 'C']);
    expect(await infos({ attribute: 'alpha|beta' })).toEqual(['A', 'B']);
    const ev = (await s.call('POST', '/events/restSearch', { returnFormat: 'json', sharinggroup: [Number(sg.id)] })).json as J;
    expect(ev.response.map((e: J) => e.Event.info)).toEqual(['C']);
    expect(values(await s.call('POST', '/attributes/restSearch', { sharinggroup: [999] }))).toEqual([]);
  });

  it('searchall looks in event info, event and attribute tags, values and comments', async () => {
    const add = await s.call('POST', '/events/add', { info: 'Operation Sandworm wave', Tag: [{ name: 'misp-galaxy:threat-actor="Sandworm"' }], Attribute: [
      { type: 'domain', value: 'gamma.example', comment: 'seen at the BORDER router' },
      { type: 'domain', value: 'delta.example', Tag: [{ name: 'kill-chain:delivery' }] },
    ] });
    expect(add.status).toBe(200);
    const all = async (searchall: string): Promise<string[]> => values(await s.call('POST', '/attributes/restSearch', { searchall }));
    expect(await all('%sandworm%')).toEqual(['delta.example', 'gamma.example']); // event info (and its galaxy tag)
    expect(await all('%border%')).toEqual(['gamma.example']); // a comment, case aside
    expect(await all('kill-chain:delivery')).toEqual(['delta.example']); // an attribute tag
    expect(await all('apt:x')).toEqual(['192.0.2.10', 'alpha.example', 'http://alpha.example/a_b%c']); // an event tag
    expect(await all('%beta.exam%')).toEqual(['beta.example']); // a value
    expect(await all('beta')).toEqual([]); // without % a whole field must match
    // quickFilter (PyMISP's quick_filter) is MISP's other name for searchall.
    expect(values(await s.call('POST', '/attributes/restSearch', { quickFilter: '%border%' }))).toEqual(['gamma.example']);
    const events = (await s.call('POST', '/events/restSearch', { returnFormat: 'json', searchall: '%border%' })).json as J;
    expect(events.response.map((e: J) => e.Event.info)).toEqual(['Operation Sandworm wave']);
    const index = ((await s.call('POST', '/events/index', { all: '%sandworm%' })).json as J[]).map((e) => e.info);
    expect(index).toEqual(['Operation Sandworm wave']);
  });

  it('searchall finds an event by its info or tags even without a visible attribute', async () => {
    const empty = await s.call('POST', '/events/add', { info: 'Empty campaign shell', distribution: '1', Tag: [{ name: 'circl:incident-classification="phishing"' }] });
    expect(empty.status).toBe(200);
    const hidden = await s.call('POST', '/events/add', { info: 'Shell with private attributes', distribution: '1', Attribute: [{ type: 'domain', value: 'private-shell.example', distribution: '0' }] });
    expect(hidden.status).toBe(200);
    const index = async (body: J, key?: string): Promise<string[]> => ((await s.call('POST', '/events/index', body, key)).json as J[]).map((e) => e.info as string).sort();
    expect(await index({ all: '%campaign shell%' })).toEqual(['Empty campaign shell']);
    expect(await index({ all: 'circl:incident-classification="phishing"' })).toEqual(['Empty campaign shell']);
    const search = (await s.call('POST', '/events/restSearch', { returnFormat: 'json', searchall: '%campaign shell%' })).json as J;
    expect(search.response.map((e: J) => e.Event.info)).toEqual(['Empty campaign shell']);
    // Another organisation sees the second event (distribution 1) but not its attribute: the info still finds it.
    const other = await addOrgUser(s, 'SearchallOther');
    expect(await index({ all: '%shell%' }, other.key)).toEqual(['Empty campaign shell', 'Shell with private attributes']);
    expect(await index({ all: '%private-shell%' }, other.key)).toEqual([]);
    // With another attribute-level filter, an attribute must match both.
    expect(await index({ all: '%campaign shell%', type: 'domain' })).toEqual([]);
  });

  it('reads deleted: 1 on attributes/restSearch as soft-deleted only, [0, 1] as both', async () => {
    const found = ((await s.call('POST', '/attributes/restSearch', { value: '192.0.2.12' })).json as J).response.Attribute[0];
    expect((await s.call('POST', `/attributes/delete/${String(found.id)}`, {})).status).toBe(200);
    expect(values(await s.call('POST', '/attributes/restSearch', { value: '192.0.2.%' }))).toEqual(['192.0.2.10', '192.0.2.11']);
    expect(values(await s.call('POST', '/attributes/restSearch', { value: '192.0.2.%', deleted: '1' }))).toEqual(['192.0.2.12']);
    expect(values(await s.call('POST', '/attributes/restSearch', { value: '192.0.2.%', deleted: [0, 1] }))).toEqual(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
  });

  it('reads the email (site admins, or your own address) and hasproposal filters of search_index', async () => {
    const author = await addOrgUser(s, 'EmailAuthor');
    const proposer = await addOrgUser(s, 'EmailProposer');
    const mine = await s.call('POST', '/events/add', { info: 'Authored elsewhere', distribution: '1', Attribute: [{ type: 'domain', value: 'authored.example' }] }, author.key);
    expect(mine.status).toBe(200);
    const authorEmail = ((await s.call('GET', '/users/view/me', undefined, author.key)).json as J).User.email as string;
    const index = async (body: J, key?: string): Promise<string[]> => ((await s.call('POST', '/events/index', body, key)).json as J[]).map((e) => e.info as string).sort();
    expect(await index({ email: authorEmail })).toEqual(['Authored elsewhere']);
    expect(await index({ email: '@emailauthor.TEST' })).toEqual(['Authored elsewhere']); // a part, case aside
    expect(await index({ email: `!${authorEmail}` })).not.toContain('Authored elsewhere');
    expect(await index({ email: 'nobody@nowhere.test' })).toEqual([]);
    // Anyone else may only name their own address; another's is ignored, as in MISP.
    expect(await index({ email: authorEmail }, author.key)).toEqual(['Authored elsewhere']);
    expect((await index({ email: 'admin@admin.test' }, author.key)).length).toBeGreaterThan(1);
    // hasproposal: 1 with a pending proposal, 0 without, 2 either.
    const target = ((await s.call('POST', '/events/add', { info: 'Proposed to', distribution: '1', Attribute: [{ type: 'domain', value: 'target.example' }] })).json as J).Event;
    const proposal = await s.call('POST', `/shadow_attributes/add/${String(target.id)}`, { type: 'domain', value: 'proposed.example' }, proposer.key);
    expect(proposal.status).toBe(200);
    expect(await index({ hasproposal: 1 })).toEqual(['Proposed to']);
    expect(await index({ hasproposal: true })).toEqual(['Proposed to']);
    expect(await index({ hasproposal: 0 })).not.toContain('Proposed to');
    expect(await index({ hasproposal: 2 })).toContain('Proposed to');
  });

  it('reads eventid as MISP does: ids or UUIDs, lists, ! to exclude', async () => {
    const index = ((await s.call('GET', '/events/index')).json as J[]);
    const a = index.find((e) => e.info === 'A') as J;
    const b = index.find((e) => e.info === 'B') as J;
    const infos = async (path: string, body: J): Promise<string[]> => {
      const r = await s.call('POST', path, body);
      expect(r.status).toBe(200);
      return path === '/events/index' ? (r.json as J[]).map((e) => e.info as string).sort() : ((r.json as J).response as J[]).map((e) => e.Event.info as string).sort();
    };
    for (const path of ['/events/index', '/events/restSearch']) {
      expect(await infos(path, { eventid: a.uuid })).toEqual(['A']);
      expect(await infos(path, { eventid: [a.uuid, Number(b.id)] })).toEqual(['A', 'B']);
      expect(await infos(path, { eventid: `${String(a.id)}|${String(b.uuid).toUpperCase()}` })).toEqual(['A', 'B']);
      expect(await infos(path, { eventid: [String(a.id), String(b.id), `!${String(a.uuid)}`] })).toEqual(['B']);
      expect(await infos(path, { eventid: { OR: [a.id, b.id], NOT: [b.id] } })).toEqual(['A']);
      expect((await infos(path, { eventid: `!${String(a.id)}` }))).not.toContain('A');
    }
    expect(values(await s.call('POST', '/attributes/restSearch', { eventid: b.uuid }))).toEqual(['192.0.2.11', 'beta.example']);
    const bad = await s.call('POST', '/events/restSearch', { eventid: 'not-an-event' });
    expect(bad.status).toBe(400);
    expect((bad.json as J).field).toBe('eventid');
  });

  it('events/restSearch: timestamp is the last change of the event and deleted brings deleted attributes back', async () => {
    const ev = ((await s.call('POST', '/events/add', { info: 'Edited later', timestamp: '1600000100', Attribute: [{ type: 'domain', value: 'old-attr.example', timestamp: '1600000000' }, { type: 'domain', value: 'gone.example' }] })).json as J).Event;
    const eventTs = Number(ev.timestamp);
    const infos = async (body: J): Promise<string[]> => (((await s.call('POST', '/events/restSearch', { returnFormat: 'json', ...body })).json as J).response as J[]).map((e) => e.Event.info as string);
    // The event changed at eventTs although one attribute is older: MISP's events/restSearch compares the event's timestamp.
    expect(await infos({ timestamp: eventTs })).toContain('Edited later');
    expect(await infos({ timestamp: eventTs + 1000 })).not.toContain('Edited later');
    // attribute_timestamp still selects by the attributes' own timestamps.
    expect(await infos({ attribute_timestamp: [1_599_999_999, 1_600_000_001] })).toEqual(['Edited later']);
    const gone = (ev.Attribute as J[]).find((x) => x.value === 'gone.example') as J;
    expect((await s.call('POST', `/attributes/delete/${String(gone.id)}`, {})).status).toBe(200);
    const values = async (body: J): Promise<string[]> => ((((await s.call('POST', '/events/restSearch', { returnFormat: 'json', eventid: ev.id, ...body })).json as J).response as J[])[0]?.Event.Attribute as J[]).map((x) => x.value as string).sort();
    expect(await values({})).toEqual(['old-attr.example']);
    expect(await values({ deleted: [0, 1] })).toEqual(['gone.example', 'old-attr.example']);
  });

  it('leaves events with neither attributes nor reports out of the minimal index, as MISP does', async () => {
    const empty = ((await s.call('POST', '/events/add', { info: 'Nothing inside yet' })).json as J).Event;
    const reported = ((await s.call('POST', '/events/add', { info: 'Only a report' })).json as J).Event;
    expect((await s.call('POST', `/eventReports/add/${String(reported.id)}`, { name: 'r', content: 'text' })).status).toBe(200);
    const minimal = (await s.call('POST', '/events/index', { minimal: 1 })).json as J[];
    const ids = minimal.map((e) => e.id as string);
    expect(ids).not.toContain(String(empty.id));
    expect(ids).toContain(String(reported.id));
    expect(Object.keys(minimal[0] as J).sort()).toEqual(['id', 'orgc_uuid', 'published', 'sighting_timestamp', 'timestamp', 'uuid']);
    const full = ((await s.call('POST', '/events/index', {})).json as J[]).map((e) => e.id as string);
    expect(full).toContain(String(empty.id));
  });

  it('finds IP attributes inside a CIDR block given as the value, as MISP does', async () => {
    const add = await s.call('POST', '/events/add', { info: 'CIDR search', Attribute: [
      { type: 'ip-src', value: '203.0.113.77' },
      { type: 'ip-dst|port', value: '203.0.113.200|443' },
      { type: 'ip-dst', value: '203.0.113.0/28' },
      { type: 'ip-dst', value: '203.0.114.1' },
      { type: 'ip-src', value: '2001:db8:5::1' },
      { type: 'domain|ip', value: 'cidr.example|203.0.113.9' },
    ] });
    expect(add.status).toBe(200);
    const found = async (value: unknown): Promise<string[]> => values(await s.call('POST', '/attributes/restSearch', { value }));
    expect(await found('203.0.113.0/24')).toEqual(['203.0.113.0/28', '203.0.113.200|443', '203.0.113.77', 'cidr.example|203.0.113.9']);
    expect(await found('203.0.113.64/26')).toEqual(['203.0.113.77']);
    expect(await found('2001:db8::/32')).toEqual(['2001:db8:5::1']);
    expect(await found(['203.0.113.0/24', '!203.0.113.0/28'])).toEqual(['203.0.113.200|443', '203.0.113.77']);
    expect(await found('203.0.113.0/28')).toEqual(['203.0.113.0/28', 'cidr.example|203.0.113.9']);
    // Not a CIDR block: matched as text, as before.
    expect(await found('a/b')).toEqual([]);
  });

  it('reads the other restSearch filters MISP defines: event_tags, threat_level_id, date, object_relation, comment, value1/value2, published either', async () => {
    const add = await s.call('POST', '/events/add', { info: 'More filters', date: '2023-06-15', threat_level_id: '1', Tag: [{ name: 'more:event-tag' }], Attribute: [
      { type: 'ip-dst|port', value: '192.0.2.99|8443', comment: 'filter-me', Tag: [{ name: 'more:attr-tag' }] },
    ], Object: [{ name: 'ip-port', Attribute: [{ type: 'ip-dst', object_relation: 'ip', value: '192.0.2.98' }, { type: 'port', object_relation: 'dst-port', value: '8080' }] }] });
    expect(add.status).toBe(200);
    const found = async (body: J): Promise<string[]> => values(await s.call('POST', '/attributes/restSearch', body));
    const infos = async (body: J): Promise<string[]> => (((await s.call('POST', '/events/restSearch', { returnFormat: 'json', ...body })).json as J).response as J[]).map((e) => e.Event.info as string);
    // event_tags: only the event's own tags (tags also look at attribute tags).
    expect(await found({ event_tags: 'more:event-tag' })).toEqual(['192.0.2.98', '192.0.2.99|8443', '8080']);
    expect(await found({ event_tags: 'more:attr-tag' })).toEqual([]);
    expect(await found({ tags: 'more:attr-tag' })).toEqual(['192.0.2.99|8443']);
    expect(await infos({ event_tags: ['more:event-tag'] })).toEqual(['More filters']);
    expect(await infos({ threat_level_id: 1, eventinfo: 'More filters' })).toEqual(['More filters']);
    expect(await infos({ threat_level_id: '!1', eventinfo: 'More filters' })).toEqual([]);
    expect(await infos({ date: ['2023-06-01', '2023-06-30'] })).toEqual(['More filters']);
    expect(await found({ object_relation: 'dst-port' })).toEqual(['8080']);
    expect(await found({ comment: 'filter-%' })).toEqual(['192.0.2.99|8443']);
    expect(await found({ value2: '8443' })).toEqual(['192.0.2.99|8443']);
    expect(await found({ value1: '8443' })).toEqual([]);
    expect(await found({ value1: '192.0.2.99' })).toEqual(['192.0.2.99|8443']);
    const both = await found({ published: [0, 1], eventinfo: 'More filters' });
    expect(both).toEqual(await found({ eventinfo: 'More filters' }));
    expect(await found({ published: 2, eventinfo: 'More filters' })).toEqual(both);
    expect(await found({ published: 1, eventinfo: 'More filters' })).toEqual([]);
  });
  it('text export: to_ids and published events unless told otherwise, each value once, as MISP exports for IDS', async () => {
    const add = async (info: string, published: boolean, values: readonly [string, boolean][]): Promise<void> => {
      const r = await s.call('POST', '/events/add', { info, published, Attribute: values.map(([value, to_ids]) => ({ type: 'hostname', value, to_ids, comment: 'text-export' })) });
      expect(r.status).toBe(200);
    };
    await add('text export published', true, [['ids.text.example', true], ['noids.text.example', false], ['twice.text.example', true]]);
    await add('text export again', true, [['twice.text.example', true]]);
    await add('text export draft', false, [['draft.text.example', true]]);
    const lines = async (body: Record<string, unknown>): Promise<string[]> => {
      const r = await s.call('POST', '/attributes/restSearch', { returnFormat: 'text', comment: 'text-export', ...body });
      expect(r.status).toBe(200);
      expect(r.text.endsWith('\n')).toBe(true);
      return r.text.trim().split('\n');
    };
    expect((await lines({})).sort()).toEqual(['ids.text.example', 'twice.text.example']);
    expect((await lines({ to_ids: 0 })).sort()).toEqual(['noids.text.example']);
    expect((await lines({ published: 0 })).sort()).toEqual(['draft.text.example']);
    expect((await lines({ to_ids: [0, 1], published: [0, 1] })).sort()).toEqual(['draft.text.example', 'ids.text.example', 'noids.text.example', 'twice.text.example']);
    expect((await lines({ ignore: 1 })).sort()).toEqual(['draft.text.example', 'ids.text.example', 'noids.text.example', 'twice.text.example']);
    // The same defaults on the events scope; json and csv stay unrestricted, as in MISP.
    expect((await lines({ controller: 'events' })).sort()).toEqual(['ids.text.example', 'twice.text.example']);
    const csv = await s.call('POST', '/attributes/restSearch', { returnFormat: 'csv', comment: 'text-export' });
    expect(csv.text.trim().split('\n')).toHaveLength(6);
    // to_ids as MISP also takes it: a one-element list; anything else is refused.
    expect((await lines({ to_ids: ['0'] })).sort()).toEqual(['noids.text.example']);
    const bad = await s.call('POST', '/attributes/restSearch', { returnFormat: 'text', to_ids: 'maybe' });
    expect(bad.status).toBe(400);
    expect((bad.json as J).errors ?? (bad.json as J).message).toBeDefined();
  });
  it('uuid names an attribute or its event, as in MISP: attribute and event scopes', async () => {
    const add = await s.call('POST', '/events/add', { info: 'uuid scope', Attribute: [{ type: 'domain', value: 'one.uuid.example' }, { type: 'domain', value: 'two.uuid.example' }] });
    expect(add.status).toBe(200);
    const ev = (add.json as J).Event as J;
    const [first] = ev.Attribute as J[];
    const attrValues = async (uuid: unknown): Promise<string[]> => values(await s.call('POST', '/attributes/restSearch', { uuid }));
    expect(await attrValues(first?.uuid)).toEqual(['one.uuid.example']);
    expect(await attrValues(ev.uuid)).toEqual(['one.uuid.example', 'two.uuid.example']);
    expect(await attrValues(String(first?.uuid).toUpperCase())).toEqual(['one.uuid.example']);
    const eventInfos = async (uuid: unknown): Promise<string[]> => (((await s.call('POST', '/events/restSearch', { uuid })).json as J).response as J[]).map((e) => e.Event.info as string);
    expect(await eventInfos(ev.uuid)).toEqual(['uuid scope']);
    expect(await eventInfos(first?.uuid)).toEqual(['uuid scope']);
    expect(await eventInfos('00000000-0000-4000-8000-000000000000')).toEqual([]);
  });
  it('a CIDR value also finds IP attributes that do not correlate, and deleted ones with deleted: 1', async () => {
    const off = await s.call('POST', '/events/add', { info: 'CIDR off', disable_correlation: true, Attribute: [{ type: 'ip-dst', value: '198.19.7.1' }] });
    expect(off.status).toBe(200);
    const mixed = await s.call('POST', '/events/add', { info: 'CIDR mixed', Attribute: [
      { type: 'ip-src', value: '198.19.7.2', disable_correlation: true },
      { type: 'domain|ip', value: 'off.cidr.example|198.19.7.3', disable_correlation: true },
      { type: 'ip-src', value: '198.19.7.4' },
    ] });
    expect(mixed.status).toBe(200);
    const gone = ((mixed.json as J).Event.Attribute as J[]).find((a) => a.value === '198.19.7.4') as J;
    expect((await s.call('POST', `/attributes/delete/${String(gone.id)}`)).status).toBe(200);
    expect(values(await s.call('POST', '/attributes/restSearch', { value: '198.19.7.0/24' }))).toEqual(['198.19.7.1', '198.19.7.2', 'off.cidr.example|198.19.7.3']);
    expect(values(await s.call('POST', '/attributes/restSearch', { value: '198.19.7.0/24', deleted: 1 }))).toEqual(['198.19.7.4']);
    const events = (((await s.call('POST', '/events/restSearch', { value: '198.19.7.0/30', metadata: 1 })).json as J).response as J[]).map((e) => e.Event.info).sort();
    expect(events).toEqual(['CIDR mixed', 'CIDR off']);
  });
  it('limits events and attributes restSearch for roles that enforce it, as MISP does (429 with X-Rate-Limit-*)', async () => {
    const role = async (name: string, count: number): Promise<number> => {
      const r = await s.call('POST', '/admin/roles/add', { Role: { name, perm_add: 1, perm_modify: 1, perm_tagger: 1, perm_sighting: 1, enforce_rate_limit: 1, rate_limit_count: count } });
      expect(r.status, r.text).toBe(200);
      return Number((r.json as J).Role.id);
    };
    const limited = await addOrgUser(s, `RateLimited${engine}`, await role(`limited ${engine}`, 2));
    const first = await s.call('POST', '/attributes/restSearch', { value: '192.0.2.10' }, limited.key);
    expect(first.status).toBe(200);
    expect([first.headers['x-rate-limit-limit'], first.headers['x-rate-limit-remaining']]).toEqual(['2', '1']);
    expect(Number(first.headers['x-rate-limit-reset'])).toBeGreaterThan(890);
    expect((await s.call('POST', '/events/restSearch', { value: '192.0.2.10' }, limited.key)).status).toBe(200);
    const refused = await s.call('POST', '/attributes/restSearch', { value: '192.0.2.10' }, limited.key);
    expect(refused.status).toBe(429);
    expect((refused.json as J).message).toBe('Rate limit exceeded.');
    expect([refused.headers['x-rate-limit-remaining'], refused.headers['retry-after']]).toEqual(['0', refused.headers['x-rate-limit-reset']]);
    // Other calls are not limited, nor are users of roles without the flag.
    expect((await s.call('POST', '/objects/restSearch', {}, limited.key)).status).toBe(200);
    expect((await s.call('GET', '/events/index', undefined, limited.key)).status).toBe(200);
    const free = await s.call('POST', '/attributes/restSearch', { value: '192.0.2.10' });
    expect(free.status).toBe(200);
    expect(free.headers['x-rate-limit-limit']).toBeUndefined();
    // An enforcing role with a limit of 0 may not search at all.
    const none = await addOrgUser(s, `RateLimited${engine}`, await role(`no searches ${engine}`, 0));
    const denied = await s.call('POST', '/events/restSearch', {}, none.key);
    expect(denied.status).toBe(403);
    expect((denied.json as J).message).toBe('API searches are not allowed for this user role.');
  });
  it('events/restSearch tags: a wanted tag on an attribute finds its event, a refused one drops the event by its own tags and hides the attributes carrying it (test_search_tag_event, test_search_tag_advanced_event)', async () => {
    const e1 = await s.call('POST', '/events/add', { info: 'Tags on attributes only', Attribute: [
      { type: 'text', value: 'rs-x1', Tag: [{ name: 'rs:white' }, { name: 'rs:only' }] },
      { type: 'text', value: 'rs-x2', Tag: [{ name: 'rs:unique' }] },
    ] });
    const e2 = await s.call('POST', '/events/add', { info: 'Tag on the event', Tag: [{ name: 'rs:white' }], Attribute: [
      { type: 'text', value: 'rs-y1', Tag: [{ name: 'rs:amber' }] },
      { type: 'text', value: 'rs-y2' },
    ], Object: [{ name: 'file', Attribute: [{ type: 'filename', object_relation: 'filename', value: 'rs-y3.exe', Tag: [{ name: 'rs:amber' }] }] }] });
    expect([e1.status, e2.status]).toEqual([200, 200]);
    const search = async (tags: unknown): Promise<J[]> => (((await s.call('POST', '/events/restSearch', { returnFormat: 'json', tags })).json as J).response as J[]).map((e) => e.Event as J);
    const values = (e: J): string[] => [...(e.Attribute as J[]), ...(e.Object as J[]).flatMap((o) => o.Attribute as J[])].map((a) => a.value as string).sort();
    // "search(tags='tlp:white___test')": 3 events, one of them tagged only on an attribute.
    expect((await search('rs:white')).map((e) => e.info).sort()).toEqual(['Tag on the event', 'Tags on attributes only']);
    expect((await search({ AND: ['rs:only', 'rs:unique'] })).map((e) => e.info)).toEqual(['Tags on attributes only']);
    // OR white, NOT amber: both events, without the attributes tagged amber (object attributes too).
    const notAmber = await search({ OR: ['rs:white'], NOT: ['rs:amber'] });
    expect(notAmber.map((e) => e.info).sort()).toEqual(['Tag on the event', 'Tags on attributes only']);
    expect(values(notAmber.find((e) => e.info === 'Tag on the event') as J)).toEqual(['rs-y2']);
    expect(values(notAmber.find((e) => e.info === 'Tags on attributes only') as J)).toEqual(['rs-x1', 'rs-x2']);
    // OR unique, NOT white: the event tagged white is left out, the other shown without its white attribute.
    const notWhite = await search({ OR: ['rs:unique', 'rs:amber'], NOT: ['rs:white'] });
    expect(notWhite.map((e) => e.info)).toEqual(['Tags on attributes only']);
    expect(values(notWhite[0] as J)).toEqual(['rs-x2']);
    // events/index keeps reading the event's own tags.
    const index = (await s.call('POST', '/events/index', { tags: 'rs:white' })).json as J[];
    expect(index.map((e) => e.info)).toEqual(['Tag on the event']);
  });

  it('reads a time filter it cannot parse as MISP resolveTimeDelta does: nothing matches, no error (test_search_publish_timestamp)', async () => {
    for (const bad of ['5x', 'ad', 'aaad']) {
      const events = await s.call('POST', '/events/restSearch', { returnFormat: 'json', publish_timestamp: bad });
      expect(events.status).toBe(200);
      expect((events.json as J).response).toEqual([]);
      const attributes = await s.call('POST', '/attributes/restSearch', { returnFormat: 'json', timestamp: bad });
      expect(attributes.status).toBe(200);
      expect((attributes.json as J).response.Attribute).toEqual([]);
    }
    // A readable value still finds what it should.
    expect(((await s.call('POST', '/events/restSearch', { returnFormat: 'json', timestamp: '3650d', limit: 1 })).json as J).response).toHaveLength(1);
  });
  it('events/restSearch keeps inside each event what to_ids: 1 and deleted: 1 select, as MISP fetchEvent does (test_simple_event)', async () => {
    const add = await s.call('POST', '/events/add', { info: 'Content filters', Attribute: [
      { type: 'ip-src', value: '198.51.100.201', to_ids: true },
      { type: 'text', value: 'content-filters-text', to_ids: false },
      { type: 'ip-src', value: '198.51.100.202', to_ids: true },
    ], Object: [{ name: 'file', Attribute: [{ type: 'filename', object_relation: 'filename', value: 'content-filters.exe', to_ids: false }] }] });
    const ev = (add.json as J).Event as J;
    const gone = (ev.Attribute as J[]).find((a) => a.value === '198.51.100.202') as J;
    expect((await s.call('POST', `/attributes/delete/${String(gone.id)}`, {})).status).toBe(200);
    const one = async (body: J): Promise<J> => ((((await s.call('POST', '/events/restSearch', { returnFormat: 'json', eventid: ev.id, ...body })).json as J).response as J[])[0] as J).Event as J;
    const values = (e: J): string[] => [...(e.Attribute as J[]), ...(e.Object as J[]).flatMap((o) => o.Attribute as J[])].map((a) => a.value as string).sort();
    // "search(timestamp=timeframe, to_ids='1')": the event, with its one IDS attribute only.
    expect(values(await one({ to_ids: '1' }))).toEqual(['198.51.100.201']);
    expect(values(await one({ to_ids: '0' }))).toEqual(['198.51.100.201', 'content-filters-text', 'content-filters.exe']);
    // "search(eventid=second.id, deleted=True)": the soft-deleted attribute alone; [0, 1] both.
    expect(values(await one({ deleted: true }))).toEqual(['198.51.100.202']);
    expect(values(await one({ deleted: 1 }))).toEqual(['198.51.100.202']);
    expect(values(await one({ deleted: [0, 1] }))).toEqual(['198.51.100.201', '198.51.100.202', 'content-filters-text', 'content-filters.exe']);
    expect(values(await one({}))).toEqual(['198.51.100.201', 'content-filters-text', 'content-filters.exe']);
  });

  it('with searchall present, a value is the term searched everywhere, as MISP restSearch reads it (search(value=..., searchall=True))', async () => {
    const add = await s.call('POST', '/events/add', { info: 'Full text', Attribute: [{ type: 'text', value: 'This is a test for the full text search', comment: 'Test stuff comment' }] });
    expect(add.status).toBe(200);
    const infos = async (body: J): Promise<string[]> => (((await s.call('POST', '/events/restSearch', { returnFormat: 'json', ...body })).json as J).response as J[]).map((e) => e.Event.info as string);
    expect(await infos({ value: '%for the full text%', searchall: true })).toEqual(['Full text']);
    expect(await infos({ value: '%stuff comment%', searchall: 1 })).toEqual(['Full text']);
    // Without searchall the value stays a value filter.
    expect(await infos({ value: '%stuff comment%' })).toEqual([]);
  });
  it('eventinfo reads backslashes as MySQL LIKE does in MISP, and the text as written (test_simple_event, MISP issue 6616)', async () => {
    const info = 'C:\\Windows\\System32\\notepad.exe';
    expect((await s.call('POST', '/events/add', { info, Attribute: [{ type: 'text', value: 'eventinfo-backslash' }] })).status).toBe(200);
    const index = async (eventinfo: string): Promise<string[]> => ((await s.call('POST', '/events/index', { eventinfo })).json as J[]).map((e) => e.info as string);
    // "search_index(eventinfo=r'C:\\Windows\\System32\\notepad.exe')": the doubled backslashes stand for one.
    expect(await index('C:\\\\Windows\\\\System32\\\\notepad.exe')).toEqual([info]);
    expect(await index(info)).toEqual([info]);
    expect(await index('%System32\\\\notepad%')).toEqual([info]);
    expect(await index('C:\\\\Windows\\\\System64')).toEqual([]);
    const rest = ((await s.call('POST', '/events/restSearch', { returnFormat: 'json', eventinfo: 'C:\\\\Windows\\\\System32\\\\notepad.exe' })).json as J).response as J[];
    expect(rest.map((e) => e.Event.info)).toEqual([info]);
  });
});
