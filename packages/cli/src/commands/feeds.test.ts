import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli as waggle } from '../test-support/run-cli.js';

const KEY = 'FeedCliTestKey0123456789abcdefghijklmnop'.slice(0, 40);


describe('waggle feeds / export feed', () => {
  const root = mkdtempSync(join(tmpdir(), 'waggle-feeds-cli-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const src = join(root, 'src');
  const dst = join(root, 'dst');
  const feedDir = join(root, 'feed');
  vi.stubEnv('WAGGLE_ADMIN_KEY', KEY);

  it('exports a feed from one data folder and fetches it into another', async () => {
    const events = join(root, 'events.json');
    writeFileSync(events, JSON.stringify({ response: [
      { Event: { uuid: '5f0c5b3c-1111-4c3a-9a53-6c1a8d1e0001', info: 'Published', published: true, Attribute: [{ type: 'ip-dst', value: '198.51.100.70' }] } },
      { Event: { uuid: '5f0c5b3c-1111-4c3a-9a53-6c1a8d1e0002', info: 'Draft', published: false, Attribute: [{ type: 'ip-dst', value: '198.51.100.71' }] } },
    ] }));
    // Any feeds command creates the first admin, which `import` acts as.
    expect((await waggle('feeds', 'list', '--data', src)).code).toBe(0);
    const imported = await waggle('import', events, '--no-progress', '--data', src);
    expect(imported.code, imported.err).toBe(0);
    const exported = await waggle('export', 'feed', feedDir, '--data', src);
    expect(exported.code, exported.err).toBe(0);
    expect(exported.err).toContain('1 events (1 written');
    const manifest = JSON.parse(readFileSync(join(feedDir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(manifest)).toEqual(['5f0c5b3c-1111-4c3a-9a53-6c1a8d1e0001']);
    expect((await waggle('export', 'feed', feedDir, '--all', '--data', src)).err).toContain('2 events (1 written, 1 unchanged');

    const added = await waggle('feeds', 'add', feedDir, '--local', '--name', 'src', '--tag', 'feed:src', '--cache', '--data', dst);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/^1\tsrc\n$/);
    const fetched = await waggle('feeds', 'fetch', 'src', '--data', dst);
    expect(fetched.code, fetched.err).toBe(0);
    expect(fetched.out).toContain('feed 1 src: ok: 2 added');
    const cached = await waggle('feeds', 'cache', 'all', '--data', dst);
    expect(cached.out).toContain('1\tsrc\t2 hashes');
    expect((await waggle('feeds', 'disable', 'src', '--data', dst)).code).toBe(0);
    expect((await waggle('feeds', 'list', '--data', dst)).out).toMatch(/^1\tdisabled\tcached\tmisp\tsrc\t/);
    const refused = await waggle('feeds', 'fetch', 'src', '--data', dst);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('not enabled');
    expect((await waggle('feeds', 'remove', '1', '--data', dst)).code).toBe(0);
    expect((await waggle('feeds', 'list', '--data', dst)).out).toBe('');
  });

  it('rejects bad input with the service\'s message and stores nothing', async () => {
    const bad = await waggle('feeds', 'add', 'ftp://example.com/x', '--name', 'bad', '--data', dst);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('must use http or https');
    const format = await waggle('feeds', 'add', 'https://example.com/x', '--name', 'bad', '--format', 'xml', '--data', dst);
    expect(format.err).toContain('source_format "xml" is not supported');
    expect((await waggle('feeds', 'list', '--data', dst)).out).toBe('');
    expect(existsSync(join(root, 'nothing'))).toBe(false);
  });
});
