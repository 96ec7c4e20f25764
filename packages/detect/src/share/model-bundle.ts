import { createHash } from 'node:crypto';
import { InputError } from '@waggle/errors';
import type { VersionFiles } from '../registry/state-files.js';

/**
 * The shared model artefact: ONE JSON document `{format, files: {path: base64}}` holding
 * every file of a version (manifest, each base net's model.json + weights.bin, the
 * validation and replay rows). No tar or zip: any language can unpack it.
 */
export interface ModelBundle {
  readonly format: 'waggle-detect-bundle/1';
  readonly files: Readonly<Record<string, string>>;
}

const SAFE_PATH = /^(?:base-\d+\/)?[a-z][a-z0-9.-]*$/;

/** Serialises a version's files to bundle bytes (paths sorted, so the bytes and the hash are stable). */
export function bundleBytes(files: VersionFiles): Uint8Array {
  const entries = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const bundle: ModelBundle = { format: 'waggle-detect-bundle/1', files: Object.fromEntries(entries.map(([p, d]) => [p, Buffer.from(d).toString('base64')])) };
  return new TextEncoder().encode(JSON.stringify(bundle));
}

/** sha256 (hex) of bundle bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Unpacks bundle bytes into version files; rejects unknown formats and unsafe paths. */
export function unbundle(bytes: Uint8Array): Map<string, Uint8Array> {
  let b: Partial<ModelBundle> | null;
  try {
    b = JSON.parse(new TextDecoder().decode(bytes)) as Partial<ModelBundle> | null;
  } catch {
    throw new InputError('the model attachment is not a waggle-detect bundle (invalid JSON)');
  }
  if (b === null || typeof b !== 'object' || b.format !== 'waggle-detect-bundle/1' || b.files === null || typeof b.files !== 'object') {
    throw new InputError('the model attachment is not a waggle-detect-bundle/1 document');
  }
  const files = new Map<string, Uint8Array>();
  for (const [path, data] of Object.entries(b.files)) {
    if (!SAFE_PATH.test(path) || typeof data !== 'string') throw new InputError(`the model bundle holds an unsafe or invalid entry ${JSON.stringify(path)}`);
    files.set(path, new Uint8Array(Buffer.from(data, 'base64')));
  }
  return files;
}
