import { InputError } from '@waggle/errors';
import { MANIFEST_FILE } from '../shared/feed-files.js';
import { parseManifest, type FeedManifest } from '../shared/feed-manifest.js';
import type { FeedSource } from './feed-source.js';

/**
 * Reads and validates a feed's `manifest.json`. A broken manifest is an
 * InputError naming the file and the bad entry; transport problems keep their
 * source error (UnavailableError, NotFoundError, TooLargeError).
 */
export async function readManifest(source: FeedSource): Promise<FeedManifest> {
  const where = source.describe(MANIFEST_FILE);
  return parseManifest(parseJson(await source.readText(MANIFEST_FILE), where), where);
}

/** JSON.parse with an InputError that names the file and hints at truncation. */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const hint = text.trim() === '' ? 'it is empty' : `${(error as Error).message}; the file may be truncated or not JSON`;
    throw new InputError(`${where} is not valid JSON: ${hint}.`);
  }
}
