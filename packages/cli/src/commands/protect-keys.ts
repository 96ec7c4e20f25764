import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '@waggle/errors';

/*
 * Reading the key files `waggle event protect|get` use, with errors that name the file
 * and the option (a missing file is an input error, not a crash).
 */

/** Reads a file as text; `InputError` naming the option when it cannot be read. */
export function readText(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InputError(`--${option}: cannot read ${file} (${cause instanceof Error ? cause.message : String(cause)})`, { field: option });
  }
}

/** Reads a JSON file. */
export function readJsonFile(file: string, option: string): unknown {
  const text = readText(file, option);
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`--${option}: ${file} is not JSON`, { field: option });
  }
}

/** Reads a PEM key; returns it as PEM text after checking it parses as the expected kind. */
export function readPem(file: string, option: string, kind: 'private' | 'public'): { pem: string; key: KeyObject } {
  const pem = readText(file, option);
  try {
    return { pem, key: kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem) };
  } catch {
    throw new InputError(`--${option}: ${file} is not a PEM ${kind} key`, { field: option });
  }
}

/** Reads a community key file: 64 hex digits (32 bytes), as `waggle event community-key` writes. */
export function readCommunityKey(file: string): Uint8Array {
  const text = readText(file, 'community-key').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new InputError(`--community-key: ${file} must hold 64 hex digits (32 bytes)`, { field: 'community-key' });
  return new Uint8Array(Buffer.from(text, 'hex'));
}
