import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '@waggle/errors';
import { parsePolicy } from './parse-policy.js';
import type { Policy } from './policy-schema.js';

/**
 * Reads and validates a policy file: `.json` files are read as JSON, any
 * other extension (`.yaml`, `.yml`) as YAML. An unreadable file is an
 * `InputError` naming it; an invalid one is {@link parsePolicy}'s error.
 */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read policy file ${path}: ${(error as Error).message}`, { field: 'policy' });
  }
  return parsePolicy(text, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml', path);
}
