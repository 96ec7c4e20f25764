import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InputError } from '@waggle/errors';
import { anAttribute, anEvent } from '../test-support/an-event.js';
import { fetchFeedEvent } from '../feed-reader/fetch-feed-event.js';
import { readFeedHashes } from '../feed-reader/feed-hash-index.js';
import { folderSource } from '../feed-reader/folder-source.js';
import { readManifest } from '../feed-reader/read-manifest.js';
import { createFeedWriter, feedValueHashes } from './create-feed-writer.js';
import { folderSink } from './folder-sink.js';

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'waggle-feed-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createFeedWriter', () => {
  it('writes the event file in feed shape, without local ids, non-exportable or local tags', async () => {
    const objectAttribute = anAttribute({ type: 'domain', category: 'Network activity', value: 'evil.example', object_relation: 'domain' });
    const event = anEvent({
      Object: [{ id: '4', event_id: '12', uuid: randomUUID(), name: 'domain-ip', 'meta-category': 'network', template_uuid: randomUUID(), template_version: '9', timestamp: '1714550400', distribution: '5', Attribute: [objectAttribute], ObjectReference: [] }],
      SharingGroup: { id: '1' },
    });
    const writer = createFeedWriter(folderSink(dir));
    await writer.add(event);
    await writer.finish();

    const uuid = event.Event['uuid'] as string;
    const written = JSON.parse(await readFile(join(dir, `${uuid}.json`), 'utf8')) as { Event: Record<string, unknown> };
    const e = written.Event;
    expect(Object.keys(e).sort()).toEqual(['Attribute', 'Object', 'Orgc', 'Tag', 'analysis', 'date', 'info', 'publish_timestamp', 'published', 'threat_level_id', 'timestamp', 'uuid']);
    expect(e['Orgc']).toEqual({ name: 'ACME', uuid: '5f6e7d8c-0000-4000-8000-000000000001' });
    expect(e['Tag']).toEqual([{ name: 'tlp:white', colour: '#ffffff' }]);
    expect(e['analysis']).toBe(1);
    expect(e['timestamp']).toBe(1714550400);
    const [attribute] = e['Attribute'] as Record<string, unknown>[];
    expect(Object.keys(attribute ?? {}).sort()).toEqual(['category', 'comment', 'deleted', 'disable_correlation', 'timestamp', 'to_ids', 'type', 'uuid', 'value']);
    expect(attribute?.['to_ids']).toBe(true);
    const [object] = e['Object'] as Record<string, unknown>[];
    expect(object?.['template_version']).toBe(9);
    expect(object?.['id']).toBeUndefined();
    expect((object?.['Attribute'] as Record<string, unknown>[])[0]?.['object_relation']).toBe('domain');
  });

  it('writes manifest.json and hashes.csv byte for byte as MISP feeds hold them', async () => {
    const a = anEvent({}, [anAttribute({ value: '198.51.100.1' }), anAttribute({ type: 'ip-dst|port', value: '198.51.100.2|443' }), anAttribute({ value: '198.51.100.3', deleted: true })]);
    const b = anEvent({ uuid: '00000000-0000-4000-8000-000000000001', Tag: [] }, [anAttribute({ type: 'md5', category: 'Payload delivery', value: 'd41d8cd98f00b204e9800998ecf8427e' })]);
    const writer = createFeedWriter(folderSink(dir));
    expect(await writer.add(a)).toMatchObject({ written: true, hashes: 3 });
    await writer.add(b);
    expect(await writer.finish()).toEqual({ events: 2, hashes: 4 });

    const ua = a.Event['uuid'] as string;
    const ub = b.Event['uuid'] as string;
    const entry = (tags: unknown[]) => ({
      Orgc: { name: 'ACME', uuid: '5f6e7d8c-0000-4000-8000-000000000001' },
      Tag: tags,
      info: 'Phishing campaign',
      date: '2024-05-01',
      analysis: 1,
      threat_level_id: 2,
      timestamp: 1714550400,
      publish_timestamp: 1714550500,
    });
    const expected = [[ua, entry([{ name: 'tlp:white', colour: '#ffffff' }])], [ub, entry([])]].sort(([x], [y]) => String(x).localeCompare(String(y)));
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(JSON.stringify(Object.fromEntries(expected)));
    expect(await readFile(join(dir, 'hashes.csv'), 'utf8')).toBe(
      `${md5('198.51.100.1')},${ua}\n${md5('198.51.100.2')},${ua}\n${md5('443')},${ua}\n${md5('d41d8cd98f00b204e9800998ecf8427e')},${ub}\n`,
    );
    expect((await readdir(dir)).sort()).toEqual([`${ua}.json`, `${ub}.json`, 'hashes.csv', 'manifest.json'].sort());
  });

  it('reads back what it wrote', async () => {
    const event = anEvent({}, [anAttribute({ type: 'url', category: 'Network activity', value: 'https://evil.example/x' })]);
    const writer = createFeedWriter(folderSink(dir));
    await writer.add(event);
    await writer.finish();
    const source = folderSource(dir);
    const uuid = event.Event['uuid'] as string;
    const manifest = await readManifest(source);
    expect(manifest.get(uuid)?.timestamp).toBe(1714550400);
    const fetched = await fetchFeedEvent(source, uuid);
    expect(fetched.Event.Attribute.map((a) => a.value)).toEqual(['https://evil.example/x']);
    const index = await readFeedHashes(source);
    expect(index.lookup('https://evil.example/x')).toEqual([uuid]);
    expect(index.lookup('https://other.example/')).toEqual([]);
  });

  it('hashes each part of composite values and malware-sample', () => {
    expect(feedValueHashes('filename|md5', 'a.exe|d41d8cd98f00b204e9800998ecf8427e')).toEqual([md5('a.exe'), md5('d41d8cd98f00b204e9800998ecf8427e')]);
    expect(feedValueHashes('malware-sample', 'a.exe|abc')).toEqual([md5('a.exe'), md5('abc')]);
    expect(feedValueHashes('url', 'http://x/?a|b')).toEqual([md5('http://x/?a|b')]);
  });

  it('leaves out events and attributes whose distribution is not exported', async () => {
    const hidden = anEvent({ distribution: '0' });
    const mixed = anEvent({}, [anAttribute({ value: '192.0.2.1', distribution: '0' }), anAttribute({ value: '192.0.2.2', distribution: '1' })]);
    const writer = createFeedWriter(folderSink(dir), { validDistributions: [1, 2, 3, 5] });
    expect(await writer.add(hidden)).toMatchObject({ written: false, hashes: 0 });
    expect(await writer.add(mixed)).toMatchObject({ written: true, hashes: 1 });
    await writer.finish();
    const files = await readdir(dir);
    expect(files).not.toContain(`${hidden.Event['uuid'] as string}.json`);
    const e = JSON.parse(await readFile(join(dir, `${mixed.Event['uuid'] as string}.json`), 'utf8')) as { Event: { Attribute: { value: string }[] } };
    expect(e.Event.Attribute.map((a) => a.value)).toEqual(['192.0.2.2']);
  });

  it('exports local tags only when asked', async () => {
    const event = anEvent();
    const writer = createFeedWriter(folderSink(dir), { includeLocalTags: true });
    await writer.add(event);
    await writer.finish();
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<string, { Tag: unknown[] }>;
    expect(manifest[event.Event['uuid'] as string]?.Tag).toEqual([{ name: 'tlp:white', colour: '#ffffff' }, { name: 'local:triage', colour: '#111111', local: true }]);
  });

  it.each([
    ['a missing uuid', { uuid: undefined }, /Event.uuid must be a UUID/],
    ['a path in the uuid', { uuid: '../../etc/passwd' }, /Event.uuid must be a UUID/],
    ['no info', { info: 5 }, /info must be a string/],
    ['a bad date', { date: '1 May' }, /date must be YYYY-MM-DD/],
    ['a bad timestamp', { timestamp: 'yesterday' }, /timestamp must be a whole number/],
    ['no Orgc', { Orgc: undefined }, /Orgc must have a name and a uuid/],
    ['Attribute not a list', { Attribute: {} }, /Attribute must be a list/],
    ['an attribute without value', { Attribute: [anAttribute({ value: 7 })] }, /Attribute\[0\]: value must be a string/],
  ])('refuses an event with %s and writes nothing', async (_label, overrides, message) => {
    const writer = createFeedWriter(folderSink(dir));
    const error = await writer.add(anEvent(overrides)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect(await readdir(dir).catch(() => [])).toEqual([]);
  });

  it('refuses the same event twice and use after finish', async () => {
    const event = anEvent();
    const writer = createFeedWriter(folderSink(dir));
    await writer.add(event);
    await expect(writer.add(event)).rejects.toThrow(/added to the feed twice/);
    await writer.finish();
    await expect(writer.add(anEvent())).rejects.toBeInstanceOf(ConflictError);
    await expect(writer.finish()).rejects.toBeInstanceOf(ConflictError);
  });

  it('abort leaves the previous hashes.csv and no temporary file', async () => {
    const first = createFeedWriter(folderSink(dir));
    await first.add(anEvent());
    await first.finish();
    const before = await readFile(join(dir, 'hashes.csv'), 'utf8');
    const second = createFeedWriter(folderSink(dir));
    await second.add(anEvent({}, [anAttribute({ value: '192.0.2.99' })]));
    await second.abort();
    expect(await readFile(join(dir, 'hashes.csv'), 'utf8')).toBe(before);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('writes an empty but valid feed when nothing was added', async () => {
    const writer = createFeedWriter(folderSink(join(dir, 'new', 'feed')));
    expect(await writer.finish()).toEqual({ events: 0, hashes: 0 });
    expect(await readFile(join(dir, 'new', 'feed', 'manifest.json'), 'utf8')).toBe('{}');
    expect(await readFile(join(dir, 'new', 'feed', 'hashes.csv'), 'utf8')).toBe('');
  });
});
