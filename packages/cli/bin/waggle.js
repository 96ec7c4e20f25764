#!/usr/bin/env node
// The published entry point runs the compiled CLI (built by `npm install` via the root "prepare" script).
import { main } from '../dist/main.js';

main(process.argv).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`waggle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
