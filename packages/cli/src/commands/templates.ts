import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplatesFromDir } from '@waggle/misp';
import type { Config } from '../config.js';
import type { Output } from '../output.js';
import { templatesDir } from '../runtime.js';

/** Copies a misp-objects folder (or its objects/ subfolder) into the data folder; valid templates are used from the next start, or after `objectTemplates/update`. */
export function importTemplates(config: Config, dir: string, out: Output): number {
  const loaded = loadTemplatesFromDir(dir);
  for (const p of loaded.problems) out.warn(`${p.file}: ${p.message}`);
  const target = templatesDir(config);
  mkdirSync(target, { recursive: true });
  for (const t of loaded.list()) {
    mkdirSync(join(target, t.name), { recursive: true });
    cpSync(join(loaded.size > 0 ? sourceDir(dir) : dir, t.name, 'definition.json'), join(target, t.name, 'definition.json'));
  }
  return loaded.size;
}

function sourceDir(dir: string): string {
  const objects = join(dir, 'objects');
  try {
    return loadTemplatesFromDir(objects).size > 0 ? objects : dir;
  } catch {
    return dir;
  }
}
