import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, NotFoundError, TooLargeError } from '@waggle/errors';
import { parseManifest } from '../shared/feed-manifest.js';
import { readFeedHashes } from './feed-hash-index.js';
import { fetchFeedEvent, validateFeedEvent } from './fetch-feed-event.js';
import { folderSource } from './folder-source.js';
import { planFeedUpdate } from './plan-feed-update.js';
import { pullFeed } from './pull-feed.js';
import { readManifest } from './read-manifest.js';

const U = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ORG = { name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'waggle-feed-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseManifest', () => {
  it('accepts the string numbers real MISP feeds carry and normalises them', () => {
    const manifest = parseManifest(
      { [U(1).toUpperCase()]: { Orgc: ORG, Tag: [{ colour: '#004646', name: 'type:OSINT' }], info: 'OSINT', date: '2019-01-02', analysis: '2', threat_level_id: '3', timestamp: '1546444800' } },
      'm',
    );
    expect(manifest.get(U(1))).toEqual({ Orgc: ORG, Tag: [{ name: 'type:OSINT', colour: '#004646' }], info: 'OSINT', date: '2019-01-02', analysis: 2, threat_level_id: 3, timestamp: 1546444800 });
  });

  it.each([
    ['an array', [], /must be a JSON object keyed by event UUID/],
    ['a key that is not a uuid', { 'x/../y': { info: '', timestamp: 1 } }, /entry "x\/..\/y": the key is not an event UUID/],
    ['an entry that is not an object', { [U(1)]: 'x' }, /must be an object/],
    ['no timestamp', { [U(1)]: { info: 'a' } }, /timestamp must be a whole number/],
    ['a negative timestamp', { [U(1)]: { info: 'a', timestamp: -5 } }, /timestamp must be a whole number/],
    ['no info', { [U(1)]: { timestamp: 1 } }, /info must be a string/],
    ['a bad Orgc', { [U(1)]: { info: 'a', timestamp: 1, Orgc: { name: 'x' } } }, /Orgc must have a name and a uuid/],
    ['analysis out of range', { [U(1)]: { info: 'a', timestamp: 1, analysis: 7 } }, /analysis must be 0 to 2/],
    ['a bad date', { [U(1)]: { info: 'a', timestamp: 1, date: 'today' } }, /date must be YYYY-MM-DD/],
    ['Tag not a list', { [U(1)]: { info: 'a', timestamp: 1, Tag: {} } }, /Tag must be a list/],
    ['a tag without name', { [U(1)]: { info: 'a', timestamp: 1, Tag: [{ colour: '#fff' }] } }, /Tag\[0\] must have a name/],
  ])('refuses %s', (_label, json, message) => {
    expect(() => parseManifest(json, 'feed/manifest.json')).toThrow(message);
    expect(() => parseManifest(json, 'feed/manifest.json')).toThrow(InputError);
  });
});

describe('planFeedUpdate', () => {
  it('fetches new and newer events, skips known ones, lists the gone', () => {
    const manifest = parseManifest({ [U(1)]: { info: 'a', timestamp: 10 }, [U(2)]: { info: 'b', timestamp: 20 }, [U(3)]: { info: 'c', timestamp: 30 } }, 'm');
    const known = new Map([[U(2).toUpperCase(), 20], [U(3), 29], [U(9), 5]]);
    expect(planFeedUpdate(manifest, known)).toEqual({ fetch: [U(1), U(3)], unchanged: [U(2)], gone: [U(9)] });
  });
});

describe('validateFeedEvent', () => {
  const good = { Event: { uuid: U(1), info: 'x', timestamp: '5', Attribute: [{ type: 'md5', value: 'abc' }], Object: [{ name: 'file' }] } };
  it('fills missing lists and normalises the timestamp', () => {
    const event = validateFeedEvent(good, U(1), 'f');
    expect(event.Event.timestamp).toBe(5);
    expect(event.Event.Tag).toEqual([]);
    expect(event.Event.Object[0]?.Attribute).toEqual([]);
  });
  it.each([
    ['no Event', { event: {} }, /expected \{"Event"/],
    ['another uuid', { Event: { ...good.Event, uuid: U(2) } }, /does not match the file name/],
    ['no timestamp', { Event: { ...good.Event, timestamp: undefined } }, /Event.timestamp/],
    ['Attribute not a list', { Event: { ...good.Event, Attribute: 'x' } }, /Event.Attribute must be a list/],
    ['an attribute without type', { Event: { ...good.Event, Attribute: [{ value: 'x' }] } }, /Event.Attribute\[0\].type/],
    ['an object attribute with a numeric value', { Event: { ...good.Event, Object: [{ name: 'f', Attribute: [{ type: 'md5', value: 5 }] }] } }, /Event.Object\[0\].Attribute\[0\].value/],
    ['an object without name', { Event: { ...good.Event, Object: [{}] } }, /Event.Object\[0\].name/],
    ['a tag without name', { Event: { ...good.Event, Tag: [{}] } }, /Event.Tag\[0\].name/],
  ])('refuses %s', (_label, json, message) => {
    expect(() => validateFeedEvent(json, U(1), 'f.json')).toThrow(message);
  });
});

describe('folderSource', () => {
  it('reads a feed folder and pulls from it', async () => {
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ [U(1)]: { info: 'a', timestamp: 1 } }));
    await writeFile(join(dir, `${U(1)}.json`), JSON.stringify({ Event: { uuid: U(1), info: 'a', timestamp: 1 } }));
    const items = [];
    for await (const item of pullFeed(folderSource(dir), new Map())) items.push(item);
    expect(items).toHaveLength(1);
    expect(items[0] && 'event' in items[0] ? items[0].event.Event.info : undefined).toBe('a');
    // Nothing is recorded: the same pull gives the same events again.
    const again = [];
    for await (const item of pullFeed(folderSource(dir), new Map())) again.push(item.uuid);
    expect(again).toEqual([U(1)]);
  });

  it('names a missing file and refuses one over the limit', async () => {
    await expect(readManifest(folderSource(dir))).rejects.toThrow(NotFoundError);
    await expect(readManifest(folderSource(dir))).rejects.toThrow(join(dir, 'manifest.json'));
    await writeFile(join(dir, 'manifest.json'), '{}'.padEnd(100, ' '));
    await expect(readManifest(folderSource(dir, { maxBytes: 50 }))).rejects.toThrow(TooLargeError);
    await expect(fetchFeedEvent(folderSource(dir), U(3))).rejects.toThrow(NotFoundError);
  });

  it('indexes hashes.csv and names a malformed line', async () => {
    await writeFile(join(dir, 'hashes.csv'), `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,${U(1)}\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,${U(2)}\n\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,${U(1)}\n`);
    const index = await readFeedHashes(folderSource(dir));
    expect(index.size).toBe(1);
    expect(index.lookupHash('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toEqual([U(1), U(2)]);
    await writeFile(join(dir, 'hashes.csv'), `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,${U(1)}\nnot a line\n`);
    await expect(readFeedHashes(folderSource(dir))).rejects.toThrow(/hashes\.csv line 2: expected "<md5>,<event uuid>"/);
  });
});
