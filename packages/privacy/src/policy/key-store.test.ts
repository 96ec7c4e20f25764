import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConflictError, InputError, NotFoundError } from '@waggle/errors';
import { createJsonFileKeyStore } from './json-file-key-store.js';
import type { KeyStore } from './key-store.js';
import { createMemoryKeyStore, type KeyStoreDeps } from './memory-key-store.js';

function deps(): KeyStoreDeps {
  let call = 0;
  return {
    random: (n) => {
      call++;
      return Uint8Array.from({ length: n }, (_, i) => (call * 17 + i) & 0xff);
    },
    now: () => new Date('2026-03-01T10:00:00Z'),
  };
}

const adapters: [string, () => KeyStore][] = [
  ['memory', () => createMemoryKeyStore(deps())],
  ['json file', () => createJsonFileKeyStore(join(mkdtempSync(join(tmpdir(), 'waggle-keys-')), 'keys.json'), deps())],
];

describe.each(adapters)('KeyStore contract: %s', (_name, make) => {
  it('adds, gets, rotates and keeps old versions', () => {
    const store = make();
    expect(store.has('community')).toBe(false);
    expect(store.add('community')).toEqual({ name: 'community', version: 1, versions: [{ version: 1, created: '2026-03-01T10:00:00.000Z' }] });
    const v1 = store.get('community');
    expect(v1).toMatchObject({ id: 'community@v1', name: 'community', version: 1 });
    expect(v1.key).toHaveLength(32);
    expect(store.rotate('community').version).toBe(2);
    const v2 = store.get('community');
    expect(v2.version).toBe(2);
    expect(Buffer.from(v2.key).equals(Buffer.from(v1.key))).toBe(false);
    expect(Buffer.from(store.getVersion('community', 1).key).equals(Buffer.from(v1.key))).toBe(true);
    expect(store.list()).toEqual([{ name: 'community', version: 2, versions: [{ version: 1, created: '2026-03-01T10:00:00.000Z' }, { version: 2, created: '2026-03-01T10:00:00.000Z' }] }]);
  });

  it('never shows key material when serialised or printed', () => {
    const store = make();
    store.add('k');
    const version = store.get('k');
    const hex = Buffer.from(version.key).toString('hex');
    expect(JSON.stringify(version)).toBe('{"id":"k@v1","name":"k","version":1}');
    expect(inspect(version)).not.toContain(String(version.key[0]) + ',');
    expect(JSON.stringify(store.list())).not.toContain(hex);
  });

  it('rejects unknown keys, duplicates and bad names', () => {
    const store = make();
    expect(() => store.get('nope')).toThrow(NotFoundError);
    expect(() => store.rotate('nope')).toThrow(NotFoundError);
    store.add('a');
    expect(() => store.getVersion('a', 5)).toThrow(/key 'a' has no version 5/);
    expect(() => store.add('a')).toThrow(ConflictError);
    expect(() => store.add('bad name!')).toThrow(InputError);
    expect(store.list().map((k) => k.name)).toEqual(['a']);
  });
});

describe('JSON file key store', () => {
  it('writes an owner-only file with hex keys that a new store reads back', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'waggle-keys-')), 'keys.json');
    const store = createJsonFileKeyStore(path, deps());
    store.add('community');
    store.rotate('community');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.format).toBe('waggle-privacy-keys');
    expect(file.keys.community.map((v: { key: string }) => v.key)).toEqual([Buffer.from(store.getVersion('community', 1).key).toString('hex'), Buffer.from(store.get('community').key).toString('hex')]);
    const reopened = createJsonFileKeyStore(path, deps());
    expect(Buffer.from(reopened.get('community').key).equals(Buffer.from(store.get('community').key))).toBe(true);
    expect(reopened.get('community').version).toBe(2);
  });

  it('refuses a file that is not a key store, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-keys-'));
    writeFileSync(join(dir, 'a.json'), '{not json');
    writeFileSync(join(dir, 'b.json'), '{"format":"other"}');
    writeFileSync(join(dir, 'c.json'), '{"format":"waggle-privacy-keys","version":1,"keys":{"k":[{"version":1,"key":"zz"}]}}');
    expect(() => createJsonFileKeyStore(join(dir, 'a.json'), deps())).toThrow(/a\.json is not readable JSON/);
    expect(() => createJsonFileKeyStore(join(dir, 'b.json'), deps())).toThrow(/b\.json is not a waggle privacy key file/);
    expect(() => createJsonFileKeyStore(join(dir, 'c.json'), deps())).toThrow(/key 'k' version entry 0 is malformed/);
  });
});
