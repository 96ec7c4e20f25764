import type { Registry } from '../registry/model-registry.js';
import { commitVersion } from '../registry/model-registry.js';
import { readManifest, type VersionFiles } from '../registry/state-files.js';

/**
 * Installs version files received from elsewhere (an imported `ml-model` object) into
 * MODEL_DIR as its current version, keeping the producer's version number so both
 * sides name the model alike. The files are written unchanged, so scores are identical.
 */
export async function installVersionFiles(dir: string, files: VersionFiles): Promise<Registry> {
  const m = readManifest(files);
  return commitVersion(dir, { version: m.version, created: m.created, combiner: m.combiner.kind, bases: m.bases.length, chunks: m.chunks, metrics: m.metrics }, files);
}
