import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntelDocuments, type IntelDocuments } from '@waggle/store';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../../test-support/test-server.js';
import { importDataSet } from '../../intel/index.js';
import { GALAXY_DIR, TAXONOMIES_DIR, WARNINGLISTS_DIR } from '../../intel/test-support/intel-fixtures.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const quiet = { warn: (): void => undefined };

/** Rewrites a JSON file through `change`. */
function editJson(file: string, change: (json: J) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8')) as J;
  change(json);
  writeFileSync(file, JSON.stringify(json));
}

describe.each(testEngines())('library updates (PyMISP update_taxonomies, update_warninglists, update_galaxies) on %s', (engine) => {
  let s: TestServer;
  let docs: IntelDocuments;
  let user: { key: string };
  const root = mkdtempSync(join(tmpdir(), 'waggle-intel-update-'));
  const taxonomies = join(root, 'misp-taxonomies');
  const warninglists = join(root, 'misp-warninglists');
  const galaxies = join(root, 'misp-galaxy');

  beforeAll(async () => {
    s = await startTestServer(engine);
    docs = createIntelDocuments(s.store.connection.db);
    user = await addOrgUser(s, 'UpdateUser', 3);
    for (const ns of ['osint', 'circl']) cpSync(join(TAXONOMIES_DIR, ns), join(taxonomies, ns), { recursive: true });
    cpSync(join(WARNINGLISTS_DIR, 'lists', 'rfc1918'), join(warninglists, 'lists', 'rfc1918'), { recursive: true });
    mkdirSync(join(galaxies, 'galaxies'), { recursive: true });
    mkdirSync(join(galaxies, 'clusters'), { recursive: true });
    cpSync(join(GALAXY_DIR, 'galaxies', 'threat-actor.json'), join(galaxies, 'galaxies', 'threat-actor.json'));
    cpSync(join(GALAXY_DIR, 'clusters', 'threat-actor.json'), join(galaxies, 'clusters', 'threat-actor.json'));
  });
  afterAll(async () => {
    await s.close();
    rmSync(root, { recursive: true, force: true });
  });

  const namespaces = async (): Promise<string[]> => ((await s.call('GET', '/taxonomies/index')).json as J[]).map((t) => t.Taxonomy.namespace as string);
  const update = async (set: string, key?: string) => s.call('POST', `/${set}/update`, undefined, key);

  describe('taxonomies', () => {
    it('sees taxonomies imported while it runs on the first update (a saveSuccess with MISP\'s message), then "All taxonomy libraries are up to date already."', async () => {
      expect(await namespaces()).not.toContain('osint');
      // `waggle data import taxonomies <dir>` in another process: the running server has its catalogue cached.
      expect(await importDataSet(docs, 'taxonomies', taxonomies, quiet)).toMatchObject({ added: 2, failed: 0 });
      expect(await namespaces()).not.toContain('osint');
      const first = await update('taxonomies');
      expect(first.status, first.text).toBe(200);
      expect(first.json).toEqual({ saved: true, success: true, name: 'Successfully updated 2 taxonomy libraries.', message: 'Successfully updated 2 taxonomy libraries.', url: '/taxonomies/update' });
      expect(await namespaces()).toEqual(expect.arrayContaining(['osint', 'circl', 'tlp']));
      // testlive_comprehensive: r['name'] == 'All taxonomy libraries are up to date already.'
      const second = await update('taxonomies');
      expect((second.json as J).name).toBe('All taxonomy libraries are up to date already.');
    });

    it('stores a taxonomy that appears in an imported folder, disabled as MISP does, and a newer version of one (keeping its flags)', async () => {
      cpSync(join(TAXONOMIES_DIR, 'veris'), join(taxonomies, 'veris'), { recursive: true });
      const r = await update('taxonomies');
      expect((r.json as J).message).toBe('Successfully updated 1 taxonomy libraries.');
      const veris = ((await s.call('GET', '/taxonomies/view/veris')).json as J).Taxonomy as J;
      expect(veris.enabled).toBe(false);

      expect((await s.call('POST', '/taxonomies/enable/osint')).status).toBe(200);
      const file = join(taxonomies, 'osint', 'machinetag.json');
      const version = Number((JSON.parse(readFileSync(file, 'utf8')) as J).version);
      editJson(file, (j) => {
        j.version = version + 1;
        j.description = 'Newer osint';
      });
      expect(((await update('taxonomies')).json as J).message).toBe('Successfully updated 1 taxonomy libraries.');
      const osint = ((await s.call('GET', '/taxonomies/view/osint')).json as J).Taxonomy as J;
      expect(osint).toMatchObject({ version: String(version + 1), description: 'Newer osint', enabled: true });

      // An older version (or the same version with other content) never replaces what is stored, as on MISP.
      editJson(file, (j) => {
        j.version = version;
        j.description = 'Older osint';
      });
      expect(((await update('taxonomies')).json as J).message).toBe('All taxonomy libraries are up to date already.');
      expect((((await s.call('GET', '/taxonomies/view/osint')).json as J).Taxonomy as J).description).toBe('Newer osint');
    });

    it('counts a file that cannot be read once, beside what was updated', async () => {
      mkdirSync(join(taxonomies, 'broken'));
      writeFileSync(join(taxonomies, 'broken', 'machinetag.json'), '{ not json');
      expect(((await update('taxonomies')).json as J).message).toBe('Could not update any of the taxonomy libraries');
      // Still broken, but nothing changed since: up to date.
      expect(((await update('taxonomies')).json as J).message).toBe('All taxonomy libraries are up to date already.');
      mkdirSync(join(taxonomies, 'invalid'));
      writeFileSync(join(taxonomies, 'invalid', 'machinetag.json'), JSON.stringify({ namespace: 'bad:ns', version: 1, predicates: [] }));
      cpSync(join(TAXONOMIES_DIR, 'adversary'), join(taxonomies, 'adversary'), { recursive: true });
      expect(((await update('taxonomies')).json as J).message).toBe('Successfully updated 1 taxonomy libraries. However, could not update 1 taxonomy libraries.');
      expect(await namespaces()).toContain('adversary');
      expect(await namespaces()).not.toContain('bad:ns');
      rmSync(join(taxonomies, 'broken'), { recursive: true });
      rmSync(join(taxonomies, 'invalid'), { recursive: true });
    });

    it('reinstalls a bundled taxonomy missing from the store, and reads the store for imports done elsewhere', async () => {
      await s.store.connection.db.deleteFrom('intel_documents').where('kind', '=', 'taxonomy').where('name', '=', 'workflow').execute();
      expect(((await update('taxonomies')).json as J).message).toBe('Successfully updated 1 taxonomy libraries.');
      expect((((await s.call('GET', '/taxonomies/view/workflow')).json as J).Taxonomy as J).enabled).toBe(true);
      // A folder imported and then removed: the others are still read, and the update answers.
      const gone = mkdtempSync(join(root, 'gone-'));
      cpSync(join(TAXONOMIES_DIR, 'DML'), join(gone, 'DML'), { recursive: true });
      await importDataSet(docs, 'taxonomies', gone, quiet);
      rmSync(gone, { recursive: true });
      expect(((await update('taxonomies')).json as J).message).toBe('Successfully updated 1 taxonomy libraries.');
      expect(await namespaces()).toContain('DML');
      expect(((await update('taxonomies')).json as J).message).toBe('All taxonomy libraries are up to date already.');
    });

    it('is for site admins only: 403 for others, and nothing is read', async () => {
      cpSync(join(TAXONOMIES_DIR, 'DFRLab-dichotomies-of-disinformation'), join(taxonomies, 'DFRLab-dichotomies-of-disinformation'), { recursive: true });
      const r = await update('taxonomies', user.key);
      expect(r.status).toBe(403);
      expect(await namespaces()).not.toContain('DFRLab-dichotomies-of-disinformation');
      expect(((await update('taxonomies')).json as J).message).toBe('Successfully updated 1 taxonomy libraries.');
    });
  });

  describe('taxonomies/toggleRequired (PyMISP set_taxonomy_required)', () => {
    const row = async (ns: string): Promise<J> => (((await s.call('GET', '/taxonomies/index')).json as J[]).find((t) => t.Taxonomy.namespace === ns) as J).Taxonomy as J;

    it('sets the flag from {"Taxonomy": {"required": …}} and shows it in index and view; r[\'message\'] == \'Taxonomy toggleRequireded\'', async () => {
      const tlp = await row('tlp');
      expect(tlp.required).toBe(false);
      const r = await s.call('POST', `/taxonomies/toggleRequired/${String(tlp.id)}`, { Taxonomy: { required: true } });
      expect(r.status, r.text).toBe(200);
      expect(r.json).toEqual({ saved: true, success: true, name: 'Taxonomy toggleRequireded', message: 'Taxonomy toggleRequireded', url: `/taxonomies/toggleRequired/${String(tlp.id)}`, id: tlp.id });
      expect((await row('tlp')).required).toBe(true);
      expect((((await s.call('GET', `/taxonomies/view/${String(tlp.id)}`)).json as J).Taxonomy as J).required).toBe(true);
      // The flag is stored: a new service on the same store sees it.
      const { createIntelService } = await import('../../intel/index.js');
      expect((await createIntelService({ documents: docs, store: s.store }).taxonomies()).find('tlp')?.required).toBe(true);
      expect((await s.call('POST', `/taxonomies/toggleRequired/${String(tlp.id)}`, { Taxonomy: { required: 0 } })).status).toBe(200);
      expect((await row('tlp')).required).toBe(false);
    });

    it('keeps the flag when an update stores a newer version', async () => {
      const osint = await row('osint');
      expect((await s.call('POST', `/taxonomies/toggleRequired/${String(osint.id)}`, { Taxonomy: { required: true } })).status).toBe(200);
      editJson(join(taxonomies, 'osint', 'machinetag.json'), (j) => {
        j.version = Number(osint.version) + 1;
      });
      expect(((await update('taxonomies')).json as J).message).toBe('Successfully updated 1 taxonomy libraries.');
      expect(await row('osint')).toMatchObject({ version: String(Number(osint.version) + 1), required: true, enabled: true });
    });

    it('refuses bad bodies, unknown taxonomies and non-admins, changing nothing', async () => {
      const tlp = await row('tlp');
      const url = `/taxonomies/toggleRequired/${String(tlp.id)}`;
      for (const body of [undefined, {}, { Taxonomy: {} }, { Taxonomy: { required: 'maybe' } }, { Taxonomy: 'yes' }, [true]]) {
        const r = await s.call('POST', url, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect((r.json as J).message).toContain('required');
      }
      expect((await s.call('POST', '/taxonomies/toggleRequired/999999', { Taxonomy: { required: true } })).status).toBe(404);
      expect((await s.call('POST', url, { Taxonomy: { required: true } }, user.key)).status).toBe(403);
      expect((await row('tlp')).required).toBe(false);
    });
  });

  describe('warninglists', () => {
    const names = async (): Promise<string[]> => (((await s.call('GET', '/warninglists/index')).json as J).Warninglists as J[]).map((w) => w.Warninglist.name as string);

    it('sees lists imported while it runs, then "All warninglists are up to date already."', async () => {
      expect(await names()).toEqual([]);
      expect(await importDataSet(docs, 'warninglists', warninglists, quiet)).toMatchObject({ added: 1, failed: 0 });
      const first = await update('warninglists');
      expect(first.json).toEqual({ saved: true, success: true, name: 'Successfully updated 1 warninglists.', message: 'Successfully updated 1 warninglists.', url: '/warninglists/update' });
      expect(await names()).toEqual(['List of RFC 1918 CIDR blocks']);
      // testlive_comprehensive: 'name' in r, r['name'] == 'All warninglists are up to date already.'
      expect(((await update('warninglists')).json as J).name).toBe('All warninglists are up to date already.');
    });

    it('stores a list that appears in an imported folder (disabled), usable once enabled', async () => {
      cpSync(join(WARNINGLISTS_DIR, 'lists', 'empty-hashes'), join(warninglists, 'lists', 'empty-hashes'), { recursive: true });
      mkdirSync(join(warninglists, 'lists', 'broken'));
      writeFileSync(join(warninglists, 'lists', 'broken', 'list.json'), '[]');
      expect(((await update('warninglists')).json as J).name).toBe('Successfully updated 1 warninglists. However, could not update 1 warninglists.');
      const list = (((await s.call('GET', '/warninglists/index')).json as J).Warninglists as J[]).find((w) => w.Warninglist.name === 'List of known hashes for empty files') as J;
      expect(list.Warninglist.enabled).toBe(false);
      expect((await s.call('POST', '/warninglists/toggleEnable', { id: [list.Warninglist.id], enabled: true })).status).toBe(200);
      const hits = (await s.call('POST', '/warninglists/checkValue', ['d41d8cd98f00b204e9800998ecf8427e'])).json as J;
      expect(hits.d41d8cd98f00b204e9800998ecf8427e[0].name).toBe('List of known hashes for empty files');
      // A toggle is not a library update.
      expect(((await update('warninglists')).json as J).name).toBe('All warninglists are up to date already.');
    });

    it('is for site admins only', async () => {
      cpSync(join(WARNINGLISTS_DIR, 'lists', 'public-dns-v4'), join(warninglists, 'lists', 'public-dns-v4'), { recursive: true });
      expect((await update('warninglists', user.key)).status).toBe(403);
      expect(await names()).not.toContain('List of known IPv4 public DNS resolvers');
    });
  });

  describe('galaxies', () => {
    const types = async (): Promise<string[]> => ((await s.call('GET', '/galaxies/index')).json as J[]).map((g) => g.Galaxy.type as string);

    it('sees galaxies imported while it runs; r[\'name\'] == \'Galaxies updated.\'', async () => {
      expect(await types()).toEqual([]);
      await importDataSet(docs, 'galaxies', galaxies, quiet);
      const r = await update('galaxies');
      expect(r.json).toEqual({ saved: true, success: true, name: 'Galaxies updated.', message: 'Galaxies updated.', url: '/galaxies/update' });
      expect(await types()).toEqual(['threat-actor']);
      expect(((await update('galaxies')).json as J).name).toBe('Galaxies updated.');
    });

    it('stores a galaxy and its clusters that appear in an imported folder', async () => {
      cpSync(join(GALAXY_DIR, 'galaxies', 'tool.json'), join(galaxies, 'galaxies', 'tool.json'));
      cpSync(join(GALAXY_DIR, 'clusters', 'tool.json'), join(galaxies, 'clusters', 'tool.json'));
      expect((await update('galaxies', user.key)).status).toBe(403);
      expect(await types()).toEqual(['threat-actor']);
      expect(((await update('galaxies')).json as J).name).toBe('Galaxies updated.');
      expect((await types()).sort()).toEqual(['threat-actor', 'tool']);
      const view = (await s.call('GET', '/galaxies/view/tool')).json as J;
      expect((view.GalaxyCluster as J[]).length).toBeGreaterThan(10);
    });
  });

  describe('POST galaxies {"value": …} (PyMISP search_galaxy)', () => {
    const search = async (body: unknown) => s.call('POST', '/galaxies', body, user.key);

    it('matches name, namespace, description or uuid, case-insensitively, as [{Galaxy}]', async () => {
      const all = (await s.call('GET', '/galaxies/index')).json as J[];
      const tool = all.find((g) => g.Galaxy.type === 'tool') as J;
      const byName = await search({ value: 'TOOL' });
      expect(byName.status).toBe(200);
      expect((byName.json as J[]).map((g) => g.Galaxy.type)).toEqual(['tool']);
      expect((byName.json as J[])[0]).toEqual(tool);
      expect(((await search({ value: String(tool.Galaxy.uuid).slice(4, 20) })).json as J[]).map((g) => g.Galaxy.type)).toEqual(['tool']);
      expect(((await search({ value: 'Presumed INTENT' })).json as J[]).map((g) => g.Galaxy.type)).toEqual(['threat-actor']);
      // Both descriptions say "Threat actors".
      expect(((await search({ value: 'threat actor' })).json as J[]).map((g) => g.Galaxy.type).sort()).toEqual(['threat-actor', 'tool']);
      expect((await search({ value: 'no galaxy has this' })).json).toEqual([]);
      expect(((await search({ value: '' })).json as J[]).length).toBe(all.length);
      expect(((await search({ value: 'misp' })).json as J[]).length).toBe(all.length);
      // The same filter as MISP's named parameter.
      expect(((await s.call('GET', '/galaxies/index/value:intent', undefined, user.key)).json as J[]).map((g) => g.Galaxy.type)).toEqual(['threat-actor']);
      expect((await search({ value: '', enabled: 0 })).json).toEqual([]);
    });

    it('refuses bodies that are not a search', async () => {
      for (const body of [{ value: { a: 1 } }, { value: ['x'] }, ['threat'], { value: 'x', enabled: 'maybe' }]) {
        const r = await search(body);
        expect(r.status, JSON.stringify(body)).toBe(400);
      }
    });
  });
});
