// Regenerates packages/abe/test-vectors/*.json (run: npx tsx --conditions=source packages/abe/src/test-support/write-vectors.ts).
// Only needed when the format changes on purpose; the tests check the stored files.
import { writeFileSync } from 'node:fs';
import { createNobleBackend } from '../pairing/noble-backend.js';
import { VECTOR_SPECS, buildVector } from './vectors.js';

const backend = createNobleBackend();
for (const spec of VECTOR_SPECS) {
  const file = new URL(`../../test-vectors/${spec.name}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify(buildVector(backend, spec), null, 2)}\n`);
  process.stdout.write(`wrote ${file.pathname}\n`);
}
