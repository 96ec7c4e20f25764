import { mkdir, readdir, readFile, rename, rm, stat, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError, NotFoundError } from '@waggle/errors';
import type { ChunkInfo, VersionMetrics } from '../ensemble/detector-state.js';
import type { CombinerKind } from '../ensemble/combiner.js';
import type { VersionFiles } from './state-files.js';

/** One version as listed in `registry.json`. */
export interface RegistryEntry {
  readonly version: number;
  readonly dir: string;
  readonly created: string;
  readonly combiner: CombinerKind;
  readonly bases: number;
  readonly chunks: readonly ChunkInfo[];
  readonly metrics: VersionMetrics;
}

/** `MODEL_DIR/registry.json`: the versions and which one is current. */
export interface Registry {
  readonly format: 'waggle-detect-registry/1';
  readonly current: number;
  readonly versions: readonly RegistryEntry[];
}

/** Crash-injection points for tests: called after each stage of a commit. */
export type CommitStage = 'files-written' | 'version-renamed';

const REGISTRY = 'registry.json';

/** Reads `registry.json`; NotFoundError when the folder holds no model, InputError when it is corrupt. */
export async function readRegistry(dir: string): Promise<Registry> {
  let raw: string;
  try {
    raw = await readFile(join(dir, REGISTRY), 'utf8');
  } catch {
    throw new NotFoundError(`no model in ${dir} (registry.json is missing)`);
  }
  let r: Partial<Registry> | null;
  try {
    r = JSON.parse(raw) as Partial<Registry> | null;
  } catch {
    throw new InputError(`corrupt model directory ${dir}: registry.json is not valid JSON`);
  }
  if (r === null || typeof r !== 'object' || r.format !== 'waggle-detect-registry/1' || !Array.isArray(r.versions) || !r.versions.some((v) => v.version === r?.current)) {
    throw new InputError(`corrupt model directory ${dir}: registry.json has no current version`);
  }
  return r as Registry;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function writeDurable(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const h = await open(path, 'w');
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Commits a version atomically: its files go to a temporary folder, which is renamed
 * to `v<N>`, and only then is `registry.json` replaced (write to a temporary file +
 * rename) to make it current. A crash at any point leaves the previous version current;
 * a left-over temporary or unreferenced `v<N>` folder is removed by the next commit.
 */
export async function commitVersion(dir: string, entry: Omit<RegistryEntry, 'dir'>, files: VersionFiles, onStage?: (s: CommitStage) => void): Promise<Registry> {
  await mkdir(dir, { recursive: true });
  const previous = (await exists(join(dir, REGISTRY))) ? await readRegistry(dir) : undefined;
  if (previous?.versions.some((v) => v.version === entry.version) === true) {
    throw new InputError(`version ${entry.version} already exists in ${dir}`);
  }
  for (const name of await readdir(dir)) {
    const orphan = name.startsWith('.tmp-') || (/^v\d+$/.test(name) && previous?.versions.some((v) => v.dir === name) !== true);
    if (orphan) await rm(join(dir, name), { recursive: true, force: true });
  }
  const tmp = join(dir, `.tmp-v${entry.version}-${randomBytes(6).toString('hex')}`);
  for (const [path, data] of files) await writeDurable(join(tmp, path), data);
  onStage?.('files-written');
  const name = `v${entry.version}`;
  await rename(tmp, join(dir, name));
  onStage?.('version-renamed');
  const registry: Registry = {
    format: 'waggle-detect-registry/1',
    current: entry.version,
    versions: [...(previous?.versions ?? []), { ...entry, dir: name }],
  };
  const tmpRegistry = join(dir, `.tmp-registry-${randomBytes(6).toString('hex')}.json`);
  await writeDurable(tmpRegistry, `${JSON.stringify(registry, null, 1)}\n`);
  await rename(tmpRegistry, join(dir, REGISTRY));
  return registry;
}

async function walk(root: string, rel: string, out: Map<string, Uint8Array>): Promise<void> {
  for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) await walk(root, path, out);
    else if (e.isFile()) out.set(path, await readFile(join(root, path)));
  }
}

/** The files of a version (the current one by default). */
export async function readVersionFiles(dir: string, version?: number): Promise<{ registry: Registry; entry: RegistryEntry; files: Map<string, Uint8Array> }> {
  const registry = await readRegistry(dir);
  const wanted = version ?? registry.current;
  const entry = registry.versions.find((v) => v.version === wanted);
  if (entry === undefined) throw new NotFoundError(`model version ${wanted} is not in ${dir}`);
  if (!/^v\d+$/.test(entry.dir)) throw new InputError(`corrupt model directory ${dir}: bad version folder ${JSON.stringify(entry.dir)}`);
  const files = new Map<string, Uint8Array>();
  try {
    await walk(join(dir, entry.dir), '', files);
  } catch {
    throw new InputError(`corrupt model directory ${dir}: version folder ${entry.dir} is unreadable or missing`);
  }
  return { registry, entry, files };
}
