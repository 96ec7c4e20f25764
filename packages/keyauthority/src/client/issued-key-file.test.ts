import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, InputError } from '@waggle/errors';
import type { IssuedKey } from '../authority/issued-key.js';
import { readIssuedKey, writeIssuedKey } from './issued-key-file.js';

const key = {
  v: 1, scheme: 'FAME-CP-ABE/BLS12-381', kind: 'user', attributes: ['epoch:2026-12', 'user:alice'], k0: [], k: {}, kp: [],
  issuance: { key_id: 'ab'.repeat(32), subject: 'alice', org: null, epoch: '2026-12', issued_at: '2026-12-02T12:00:00.000Z', expires_at: '2027-01-01T00:00:00.000Z' },
} as unknown as IssuedKey;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ka-keyfile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('issued key files', () => {
  it('writes 0600, refuses to overwrite without force, and reads back until expiry', () => {
    const file = join(dir, 'k.json');
    writeIssuedKey(file, key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => writeIssuedKey(file, key)).toThrow(ConflictError);
    writeIssuedKey(file, key, true);
    expect(readIssuedKey(file, new Date('2026-12-31T23:59:59Z')).issuance.subject).toBe('alice');
    expect(() => readIssuedKey(file, new Date('2027-01-01T00:00:00Z'))).toThrow(ForbiddenError);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(key);
  });

  it('rejects files that are not issued keys', () => {
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      [JSON.stringify({ ...key, kind: 'master' }), /not a waggle ABE user key/],
      [JSON.stringify({ ...key, issuance: undefined }), /no valid "issuance"/],
      [JSON.stringify({ ...key, issuance: { ...key.issuance, expires_at: 'soon' } }), /no valid "issuance"/],
    ];
    for (const [text, message] of cases) {
      const file = join(dir, 'bad.json');
      writeFileSync(file, text);
      expect(() => readIssuedKey(file, new Date('2026-12-02T00:00:00Z'))).toThrow(message);
    }
    expect(() => readIssuedKey(join(dir, 'missing.json'), new Date())).toThrow(InputError);
  });
});
