import { UnavailableError } from '@waggle/errors';
import { builtinTemplatesDir, loadTemplatesFromDir, type ObjectTemplate } from '@waggle/misp';

/** Name of the MISP object template that carries findings. */
export const SECURITY_EVENT = 'security-event';

let cached: ObjectTemplate | undefined;

/**
 * The `security-event` template shipped with `@waggle/misp`, read once per
 * process (it is immutable package data). Reading it rather than copying its
 * uuid/version keeps objects in step when the template gains a version.
 */
export function securityEventTemplate(): ObjectTemplate {
  if (cached !== undefined) return cached;
  const registry = loadTemplatesFromDir(builtinTemplatesDir());
  const found = registry.list().filter((t) => t.name === SECURITY_EVENT).sort((a, b) => b.version - a.version)[0];
  if (found === undefined) throw new UnavailableError(`object template ${SECURITY_EVENT} not found in ${builtinTemplatesDir()}`);
  cached = found;
  return found;
}
