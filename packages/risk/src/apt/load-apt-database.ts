import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '@waggle/errors';
import { APT_FILES, parseAptDatabase, REQUIRED_APT_FILES, type AptPeriod } from './parse-apt-database.js';
import type { AptDatabase } from './types.js';

/**
 * Loads the APT campaign database from a folder with the upstream layout
 * (`neo4j_db/raw_data/*.csv`, `data_analysis/*.csv`). Throws `NotFoundError` naming the folder
 * or every missing file, `InputError` for unreadable CSV; row problems land in `problems`.
 */
export function loadAptDatabase(dir: string, period?: AptPeriod): AptDatabase {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new NotFoundError(`APT data folder not found: ${dir}`);
  const wanted = [...new Set([...REQUIRED_APT_FILES, ...Object.values(APT_FILES)])];
  const missing = REQUIRED_APT_FILES.filter((f) => !existsSync(join(dir, f)));
  if (!existsSync(join(dir, APT_FILES.vulnerabilities)) && !existsSync(join(dir, APT_FILES.vulnerabilitiesV2))) missing.push(`${APT_FILES.vulnerabilities} (or ${APT_FILES.vulnerabilitiesV2})`);
  if (missing.length > 0) throw new NotFoundError(`APT data folder ${dir} lacks ${missing.map((f) => join(dir, f)).join(', ')}`);
  const files: Record<string, string> = {};
  for (const f of wanted) {
    const path = join(dir, f);
    if (existsSync(path)) files[f] = readFileSync(path, 'utf8');
  }
  return parseAptDatabase(files, period);
}
