import { hkdfSync } from 'node:crypto';
import { InputError } from '@waggle/errors';
import type { KeyStore, KeyVersion } from './key-store.js';
import type { Action, Policy, Recipient } from './policy-schema.js';

/** The keys one anonymisation run uses, resolved from the store once. */
export interface KeyRing {
  /** A technique's own sub-key of the key `alias` names (HKDF-SHA-256, info `waggle/<technique>`). */
  subkey(alias: string, technique: string): { id: string; key: Uint8Array };
  /** The keys actually used so far: name and version, never material. */
  used(): { name: string; version: number }[];
}

function actionsOf(recipient: Recipient): Action[] {
  return [recipient.default, ...recipient.rules.map((r) => r.action)];
}

// Sub-keys derived per technique, so one stored key never serves two
// algorithms (a Crypto-PAn key is never also an HMAC key).
const derived = new WeakMap<Uint8Array, Map<string, Uint8Array>>();

function derive(version: KeyVersion, technique: string): Uint8Array {
  let perKey = derived.get(version.key);
  if (perKey === undefined) {
    perKey = new Map();
    derived.set(version.key, perKey);
  }
  let key = perKey.get(technique);
  if (key === undefined) {
    key = new Uint8Array(hkdfSync('sha256', version.key, new Uint8Array(0), `waggle/${technique}`, 32));
    perKey.set(technique, key);
  }
  return key;
}

/**
 * Resolves every key the recipient's rules name before anything is
 * anonymised, so a missing key stops the run (nothing leaves) instead of
 * failing half-way. The store's `NotFoundError` propagates.
 */
export function openKeyRing(policy: Policy, recipient: Recipient, store: KeyStore): KeyRing {
  const versions = new Map<string, KeyVersion>();
  for (const action of actionsOf(recipient)) {
    if (!('key' in action)) continue;
    const name = policy.keys[action.key];
    if (name === undefined) throw new InputError(`key alias '${action.key}' is not declared in policy '${policy.name}'`, { field: 'key' });
    if (!versions.has(action.key)) versions.set(action.key, store.get(name));
  }
  const used = new Map<string, KeyVersion>();
  return {
    subkey(alias, technique) {
      const version = versions.get(alias);
      if (version === undefined) throw new InputError(`key alias '${alias}' was not resolved`, { field: 'key' });
      used.set(version.id, version);
      return { id: `${version.id}/${technique}`, key: derive(version, technique) };
    },
    used: () => [...used.values()].map((v) => ({ name: v.name, version: v.version })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
