import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** File name of the persisted host key inside the configured folder. */
export const HOST_KEY_FILE = 'ssh_host_ed25519_key';

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/**
 * Encodes an Ed25519 key pair in OpenSSH's `openssh-key-v1` format (unencrypted), the format
 * `ssh-keygen` writes and `ssh2` reads. `checkint` is random per file, as OpenSSH does.
 */
export function encodeOpenSshEd25519(seed: Buffer, publicKey: Buffer, checkint: number, comment = ''): string {
  const pub = Buffer.concat([sshString('ssh-ed25519'), sshString(publicKey)]);
  let priv = Buffer.concat([
    uint32(checkint),
    uint32(checkint),
    sshString('ssh-ed25519'),
    sshString(publicKey),
    sshString(Buffer.concat([seed, publicKey])),
    sshString(comment),
  ]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i += 1) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const blob = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(pub),
    sshString(priv),
  ]);
  const b64 = blob.toString('base64').replace(/(.{70})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/**
 * Loads the honeypot's Ed25519 host key from `dir`, generating and persisting it (mode 0600) on
 * first start, so returning attackers see the same fingerprint across restarts.
 */
export function loadOrCreateHostKey(dir: string, randomInt: () => number = () => Math.floor(Math.random() * 0xffffffff)): string {
  const path = join(dir, HOST_KEY_FILE);
  if (existsSync(path)) return readFileSync(path, 'utf8');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const d = privateKey.export({ format: 'jwk' }).d;
  const x = publicKey.export({ format: 'jwk' }).x;
  if (d === undefined || x === undefined) throw new Error('ed25519 key export returned no key material');
  const pem = encodeOpenSshEd25519(Buffer.from(d, 'base64url'), Buffer.from(x, 'base64url'), randomInt(), 'waggle-honeypot');
  writeFileSync(path, pem, { mode: 0o600 });
  return pem;
}
