import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { encodeOpenSshEd25519 } from './host-key.js';
import { createKexInitTap, hassh, parseKexInitPayload, type TapResult } from './kexinit.js';
import { md5Fingerprint } from './ssh-session.js';
import { checkCredentials, DEFAULT_USERDB, parseUserDb } from './userdb.js';

function nameList(items: string[]): Buffer {
  const text = Buffer.from(items.join(','));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(text.length);
  return Buffer.concat([len, text]);
}

function kexInitPacket(lists: string[][]): Buffer {
  const payload = Buffer.concat([Buffer.from([20]), Buffer.alloc(16, 7), ...lists.map(nameList), Buffer.from([0, 0, 0, 0, 0])]);
  const padding = 8 - ((payload.length + 5) % 8) + 8;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(payload.length + padding + 1);
  return Buffer.concat([length, Buffer.from([padding]), payload, Buffer.alloc(padding)]);
}

const LISTS = [
  ['curve25519-sha256', 'diffie-hellman-group14-sha256'], ['ssh-ed25519'], ['aes128-ctr', 'aes256-gcm@openssh.com'], ['aes128-ctr'],
  ['hmac-sha2-256'], ['hmac-sha2-256'], ['none', 'zlib@openssh.com'], ['none'], [], [],
];

describe('KEXINIT tap and HASSH', () => {
  it('reads the ident line and the KEXINIT even when split into single bytes', () => {
    const results: TapResult[] = [];
    const tap = createKexInitTap((r) => results.push(r));
    const bytes = Buffer.concat([Buffer.from('SSH-2.0-Go\r\n'), kexInitPacket(LISTS), Buffer.from('trailing')]);
    let done = false;
    for (const b of bytes) done = tap(Buffer.from([b])) || done;
    expect(done).toBe(true);
    expect(results).toHaveLength(1);
    expect(results[0]?.version).toBe('SSH-2.0-Go');
    expect(results[0]?.kex?.kexAlgs).toEqual(LISTS[0]);
    expect(results[0]?.kex?.compCS).toEqual(['none', 'zlib@openssh.com']);
    expect(results[0]?.kex?.langCS).toEqual([]);
  });

  it('computes HASSH as md5 of kex;enc;mac;cmp', () => {
    const kex = parseKexInitPayload(kexInitPacket(LISTS).subarray(5));
    if (kex === undefined) throw new Error('parse failed');
    const algorithms = 'curve25519-sha256,diffie-hellman-group14-sha256;aes128-ctr,aes256-gcm@openssh.com;hmac-sha2-256;none,zlib@openssh.com';
    expect(hassh(kex)).toEqual({ hasshAlgorithms: algorithms, hassh: createHash('md5').update(algorithms).digest('hex') });
  });

  it('reports non-SSH input and oversized packets without holding them', () => {
    const results: TapResult[] = [];
    const tap = createKexInitTap((r) => results.push(r));
    expect(tap(Buffer.alloc(2000, 0x41))).toBe(true);
    expect(results[0]?.error).toBe('no identification line');
    const big = createKexInitTap((r) => results.push(r));
    expect(big(Buffer.concat([Buffer.from('SSH-2.0-x\n'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0])]))).toBe(true);
    expect(results[1]).toEqual({ version: 'SSH-2.0-x', error: 'bad packet length' });
    expect(parseKexInitPayload(Buffer.from([21, 1, 2]))).toBeUndefined();
  });
});

describe('userdb', () => {
  it("follows Cowrie's default: root with any password except root and 123456", () => {
    const rules = parseUserDb(DEFAULT_USERDB);
    expect(checkCredentials(rules, 'root', 'admin')).toBe(true);
    expect(checkCredentials(rules, 'root', 'root')).toBe(false);
    expect(checkCredentials(rules, 'root', '123456')).toBe(false);
    expect(checkCredentials(rules, 'admin', 'admin')).toBe(false);
  });

  it('reads three-field lines, wildcards, negation and regular expressions in order', () => {
    const rules = parseUserDb(['# comment', '', 'admin:x:!/^admin/i', 'admin:x:*', '*:x:letmein', 'pi:raspberry']);
    expect(checkCredentials(rules, 'admin', 'Admin123')).toBe(false);
    expect(checkCredentials(rules, 'admin', 'x')).toBe(true);
    expect(checkCredentials(rules, 'bob', 'letmein')).toBe(true);
    expect(checkCredentials(rules, 'pi', 'raspberry')).toBe(true);
    expect(checkCredentials(rules, 'pi', 'raspberry2')).toBe(false);
  });

  it('reports every bad rule at once', () => {
    expect(() => parseUserDb(['nocolon', ':pw', 'x:/[/'])).toThrow(/invalid regular expression/);
    expect(() => parseUserDb(['nocolon', ':pw'])).toThrow('invalid userdb: line 1: expected user:password; line 2: empty username');
  });
});

describe('host key and fingerprints', () => {
  it('encodes an Ed25519 key that ssh2 parses', () => {
    const seed = Buffer.alloc(32, 1);
    const pub = Buffer.alloc(32, 2);
    const pem = encodeOpenSshEd25519(seed, pub, 0x01020304, 'c');
    expect(pem.split('\n').every((l) => l.length <= 70)).toBe(true);
    const parsed = ssh2.utils.parseKey(pem);
    expect(parsed instanceof Error ? parsed.message : parsed.type).toBe('ssh-ed25519');
  });

  it('writes MD5 fingerprints the way Twisted (and so Cowrie) does', () => {
    expect(md5Fingerprint(Buffer.from('abc'))).toBe('90:01:50:98:3c:d2:4f:b0:d6:96:3f:7d:28:e1:7f:72');
  });
});
