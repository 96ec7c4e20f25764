import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anAttribute, anEvent } from '../test-support/an-event.js';
import { folderSink } from './folder-sink.js';
import type { FeedSink } from './feed-sink.js';
import { writeFeedIncremental, type FeedListing } from './write-feed-incremental.js';

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
const U = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'waggle-feed-inc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// A store of events the test changes between exports.
function store(): { events: Map<string, ReturnType<typeof anEvent>>; put(n: number, ts: number, value: string): void; listing(): FeedListing[]; loaded: string[]; load(uuid: string): Promise<unknown> } {
  const events = new Map<string, ReturnType<typeof anEvent>>();
  const loaded: string[] = [];
  return {
    events,
    loaded,
    put(n, ts, value) {
      events.set(U(n), anEvent({ uuid: U(n), timestamp: String(ts) }, [anAttribute({ value })]));
    },
    listing: () => [...events.entries()].map(([uuid, e]) => ({ uuid, timestamp: Number(e.Event['timestamp']) })),
    load(uuid) {
      loaded.push(uuid);
      return Promise.resolve(events.get(uuid));
    },
  };
}

// Records which files a sink was asked to write or remove.
function recording(sink: FeedSink): { sink: FeedSink; writes: string[]; removes: string[] } {
  const writes: string[] = [];
  const removes: string[] = [];
  return {
    writes,
    removes,
    sink: {
      ...sink,
      writeFile: (name, content) => {
        writes.push(name);
        return sink.writeFile(name, content);
      },
      removeFile: (name) => {
        removes.push(name);
        return sink.removeFile(name);
      },
    },
  };
}

describe('writeFeedIncremental', () => {
  it('rewrites only changed events, keeps the others, removes dropped ones', async () => {
    const s = store();
    s.put(1, 1000, '192.0.2.1');
    s.put(2, 1000, '192.0.2.2');
    s.put(3, 1000, '192.0.2.3');
    const first = await writeFeedIncremental(folderSink(dir), { events: s.listing(), loadEvent: s.load });
    expect(first).toEqual({ written: [U(1), U(2), U(3)], unchanged: [], removed: [], rebuilt: false });
    const keptBefore = await stat(join(dir, `${U(1)}.json`));
    const keptText = await readFile(join(dir, `${U(1)}.json`), 'utf8');

    s.put(2, 2000, '192.0.2.22'); // changed
    s.events.delete(U(3)); // dropped
    s.put(4, 1500, '192.0.2.4'); // new
    s.loaded.length = 0;
    const rec = recording(folderSink(dir));
    const second = await writeFeedIncremental(rec.sink, { events: s.listing(), loadEvent: s.load });

    expect(second).toEqual({ written: [U(2), U(4)], unchanged: [U(1)], removed: [U(3)], rebuilt: false });
    expect(s.loaded).toEqual([U(2), U(4)]);
    expect(rec.writes.sort()).toEqual([`${U(2)}.json`, `${U(4)}.json`, 'manifest.json']);
    expect(rec.removes).toEqual([`${U(3)}.json`]);
    expect((await stat(join(dir, `${U(1)}.json`))).mtimeMs).toBe(keptBefore.mtimeMs);
    expect(await readFile(join(dir, `${U(1)}.json`), 'utf8')).toBe(keptText);
    expect(await readdir(dir)).not.toContain(`${U(3)}.json`);

    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<string, { timestamp: number }>;
    expect(Object.keys(manifest)).toEqual([U(1), U(2), U(4)]);
    expect(manifest[U(2)]?.timestamp).toBe(2000);
    const hashes = (await readFile(join(dir, 'hashes.csv'), 'utf8')).split('\n').filter(Boolean).sort();
    expect(hashes).toEqual([`${md5('192.0.2.1')},${U(1)}`, `${md5('192.0.2.22')},${U(2)}`, `${md5('192.0.2.4')},${U(4)}`].sort());
  });

  it('does nothing but rewrite the manifest when nothing changed', async () => {
    const s = store();
    s.put(1, 1000, '192.0.2.1');
    await writeFeedIncremental(folderSink(dir), { events: s.listing(), loadEvent: s.load });
    const hashesBefore = await readFile(join(dir, 'hashes.csv'), 'utf8');
    const manifestBefore = await readFile(join(dir, 'manifest.json'), 'utf8');
    const result = await writeFeedIncremental(folderSink(dir), { events: s.listing(), loadEvent: s.load });
    expect(result).toEqual({ written: [], unchanged: [U(1)], removed: [], rebuilt: false });
    expect(await readFile(join(dir, 'hashes.csv'), 'utf8')).toBe(hashesBefore);
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(manifestBefore);
  });

  it('rewrites an event whose file has gone missing', async () => {
    const s = store();
    s.put(1, 1000, '192.0.2.1');
    await writeFeedIncremental(folderSink(dir), { events: s.listing(), loadEvent: s.load });
    await rm(join(dir, `${U(1)}.json`));
    const result = await writeFeedIncremental(folderSink(dir), { events: s.listing(), loadEvent: s.load });
    expect(result.written).toEqual([U(1)]);
  });

  it('rebuilds everything when the old manifest is broken or hashes.csv is missing', async () => {
    const s = store();
    s.put(1, 1000, '192.0.2.1');
    await writeFeedIncremental(folderSink(dir), { events: s.listing(), loadEvent: s.load });
    await rm(join(dir, 'hashes.csv'));
    expect(await writeFeedIncremental(folderSink(dir), { events: s.listing(), loadEvent: s.load })).toMatchObject({ written: [U(1)], rebuilt: true });
    await writeFile(join(dir, 'manifest.json'), '{"not-a-uuid": {}}');
    expect(await writeFeedIncremental(folderSink(dir), { events: s.listing(), loadEvent: s.load })).toMatchObject({ written: [U(1)], rebuilt: true });
    expect(await readFile(join(dir, 'hashes.csv'), 'utf8')).toBe(`${md5('192.0.2.1')},${U(1)}\n`);
  });

  it.each([
    ['a bad uuid', [{ uuid: '../x', timestamp: 1 }], /is not an event UUID/],
    ['a duplicate', [{ uuid: U(1), timestamp: 1 }, { uuid: U(1), timestamp: 1 }], /listed twice/],
    ['a bad timestamp', [{ uuid: U(1), timestamp: -1 }], /timestamp must be a whole number/],
  ])('refuses %s and leaves the published feed as it was', async (_label, listing, message) => {
    const s = store();
    s.put(1, 1000, '192.0.2.1');
    await writeFeedIncremental(folderSink(dir), { events: s.listing(), loadEvent: s.load });
    const manifestBefore = await readFile(join(dir, 'manifest.json'), 'utf8');
    const hashesBefore = await readFile(join(dir, 'hashes.csv'), 'utf8');
    await expect(writeFeedIncremental(folderSink(dir), { events: listing, loadEvent: s.load })).rejects.toThrow(message);
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(manifestBefore);
    expect(await readFile(join(dir, 'hashes.csv'), 'utf8')).toBe(hashesBefore);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses a loader that returns another event', async () => {
    const s = store();
    s.put(1, 1000, '192.0.2.1');
    s.put(2, 1000, '192.0.2.2');
    const wrong = (): Promise<unknown> => Promise.resolve(s.events.get(U(2)));
    await expect(writeFeedIncremental(folderSink(dir), { events: [{ uuid: U(1), timestamp: 1000 }], loadEvent: wrong })).rejects.toThrow(/returned event/);
    await expect(readFile(join(dir, 'manifest.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
