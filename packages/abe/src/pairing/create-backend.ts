import { InputError } from '@waggle/errors';
import type { BackendName, PairingBackend } from './backend.js';
import { createMclBackend } from './mcl-backend.js';
import { createNobleBackend } from './noble-backend.js';

/** Creates a back-end by name; `mcl` (fast) is the default. */
export async function createBackend(name: BackendName | string = 'mcl'): Promise<PairingBackend> {
  if (name === 'mcl') return createMclBackend();
  if (name === 'noble') return createNobleBackend();
  throw new InputError(`unknown pairing back-end "${name}" (use "mcl" or "noble")`, { field: 'backend' });
}
