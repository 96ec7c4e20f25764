import { join } from 'node:path';
import type { LoadProblem } from '../files/load-problem.js';
import { isFile, listDir, readJsonFile } from '../files/read-json-file.js';
import type { Galaxy, GalaxyCluster } from './galaxy.js';
import { parseClusterFile } from './parse-cluster-file.js';
import { parseGalaxy } from './parse-galaxy.js';

/** Galaxies and clusters read from a misp-galaxy folder, with whatever could not be read. */
export interface LoadedGalaxies {
  readonly galaxies: readonly Galaxy[];
  readonly clusters: readonly GalaxyCluster[];
  /** Files skipped, and why; each names its file. */
  readonly errors: readonly LoadProblem[];
  /** Non-fatal remarks (duplicate cluster values dropped). */
  readonly warnings: readonly LoadProblem[];
}

/**
 * Loads `<dir>/galaxies/*.json` and `<dir>/clusters/*.json`. Like MISP, a
 * cluster file is only imported when a galaxy of its `type` exists (else it is
 * reported); a galaxy without clusters is fine. Bad files are reported in
 * `errors` and never stop the others; a missing folder is an error too.
 */
export function loadGalaxiesFromDir(dir: string): LoadedGalaxies {
  const errors: LoadProblem[] = [];
  const warnings: LoadProblem[] = [];
  const galaxies = new Map<string, Galaxy>();
  for (const file of jsonFiles(join(dir, 'galaxies'), errors)) {
    const read = readJsonFile(file);
    const parsed = read.ok ? parseGalaxy(read.json) : undefined;
    if (!read.ok) errors.push({ file, message: read.message });
    else if (parsed?.ok === false) errors.push({ file, message: parsed.problems.join('; ') });
    else if (parsed?.ok === true) {
      const previous = galaxies.get(parsed.galaxy.type);
      if (previous === undefined) galaxies.set(parsed.galaxy.type, parsed.galaxy);
      else errors.push({ file, message: `galaxy type "${parsed.galaxy.type}" is already defined by galaxy ${previous.uuid}; file ignored` });
    }
  }
  const clusters: GalaxyCluster[] = [];
  for (const file of jsonFiles(join(dir, 'clusters'), errors)) {
    const read = readJsonFile(file);
    if (!read.ok) {
      errors.push({ file, message: read.message });
      continue;
    }
    const parsed = parseClusterFile(read.json);
    if (!parsed.ok) errors.push({ file, message: parsed.problems.join('; ') });
    else if (!galaxies.has(parsed.type)) errors.push({ file, message: `no galaxy of type "${parsed.type}" in ${join(dir, 'galaxies')}; clusters ignored` });
    else {
      for (const cluster of parsed.clusters) clusters.push(cluster);
      for (const message of parsed.warnings) warnings.push({ file, message });
    }
  }
  return { galaxies: [...galaxies.values()], clusters, errors, warnings };
}

function jsonFiles(folder: string, errors: LoadProblem[]): string[] {
  const listing = listDir(folder, 'json');
  if (listing.message !== undefined) errors.push({ file: folder, message: listing.message });
  return listing.names.map((name) => join(folder, name)).filter(isFile);
}
