import { afterAll, describe, expect, it } from 'vitest';
import { createWarninglistMatcher, loadWarninglistsFromDir } from '@waggle/intel';
import { InputError } from '@waggle/errors';
import { copyInto, scratchDir, sharedData } from '../test-support/scratch.js';
import { FALSE_POSITIVE_TAG, createWarninglistModule } from './warninglist-module.js';

describe('the warninglist module on MISP warninglists', () => {
  const scratch = scratchDir({
    'lists/tor-exits/list.json': { name: 'Example known exit nodes', description: 'fixture', version: 1, type: 'string', category: 'known', matching_attributes: ['ip-src', 'ip-dst'], list: ['203.0.113.77'] },
  });
  copyInto(sharedData('misp-warninglists/lists'), `${scratch.dir}/lists`, ['public-dns-v4', 'rfc1918', 'empty-hashes']);
  afterAll(scratch.remove);
  const loaded = loadWarninglistsFromDir(scratch.dir);
  const module = createWarninglistModule({ matcher: createWarninglistMatcher(loaded.lists, { warningForAll: true }) });

  it('loads the lists', () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.lists).toHaveLength(4);
  });

  it('tags a value on a false-positive list and notes the list', async () => {
    const r = await module.enrich({ type: 'ip-dst', value: '8.8.8.8' }, {});
    expect(r.tags).toEqual([FALSE_POSITIVE_TAG]);
    expect(r.attributes).toHaveLength(1);
    expect(r.attributes[0]).toMatchObject({ type: 'text', to_ids: false, comment: 'waggle-enrich: warninglist hint' });
    expect(r.attributes[0]?.value).toMatch(/^8\.8\.8\.8 is on warninglist ".*DNS.*" \(false_positive, matched 8\.8\.8\.8/i);
  });

  it('checks the IP half of composite values and CIDR lists', async () => {
    const r = await module.enrich({ type: 'ip-src|port', value: '192.168.10.4|8080' }, {});
    expect(r.tags).toEqual([FALSE_POSITIVE_TAG]);
    expect(r.attributes[0]?.value).toContain('matched 192.168.0.0/16');
  });

  it('notes a known-category list without the false-positive tag', async () => {
    const r = await module.enrich({ type: 'ip-src', value: '203.0.113.77' }, {});
    expect(r.tags).toEqual([]);
    expect(r.attributes[0]?.value).toContain('"Example known exit nodes" (known');
  });

  it('flags the empty-file hash', async () => {
    expect((await module.enrich({ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }, {})).tags).toEqual([FALSE_POSITIVE_TAG]);
  });

  it('says nothing about a value on no list, and rejects an empty value', async () => {
    expect(await module.enrich({ type: 'ip-dst', value: '198.51.100.200' }, {})).toEqual({ attributes: [], objects: [], tags: [] });
    await expect(module.enrich({ type: 'ip-dst', value: ' ' }, {})).rejects.toThrow(InputError);
  });
});
