import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file or folder under `data/fixtures/`. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../data/fixtures/${name}`, import.meta.url));
}

/** Text of a fixture file. */
export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}
