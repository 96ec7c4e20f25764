import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the object templates shipped with `@waggle/misp`
 * (`packages/misp/data/objects`). The relative URL resolves the same from
 * `src/objects/*.ts` and from the built `dist/objects/*.js`.
 */
export function builtinTemplatesDir(): string {
  return fileURLToPath(new URL('../../data/objects', import.meta.url));
}
