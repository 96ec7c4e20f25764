/**
 * Benchmark entry point: `npm run bench -- <area> [options]`.
 * Each area is a module with its own options; `core` is the threat-intel server.
 */
import { runCoreBench } from './core/core-bench.js';

const AREAS: Readonly<Record<string, (argv: readonly string[]) => Promise<number>>> = {
  core: runCoreBench,
};

async function main(argv: readonly string[]): Promise<number> {
  const [area, ...rest] = argv;
  const known = Object.keys(AREAS).join(', ');
  if (area === undefined || area === '--help' || area === '-h') {
    process.stderr.write(`usage: npm run bench -- <area> [options]\nareas: ${known}\n`);
    return area === undefined ? 2 : 0;
  }
  const run = AREAS[area];
  if (run === undefined) {
    process.stderr.write(`unknown benchmark area "${area}"; areas: ${known}\n`);
    return 2;
  }
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
