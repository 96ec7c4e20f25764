import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bootstrapAdmin, ensureDefaults } from '@waggle/core';
import { createApp } from '@waggle/server';
import { createIntelDocuments, openSqlStore, type IntelDocuments } from '@waggle/store';
import { readConfig } from '../config.js';
import { buildProgram } from '../main.js';
import { openRuntime } from '../runtime.js';
import { importDataSet, listData, parseKind, setDataEnabled } from './data.js';

const DATA = process.env.WAGGLE_SHARED_DATA ?? (existsSync(fileURLToPath(new URL('../../../../../shared/data/', import.meta.url))) ? fileURLToPath(new URL('../../../../../shared/data/', import.meta.url)) : '/work/shared/data/');
const KEY = 'DataCmdTestKey0123456789abcdefghijklmnop'.slice(0, 40);

describe('waggle data', () => {
  const home = mkdtempSync(join(tmpdir(), 'waggle-data-'));
  const database = join(home, 'store.sqlite');
  let store: Awaited<ReturnType<typeof openSqlStore>>;
  let docs: IntelDocuments;
  const warnings: string[] = [];
  const out = { warn: (m: string) => warnings.push(m) };

  beforeAll(async () => {
    store = await openSqlStore({ url: join(home, 'direct.sqlite') });
    docs = createIntelDocuments(store.connection.db);
  });
  afterAll(async () => {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  });
  afterEach(() => {
    warnings.length = 0;
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it('imports every upstream taxonomy, then finds them unchanged; built-in namespaces start enabled, others disabled', async () => {
    const first = await importDataSet(docs, 'taxonomies', join(DATA, 'misp-taxonomies'), out);
    expect(first.failed).toBe(0);
    expect(first.added).toBeGreaterThan(150);
    expect(warnings).toEqual([]);
    const again = await importDataSet(docs, 'taxonomies', join(DATA, 'misp-taxonomies'), out);
    expect(again).toEqual({ added: 0, updated: 0, unchanged: first.added, failed: 0 });
    const lines = (await listData(docs, 'taxonomy')).trim().split('\n');
    expect(lines.find((l) => l.split('\t')[1] === 'tlp')).toMatch(/\tenabled$/);
    expect(lines.find((l) => l.split('\t')[1] === 'osint')).toMatch(/\tdisabled$/);
  });

  it('reports bad files and keeps going', async () => {
    const dir = mkdtempSync(join(home, 'tax-'));
    cpSync(join(DATA, 'misp-taxonomies', 'osint'), join(dir, 'osint'), { recursive: true });
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'machinetag.json'), '{ not json');
    mkdirSync(join(dir, 'invalid'));
    writeFileSync(join(dir, 'invalid', 'machinetag.json'), JSON.stringify({ namespace: 'bad:ns', version: 'x', predicates: [] }));
    const s = await importDataSet(docs, 'taxonomies', dir, out);
    expect(s).toEqual({ added: 0, updated: 0, unchanged: 1, failed: 2 });
    expect(warnings.some((w) => w.includes(join('broken', 'machinetag.json')))).toBe(true);
    expect(warnings.some((w) => w.includes(join('invalid', 'machinetag.json')) && w.includes('namespace'))).toBe(true);
    expect((await docs.list('taxonomy')).some((d) => d.name === 'bad:ns')).toBe(false);
    await expect(importDataSet(docs, 'taxonomies', join(home, 'missing'), out)).rejects.toThrow('No folder');
  });

  it('imports galaxies with their cluster files and refuses clusters without a galaxy', async () => {
    const dir = mkdtempSync(join(home, 'gal-'));
    mkdirSync(join(dir, 'galaxies'));
    mkdirSync(join(dir, 'clusters'));
    for (const f of ['threat-actor', 'tool']) {
      cpSync(join(DATA, 'misp-galaxy', 'galaxies', `${f}.json`), join(dir, 'galaxies', `${f}.json`));
      cpSync(join(DATA, 'misp-galaxy', 'clusters', `${f}.json`), join(dir, 'clusters', `${f}.json`));
    }
    cpSync(join(DATA, 'misp-galaxy', 'clusters', 'ransomware.json'), join(dir, 'clusters', 'ransomware.json'));
    const s = await importDataSet(docs, 'galaxies', dir, out);
    expect(s).toEqual({ added: 4, updated: 0, unchanged: 0, failed: 1 });
    expect(warnings.join('\n')).toContain('no galaxy of type "ransomware"');
    expect((await docs.list('galaxy-clusters')).map((d) => d.name)).toEqual(['threat-actor', 'tool']);
    expect((await docs.list('galaxy')).every((d) => d.enabled)).toBe(true);
  });

  it('imports all warninglists disabled and toggles them by name', async () => {
    const s = await importDataSet(docs, 'warninglists', join(DATA, 'misp-warninglists'), out);
    expect(s.failed).toBe(0);
    expect(s.added).toBeGreaterThan(100);
    expect((await docs.list('warninglist', { enabledOnly: true }))).toEqual([]);
    expect(await setDataEnabled(docs, 'warninglist', 'rfc1918', true)).toBe('warninglist rfc1918 enabled');
    expect((await docs.list('warninglist', { enabledOnly: true })).map((d) => d.name)).toEqual(['rfc1918']);
    await expect(setDataEnabled(docs, 'warninglist', 'nope', true)).rejects.toThrow('No warninglist "nope"');
    expect(() => parseKind('feeds')).toThrow('Unknown kind');
  });

  it('runs from the command line and the server then uses what was imported', async () => {
    const stderr: string[] = [];
    const stdout: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => (stderr.push(String(c)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => (stdout.push(String(c)), true));
    const run = (...args: string[]) => buildProgram().parseAsync(['node', 'waggle', ...args, '--data', home, '--database', database]);
    await run('data', 'import', 'warninglists', join(DATA, 'misp-warninglists'));
    expect(stderr.join('')).toMatch(/warninglists: \d+ added, 0 updated, 0 unchanged, 0 failed/);
    expect(stderr.join('')).toContain('new warninglists are disabled, as on MISP');
    await run('data', 'enable', 'warninglist', 'rfc1918');
    await run('data', 'list', 'warninglists');
    expect(stdout.join('')).toMatch(/\trfc1918\t\d+\tenabled\n/);
    await run('data', 'import', 'galaxies', join(home, 'nowhere')).catch((e: Error) => stderr.push(e.message));
    expect(stderr.join('')).toContain('No folder');
    vi.restoreAllMocks();

    const rt = await openRuntime(readConfig({ data: home, database }, {}));
    try {
      await ensureDefaults(rt.deps);
      await bootstrapAdmin(rt.deps, { orgName: 'ORG', email: 'admin@test', authKey: KEY });
      const app = createApp({ services: rt.services, version: 't' });
      const r = await app.inject({ method: 'POST', url: '/warninglists/checkValue', headers: { authorization: KEY, 'content-type': 'application/json' }, payload: JSON.stringify(['10.0.0.1']) });
      expect(JSON.parse(r.body)['10.0.0.1'][0].name).toBe('List of RFC 1918 CIDR blocks');
      const tax = await app.inject({ method: 'GET', url: '/taxonomies/index', headers: { authorization: KEY } });
      expect((JSON.parse(tax.body) as { Taxonomy: { namespace: string } }[]).map((t) => t.Taxonomy.namespace)).toContain('tlp');
      await app.close();
    } finally {
      await rt.close();
    }
  }, 60_000);
});
