import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntelDocuments } from '@waggle/store';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../../test-support/test-server.js';
import { storeGalaxies, storeTaxonomies, storeWarninglists } from '../../intel/test-support/intel-fixtures.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const T1059 = 'misp-galaxy:mitre-attack-pattern="Command and Scripting Interpreter - T1059"';

describe.each(testEngines())('MISP taxonomies, galaxies and warninglists on %s', (engine) => {
  let s: TestServer;
  let user: { key: string };
  let eventId: string;
  let eventUuid: string;
  let attributeUuid: string;

  beforeAll(async () => {
    s = await startTestServer(engine);
    const docs = createIntelDocuments(s.store.connection.db);
    // Stored before the first request, so the service's first load sees them (as after `waggle data import` and a start).
    await storeTaxonomies(docs, ['osint'], false);
    await storeGalaxies(docs, ['mitre-attack-pattern', 'threat-actor']);
    await storeWarninglists(docs, ['rfc1918', 'empty-hashes', 'public-dns-v4'], false);
    user = await addOrgUser(s, 'OtherOrg', 3);
    const ev = (await s.call('POST', '/events/add', { info: 'intel', distribution: 1, Attribute: [
      { type: 'ip-dst', value: '10.1.2.3', to_ids: true },
      { type: 'ip-dst', value: '203.0.113.9', to_ids: true },
      { type: 'ip-dst', value: '192.168.1.1', to_ids: false },
      { type: 'sha256', value: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', to_ids: true },
    ] })).json as J;
    eventId = ev.Event.id;
    eventUuid = ev.Event.uuid;
    attributeUuid = ev.Event.Attribute[1].uuid;
  });
  afterAll(async () => {
    await s.close();
  });

  describe('taxonomies', () => {
    it('lists the built-in taxonomies enabled and imported ones as stored', async () => {
      const r = await s.call('GET', '/taxonomies/index');
      expect(r.status).toBe(200);
      const rows = r.json as J[];
      const by = new Map(rows.map((t) => [t.Taxonomy.namespace, t]));
      expect(by.get('tlp')?.Taxonomy.enabled).toBe(true);
      expect(by.get('PAP')?.Taxonomy.enabled).toBe(true);
      expect(by.get('osint')?.Taxonomy.enabled).toBe(false);
      expect(by.get('tlp')?.total_count).toBeGreaterThan(4);
      expect(typeof by.get('tlp')?.Taxonomy.id).toBe('string');
    });

    it('shows a taxonomy with its entries (by id or namespace)', async () => {
      const list = (await s.call('GET', '/taxonomies/index')).json as J[];
      const tlp = list.find((t) => t.Taxonomy.namespace === 'tlp') as J;
      const r = (await s.call('GET', `/taxonomies/view/${tlp.Taxonomy.id}`)).json as J;
      expect(r.Taxonomy.namespace).toBe('tlp');
      const red = (r.entries as J[]).find((e) => e.tag === 'tlp:red') as J;
      expect(red.expanded).toContain('TLP:RED');
      expect(red.colour).toMatch(/^#[0-9a-fA-F]{6}$/);
      expect(((await s.call('GET', '/taxonomies/view/admiralty-scale')).json as J).Taxonomy.namespace).toBe('admiralty-scale');
      expect((await s.call('GET', '/taxonomies/view/999999')).status).toBe(404);
    });

    it('enables a taxonomy and creates its tags with colour and numerical value (site admin only)', async () => {
      expect((await s.call('POST', '/taxonomies/enable/osint', undefined, user.key)).status).toBe(403);
      expect(((await s.call('GET', '/taxonomies/view/osint')).json as J).Taxonomy.enabled).toBe(false);
      const r = await s.call('POST', '/taxonomies/enable/osint');
      expect(r.status).toBe(200);
      expect((r.json as J).message).toBe('Taxonomy enabled');
      const view = (await s.call('GET', '/taxonomies/view/osint')).json as J;
      expect(view.Taxonomy.enabled).toBe(true);
      expect((view.entries as J[]).every((e) => e.existing_tag !== false)).toBe(true);
      // admiralty-scale is built in and enabled: addTag creates its tags with MISP's numerical values.
      expect((await s.call('POST', '/taxonomies/addTag/admiralty-scale')).status).toBe(200);
      const tag = (await s.call('GET', `/tags/view/${encodeURIComponent('admiralty-scale:source-reliability="a"')}`)).json as J;
      expect(tag.numerical_value).toBe('100');
      expect(tag.colour).toMatch(/^#[0-9a-fA-F]{6}$/);
      expect((await s.call('POST', '/taxonomies/disable/osint')).status).toBe(200);
      expect(((await s.call('GET', '/taxonomies/view/osint')).json as J).Taxonomy.enabled).toBe(false);
      const noTags = await s.call('POST', '/taxonomies/addTag/osint');
      expect(noTags.status).toBe(400);
      expect((noTags.json as J).message).toContain('not enabled');
    });

    it('hides a taxonomy\'s tags with disableTag', async () => {
      await s.call('POST', '/taxonomies/addTag/workflow');
      expect((await s.call('POST', '/taxonomies/disableTag/workflow')).status).toBe(200);
      const tags = ((await s.call('GET', '/tags/index?searchall=workflow:')).json as J).Tag as J[];
      expect(tags.length).toBeGreaterThan(0);
      expect(tags.every((t) => t.hide_tag === true)).toBe(true);
    });

    it('refuses a tag that conflicts with an exclusive taxonomy already on the target, changing nothing', async () => {
      expect((await s.call('POST', '/tags/attachTagToObject', { uuid: eventUuid, tag: 'tlp:amber' })).status).toBe(200);
      const r = await s.call('POST', '/tags/attachTagToObject', { uuid: eventUuid, tag: 'tlp:red' });
      expect(r.status).toBe(400);
      expect((r.json as J).message).toContain('Taxonomy `tlp` is an exclusive Taxonomy');
      const tags = (((await s.call('GET', `/events/view/${eventId}`)).json as J).Event.Tag as J[]).map((t) => t.name);
      expect(tags).toContain('tlp:amber');
      expect(tags).not.toContain('tlp:red');
      // A local tag is checked against local tags only (MISP splits them too).
      expect((await s.call('POST', '/tags/attachTagToObject', { uuid: eventUuid, tag: 'tlp:red', local: 1 })).status).toBe(200);
      // Exclusive predicate of a non-exclusive taxonomy: one value per predicate.
      expect((await s.call('POST', '/tags/attachTagToObject', { uuid: attributeUuid, tag: 'admiralty-scale:source-reliability="a"' })).status).toBe(200);
      const pred = await s.call('POST', '/tags/attachTagToObject', { uuid: attributeUuid, tag: 'admiralty-scale:source-reliability="b"' });
      expect(pred.status).toBe(400);
      expect((pred.json as J).message).toContain('is exclusive');
      expect((await s.call('POST', '/tags/attachTagToObject', { uuid: attributeUuid, tag: 'admiralty-scale:information-credibility="1"' })).status).toBe(200);
      // Re-attaching the same tag is not a conflict.
      expect((await s.call('POST', '/tags/attachTagToObject', { uuid: eventUuid, tag: 'tlp:amber' })).status).toBe(200);
    });

    it('creates a new tag of an enabled taxonomy with its numerical value when attached', async () => {
      const r = await s.call('POST', '/tags/attachTagToObject', { uuid: eventUuid, tag: 'estimative-language:likelihood-probability="almost-certain"' });
      expect(r.status).toBe(200);
      const tag = (await s.call('GET', `/tags/view/${encodeURIComponent('estimative-language:likelihood-probability="almost-certain"')}`)).json as J;
      expect(tag.numerical_value).toBe('95');
    });
  });

  describe('galaxies', () => {
    it('lists and views galaxies', async () => {
      const list = (await s.call('GET', '/galaxies/index')).json as J[];
      expect(list.map((g) => g.Galaxy.type).sort()).toEqual(['mitre-attack-pattern', 'threat-actor']);
      const ta = list.find((g) => g.Galaxy.type === 'threat-actor') as J;
      const view = (await s.call('GET', `/galaxies/view/${ta.Galaxy.id}`)).json as J;
      expect(view.Galaxy.name).toBe('Threat Actor');
      expect((view.GalaxyCluster as J[]).length).toBeGreaterThan(100);
      expect(((await s.call('GET', `/galaxies/view/${ta.Galaxy.uuid}`)).json as J).Galaxy.id).toBe(ta.Galaxy.id);
      expect((await s.call('GET', '/galaxies/view/424242')).status).toBe(404);
    });

    it('searches clusters of a galaxy and views one by id or uuid', async () => {
      const r = (await s.call('GET', '/galaxy_clusters/index/mitre-attack-pattern?context=all&searchall=T1059')).json as J[];
      const c = r.find((x) => x.GalaxyCluster.tag_name === T1059) as J;
      expect(c).toBeDefined();
      const view = (await s.call('GET', `/galaxy_clusters/view/${c.GalaxyCluster.id}`)).json as J;
      expect(view.GalaxyCluster.value).toBe('Command and Scripting Interpreter - T1059');
      expect(view.GalaxyCluster.Galaxy.type).toBe('mitre-attack-pattern');
      expect(view.GalaxyCluster.GalaxyElement).toContainEqual({ key: 'external_id', value: 'T1059' });
      expect(((await s.call('GET', `/galaxy_clusters/view/${c.GalaxyCluster.uuid}`)).json as J).GalaxyCluster.id).toBe(c.GalaxyCluster.id);
      expect((await s.call('GET', '/galaxy_clusters/index/mitre-attack-pattern?context=custom')).json).toEqual([]);
      expect((await s.call('GET', '/galaxy_clusters/index/mitre-attack-pattern?context=bogus')).status).toBe(400);
      expect((await s.call('GET', '/galaxy_clusters/view/1')).status).toBe(404);
    });

    it('attaches a cluster to an event and an attribute; events/view shows the Galaxy', async () => {
      const apt1 = ((await s.call('GET', '/galaxy_clusters/index/threat-actor?searchall=APT1')).json as J[]).find((x) => x.GalaxyCluster.value === 'APT1') as J;
      const t1059 = ((await s.call('GET', '/galaxy_clusters/index/mitre-attack-pattern?searchall=T1059')).json as J[]).find((x) => x.GalaxyCluster.tag_name === T1059) as J;
      const r = await s.call('POST', `/galaxies/attachCluster/${eventId}/event/local:0`, { Galaxy: { target_id: apt1.GalaxyCluster.id } });
      expect(r.status).toBe(200);
      expect((r.json as J).message).toBe('Cluster attached.');
      expect((await s.call('POST', `/galaxies/attachCluster/${attributeUuid}/attribute/local:1`, { Galaxy: { target_id: t1059.GalaxyCluster.uuid } })).status).toBe(200);
      const ev = ((await s.call('GET', `/events/view/${eventId}`)).json as J).Event;
      expect((ev.Tag as J[]).map((t) => t.name)).toContain('misp-galaxy:threat-actor="APT1"');
      expect(ev.Galaxy).toHaveLength(1);
      expect(ev.Galaxy[0].type).toBe('threat-actor');
      const cluster = ev.Galaxy[0].GalaxyCluster[0];
      expect(cluster).toMatchObject({ value: 'APT1', tag_name: 'misp-galaxy:threat-actor="APT1"', local: false, id: apt1.GalaxyCluster.id, galaxy_id: ev.Galaxy[0].id });
      expect(cluster.meta.synonyms).toContain('Comment Crew');
      const attr = (ev.Attribute as J[]).find((a) => a.uuid === attributeUuid) as J;
      expect(attr.Galaxy[0].GalaxyCluster[0]).toMatchObject({ tag_name: T1059, local: true });
      expect((attr.Tag as J[]).map((t) => t.name)).toContain(T1059);
    });

    it('rejects bad attachCluster requests without attaching anything', async () => {
      const before = (((await s.call('GET', `/events/view/${eventId}`)).json as J).Event.Tag as J[]).length;
      const apt = ((await s.call('GET', '/galaxy_clusters/index/threat-actor?searchall=Nitro')).json as J[])[0] as J;
      expect((await s.call('POST', `/galaxies/attachCluster/${eventId}/event`, {})).status).toBe(400);
      expect((await s.call('POST', `/galaxies/attachCluster/${eventId}/event`, { Galaxy: { target_id: 7 } })).status).toBe(404);
      expect((await s.call('POST', `/galaxies/attachCluster/${eventId}/tag_collection`, { Galaxy: { target_id: apt.GalaxyCluster.id } })).status).toBe(400);
      expect((await s.call('POST', '/galaxies/attachCluster/999999/event', { Galaxy: { target_id: apt.GalaxyCluster.id } })).status).toBe(404);
      // Another organisation cannot see the event (distribution 1 = this community, but not its own org): not found, as for any invisible target.
      const other = await s.call('POST', `/galaxies/attachCluster/${eventId}/event`, { Galaxy: { target_id: apt.GalaxyCluster.id } }, user.key);
      expect([403, 404]).toContain(other.status);
      expect((((await s.call('GET', `/events/view/${eventId}`)).json as J).Event.Tag as J[]).length).toBe(before);
    });
  });

  describe('warninglists', () => {
    it('lists imported warninglists disabled, as MISP does, and views one with entries', async () => {
      const r = (await s.call('GET', '/warninglists/index')).json as J;
      const lists = (r.Warninglists as J[]).map((w) => w.Warninglist);
      expect(lists).toHaveLength(3);
      expect(lists.every((w) => w.enabled === false)).toBe(true);
      const rfc = lists.find((w) => w.name === 'List of RFC 1918 CIDR blocks') as J;
      expect(rfc).toMatchObject({ type: 'cidr', warninglist_entry_count: '3', category: 'false_positive' });
      const view = (await s.call('GET', `/warninglists/view/${rfc.id}`)).json as J;
      expect(view.Warninglist.name).toBe(rfc.name);
      expect((view.WarninglistEntry as J[]).map((e) => e.value)).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
      expect((view.WarninglistType as J[]).map((t) => t.type)).toContain('ip-dst');
      expect((await s.call('GET', '/warninglists/view/nope')).status).toBe(404);
    });

    it('toggles lists by id or name (site admin only) and checks values', async () => {
      const lists = (((await s.call('GET', '/warninglists/index')).json as J).Warninglists as J[]).map((w) => w.Warninglist);
      const rfc = lists.find((w) => w.name === 'List of RFC 1918 CIDR blocks') as J;
      expect((await s.call('POST', '/warninglists/toggleEnable', { id: [rfc.id], enabled: true }, user.key)).status).toBe(403);
      expect((await s.call('POST', '/warninglists/toggleEnable', {})).status).toBe(400);
      expect((await s.call('POST', '/warninglists/toggleEnable', { name: ['no such list'], enabled: true })).status).toBe(404);
      const on = await s.call('POST', '/warninglists/toggleEnable', { id: [rfc.id], name: ['empty-hashes'], enabled: true });
      expect(on.status).toBe(200);
      expect((on.json as J).message).toBe('2 warninglist(s) enabled');
      const check = await s.call('POST', '/warninglists/checkValue', ['10.9.8.7', '8.8.8.8', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']);
      expect(check.status).toBe(200);
      const hits = check.json as J;
      expect(hits['10.9.8.7']).toEqual([{ id: rfc.id, name: 'List of RFC 1918 CIDR blocks', matched: '10.0.0.0/8' }]);
      expect(hits['8.8.8.8']).toBeUndefined();
      expect(hits.e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855).toHaveLength(1);
      expect(((await s.call('POST', '/warninglists/checkValue', { value: '192.168.0.1' }, user.key)).json as J)['192.168.0.1']).toHaveLength(1);
      expect((await s.call('POST', '/warninglists/checkValue', [])).status).toBe(400);
      expect((await s.call('POST', '/warninglists/checkValue', [{ a: 1 }])).status).toBe(400);
      // No `enabled`: MISP flips the list (this is what PyMISP's disable_warninglist sends).
      const flip = await s.call('POST', '/warninglists/toggleEnable', { name: 'public-dns-v4' });
      expect((flip.json as J).message).toBe('1 warninglist(s) enabled');
      expect((await s.call('POST', '/warninglists/toggleEnable', { name: 'public-dns-v4' })).status).toBe(200);
      const after = (((await s.call('GET', '/warninglists/index')).json as J).Warninglists as J[]).map((w) => w.Warninglist);
      expect(after.filter((w) => w.enabled).map((w) => w.name).sort()).toEqual(['List of RFC 1918 CIDR blocks', 'List of known hashes for empty files']);
    });

    it('restSearch honours enforceWarninglist and includeWarninglistHits (json, csv, text, events)', async () => {
      const vals = (r: { json: unknown }): string[] => ((r.json as J).response.Attribute as J[]).map((a) => a.value).sort();
      const all = vals(await s.call('POST', '/attributes/restSearch', { eventid: eventId }));
      expect(all).toHaveLength(4);
      // 10.1.2.3 (IDS, RFC 1918) and the empty-file hash go; 192.168.1.1 stays: not IDS, and MISP only checks IDS attributes.
      const enforced = vals(await s.call('POST', '/attributes/restSearch', { eventid: eventId, enforceWarninglist: 1 }));
      expect(enforced).toEqual(['192.168.1.1', '203.0.113.9']);
      const withHits = ((await s.call('POST', '/attributes/restSearch', { eventid: eventId, includeWarninglistHits: true })).json as J).response.Attribute as J[];
      const listed = withHits.find((a) => a.value === '10.1.2.3') as J;
      expect(listed.warnings).toEqual([{ value: '10.1.2.3', match: '10.0.0.0/8', warninglist_id: expect.any(String), warninglist_name: 'List of RFC 1918 CIDR blocks', warninglist_category: 'false_positive' }]);
      expect((withHits.find((a) => a.value === '203.0.113.9') as J).warnings).toBeUndefined();
      const csv = (await s.call('POST', '/attributes/restSearch', { eventid: eventId, returnFormat: 'csv', enforceWarninglist: 1 })).text;
      expect(csv).toContain('203.0.113.9');
      expect(csv).not.toContain('10.1.2.3');
      const text = (await s.call('POST', '/attributes/restSearch', { eventid: eventId, returnFormat: 'text', enforceWarninglist: 1, ignore: 1 })).text;
      expect(text.trim().split('\n').sort()).toEqual(['192.168.1.1', '203.0.113.9']);
      const events = ((await s.call('POST', '/events/restSearch', { eventid: eventId, enforceWarninglist: 1 })).json as J).response as J[];
      expect((events[0]?.Event.Attribute as J[]).map((a) => a.value).sort()).toEqual(['192.168.1.1', '203.0.113.9']);
      expect((await s.call('POST', '/attributes/restSearch', { eventid: eventId, enforceWarninglist: 'maybe' })).status).toBe(400);
    });

    it('events/view adds warnings with includeWarninglistHits', async () => {
      const plain = ((await s.call('GET', `/events/view/${eventId}`)).json as J).Event.Attribute as J[];
      expect(plain.some((a) => a.warnings !== undefined)).toBe(false);
      const ev = ((await s.call('GET', `/events/view/${eventId}/includeWarninglistHits:1`)).json as J).Event.Attribute as J[];
      expect((ev.find((a) => a.value === '10.1.2.3') as J).warnings[0].warninglist_name).toBe('List of RFC 1918 CIDR blocks');
    });
  });
});
