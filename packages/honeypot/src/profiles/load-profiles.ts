import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '@waggle/errors';
import { parseProfile } from './parse-profile.js';
import type { Profile } from './profile-types.js';

/** The folder of profiles shipped with the package (`data/profiles`), from src or dist alike. */
export function builtinProfilesDir(): string {
  return fileURLToPath(new URL('../../data/profiles/', import.meta.url));
}

/** Reads and validates one profile file; its `name` must match the file name. */
export function loadProfileFile(path: string): Profile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`Invalid honeypot profile ${path}: not readable JSON (${(e as Error).message})`, { field: '(file)', file: path });
  }
  const profile = parseProfile(json, path);
  const expected = basename(path, '.json');
  if (profile.name !== expected) throw new InputError(`Invalid honeypot profile ${path}: name "${profile.name}" must match the file name "${expected}"`, { field: 'name', file: path });
  return profile;
}

/** Loads every `*.json` profile of a folder, sorted by file name. */
export function loadProfilesFromDir(dir: string): Profile[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (e) {
    throw new InputError(`Cannot read the profile folder ${dir}: ${(e as Error).message}`, { field: 'profiles', file: dir });
  }
  return files.map((f) => loadProfileFile(join(dir, f)));
}

/**
 * The shipped profiles plus those of `extraDirs`; a later folder's profile
 * replaces an earlier one of the same name, so a site can tune a shipped lure.
 */
export function loadProfiles(extraDirs: readonly string[] = []): Profile[] {
  const byName = new Map<string, Profile>();
  for (const dir of [builtinProfilesDir(), ...extraDirs]) for (const p of loadProfilesFromDir(dir)) byName.set(p.name, p);
  return [...byName.values()];
}
