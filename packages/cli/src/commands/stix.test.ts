import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadStixSchemas } from '../../../stix/src/test-support/stix-schemas.js';
import { readConfig } from '../config.js';
import { main } from '../main.js';
import type { Output } from '../output.js';
import { openRuntime } from '../runtime.js';
import { startServer, type RunningServer } from './serve.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY = 'StixCliTestKey0123456789abcdefghijklmnop'.slice(0, 40);
const quiet: Output = { info: () => {}, warn: () => {}, print: () => {}, logger: false };

/** Runs the CLI in-process; returns its exit code and what it wrote to stderr. */
async function waggle(...args: string[]): Promise<{ code: number; err: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  process.exitCode = 0;
  try {
    const code = await main(['node', 'waggle', ...args]);
    return { code, err: chunks.join('') };
  } finally {
    spy.mockRestore();
    process.exitCode = 0;
  }
}

/** The (info, sorted attribute values) of every event in a data folder. */
async function eventsIn(home: string): Promise<{ info: string; values: string[] }[]> {
  const rt = await openRuntime(readConfig({ data: home }, {}));
  try {
    const out: { info: string; values: string[] }[] = [];
    const admin = await rt.services.auth.principalFor(1);
    for await (const e of rt.services.events.search(admin, {}, { includeCorrelations: false })) {
      out.push({ info: String(e.info), values: (e.Attribute as J[]).map((a) => `${a.type}|${a.value}`).sort() });
    }
    return out.sort((a, b) => a.info.localeCompare(b.info));
  } finally {
    await rt.close();
  }
}

describe('waggle export stix / import stix / taxii pull', () => {
  const dirs: string[] = [];
  const home = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'waggle-stix-cli-'));
    dirs.push(d);
    return d;
  };
  let source: RunningServer;
  let sourceHome: string;
  let collection: string;
  const api = (): string => `${source.url}/taxii2/api/`;

  const addEvent = async (info: string, published = true): Promise<void> => {
    const res = await fetch(`${source.url}/events/add`, {
      method: 'POST',
      headers: { authorization: KEY, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ info, published, distribution: '1', threat_level_id: '2', analysis: '0', Tag: [{ name: 'tlp:green' }], Attribute: [{ type: 'ip-dst', value: `192.0.2.${info.length}`, to_ids: true }, { type: 'domain', value: `${info.toLowerCase().replace(/[^a-z]/g, '')}.example.org` }] }),
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    sourceHome = home();
    source = await startServer(readConfig({ data: sourceHome, listen: '127.0.0.1:0' }, { WAGGLE_ADMIN_KEY: KEY }), quiet, 'test');
    await addEvent('First campaign');
    await addEvent('Second campaign');
    await addEvent('Unpublished draft', false);
    const res = await fetch(`${api()}collections/`, { headers: { authorization: `Basic ${Buffer.from(`me:${KEY}`).toString('base64')}`, accept: 'application/taxii+json;version=2.1' } });
    collection = ((await res.json()) as J).collections[0].id;
  });
  afterAll(async () => {
    await source.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('pulls a TAXII collection into a new store, remembers the cursor, and resumes from it', async () => {
    const target = home();
    const first = await waggle('taxii', 'pull', api(), '--collection', collection, '--key', KEY, '--limit', '2', '--data', target);
    expect(first.code, first.err).toBe(0);
    expect(first.err).toMatch(/pulled \d+ objects: 2 new events, 0 updated, 0 failed/);
    expect((await eventsIn(target)).map((e) => e.info)).toEqual(['First campaign', 'Second campaign']);
    expect(await eventsIn(target)).toEqual((await eventsIn(sourceHome)).filter((e) => e.info !== 'Unpublished draft'));
    const state = JSON.parse(readFileSync(join(target, 'taxii-state.json'), 'utf8')) as J;
    expect(state[`${api()}collections/${collection}/`].lastAdded).toMatch(/^\d{4}-\d\d-\d\dT/);

    const again = await waggle('taxii', 'pull', api(), '--collection', collection, '--user', 'me', '--password', KEY, '--data', target);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toMatch(/pulled 0 objects/);

    await new Promise((r) => setTimeout(r, 1100)); // event timestamps are whole seconds
    await addEvent('Third campaign');
    const third = await waggle('taxii', 'pull', api(), '--collection', collection, '--key', KEY, '--data', target);
    expect(third.err).toMatch(/pulled \d+ objects: 1 new events, 0 updated/);
    expect((await eventsIn(target)).map((e) => e.info)).toEqual(['First campaign', 'Second campaign', 'Third campaign']);

    const replay = await waggle('taxii', 'pull', api(), '--collection', collection, '--key', KEY, '--added-after', '2000-01-01T00:00:00Z', '--data', target);
    expect(replay.err).toMatch(/0 new events, 3 updated/);
  });

  it('refuses bad pull options and failed requests with a message and exit code 1', async () => {
    const target = home();
    const both = await waggle('taxii', 'pull', api(), '--collection', collection, '--key', KEY, '--user', 'me', '--data', target);
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/either --key or --user/);
    const half = await waggle('taxii', 'pull', api(), '--collection', collection, '--user', 'me', '--data', target);
    expect(half.err).toMatch(/--user and --password go together/);
    const when = await waggle('taxii', 'pull', api(), '--collection', collection, '--key', KEY, '--added-after', 'yesterday', '--data', target);
    expect(when.err).toMatch(/--added-after/);
    const denied = await waggle('taxii', 'pull', api(), '--collection', collection, '--key', 'x'.repeat(40), '--data', target);
    expect(denied.code).toBe(1);
    const unknown = await waggle('taxii', 'pull', api(), '--collection', 'no-such-collection', '--key', KEY, '--data', target);
    expect(unknown.code).toBe(1);
    expect(existsSync(join(target, 'taxii-state.json'))).toBe(false);
    expect(await eventsIn(target)).toEqual([]);
  });

  it('exports a schema-valid bundle and imports it into another store', async () => {
    const file = join(home(), 'bundle.json');
    const exported = await waggle('export', 'stix', '--out', file, '--published', '--data', sourceHome);
    expect(exported.code, exported.err).toBe(0);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as J;
    expect(bundle.type).toBe('bundle');
    expect(loadStixSchemas().invalidObjects(bundle as never)).toEqual([]);
    expect((bundle.objects as J[]).filter((o) => o.type === 'report').map((o) => o.name).sort()).toEqual(['First campaign', 'Second campaign', 'Third campaign']);

    const target = home();
    const imported = await waggle('import', 'stix', file, '--data', target);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.err).toMatch(/imported: 3 new, 0 updated, 0 failed/);
    expect(await eventsIn(target)).toEqual((await eventsIn(sourceHome)).filter((e) => e.info !== 'Unpublished draft'));
  });

  it('refuses a file that is not a STIX bundle and imports nothing', async () => {
    const dir = home();
    const target = home();
    for (const [name, text, message] of [['garbage.json', '{"type": "bund', /not a readable JSON file/], ['misp.json', '{"Event": {"info": "x"}}', /bundle/i]] as const) {
      writeFileSync(join(dir, name), text);
      const r = await waggle('import', 'stix', join(dir, name), '--data', target);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
    }
    expect((await waggle('import', 'stix', join(dir, 'missing.json'), '--data', target)).code).toBe(1);
    expect(await eventsIn(target)).toEqual([]);
  });
});
