import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { AuditHeadSigner } from '@waggle/core';
import { InputError } from '@waggle/errors';

/** A signer of audit chain heads over an Ed25519 private key. */
export function ed25519Signer(privateKey: KeyObject): AuditHeadSigner {
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return {
    algorithm: 'Ed25519',
    publicKeyPem,
    sign: (statement) => sign(null, Buffer.from(statement, 'utf8'), privateKey).toString('base64'),
  };
}

/** A fresh in-memory key (tests, and servers without a data folder). */
export function ephemeralEd25519Signer(): AuditHeadSigner {
  return ed25519Signer(generateKeyPairSync('ed25519').privateKey);
}

/**
 * The instance's signing key, kept as PKCS#8 PEM in `file` (mode 0600); created on first use.
 * Keep the file with the data: a new key makes earlier signed heads unverifiable with the new one.
 */
export function fileEd25519Signer(file: string): AuditHeadSigner {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const key = createPrivateKey(readFileSync(file));
  if (key.asymmetricKeyType !== 'ed25519') throw new InputError(`${file} does not hold an Ed25519 private key`, { field: 'audit-signing-key' });
  return ed25519Signer(key);
}
