// The one file of the objects module that touches the file system.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseObjectTemplate } from './parse-object-template.js';
import { createTemplateRegistry, type TemplateRegistry } from './template-registry.js';

/** Something wrong with one file (or the directory) met while loading. */
export interface TemplateLoadProblem {
  /** Absolute or caller-relative path of the file or directory concerned. */
  readonly file: string;
  readonly message: string;
}

/** A registry loaded from disk, with whatever could not be loaded. */
export interface LoadedTemplateRegistry extends TemplateRegistry {
  /** Files skipped, and why; empty when everything loaded. */
  readonly problems: readonly TemplateLoadProblem[];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Loads every `<dir>/<name>/definition.json`. `dir` may also be a
 * misp-objects checkout, whose templates live under `objects/`. Folders
 * without a `definition.json` are skipped silently (misp-objects has none,
 * but a shipped folder may hold a LICENSE or README). Unreadable, unparsable
 * or invalid files, and a missing directory, are reported in `problems`
 * rather than thrown, so one bad template never hides all the others.
 */
export function loadTemplatesFromDir(dir: string): LoadedTemplateRegistry {
  const problems: TemplateLoadProblem[] = [];
  const registry = createTemplateRegistry();
  const nested = join(dir, 'objects');
  const root = existsSync(nested) && statSync(nested).isDirectory() ? nested : dir;
  let names: string[] = [];
  try {
    names = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    problems.push({ file: root, message: `cannot read template directory: ${describe(error)}` });
  }
  for (const name of names) {
    const file = join(root, name, 'definition.json');
    if (!existsSync(file)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push({ file, message: `cannot read JSON: ${describe(error)}` });
      continue;
    }
    const parsed = parseObjectTemplate(json);
    if (!parsed.ok) {
      for (const message of parsed.problems) problems.push({ file, message });
      continue;
    }
    const previous = registry.get(parsed.template.uuid);
    registry.add(parsed.template);
    if (previous !== undefined) {
      const kept = registry.get(parsed.template.uuid) ?? previous;
      problems.push({
        file,
        message: `duplicate uuid ${parsed.template.uuid} (also template '${previous.name}'); kept version ${kept.version} of '${kept.name}'`,
      });
    }
  }
  return {
    get: registry.get,
    list: registry.list,
    add: registry.add,
    get size() {
      return registry.size;
    },
    problems,
  };
}
