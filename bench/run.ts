/**
 * Benchmark entry point: `npm run bench -- <area> [options]`.
 * Each area is a module with its own options; `core` is the threat-intel server.
 */

type AreaRunner = (argv: readonly string[]) => Promise<number>;

// Loaded on demand, so a missing build is reported clearly (see below).
const AREAS: Readonly<Record<string, () => Promise<AreaRunner>>> = {
  core: async () => (await import('./core/core-bench.js')).runCoreBench,
  feeds: async () => (await import('./feeds/feeds-bench.js')).runFeedsBench,
  stix: async () => (await import('./stix/stix-bench.js')).runStixBench,
  intel: async () => (await import('./intel/intel-bench.js')).runIntelBench,
  sync: async () => (await import('./sync/sync-bench.js')).runSyncBench,
  honeypot: async () => (await import('./honeypot/honeypot-bench.js')).runHoneypotBench,
  flows: async () => (await import('./flows/flows-bench.js')).runFlowsBench,
  ingest: async () => (await import('./ingest/ingest-bench.js')).runIngestBench,
  anonymizer: async () => (await import('./privacy/event-anonymisation.js')).runAnonymizerBench,
  privacy: async () => (await import('./privacy/privacy-bench.js')).runPrivacyBench,
  apt: async () => (await import('./risk/apt-bench.js')).runAptBench,
  inventory: async () => (await import('./inventory/inventory-bench.js')).runInventoryBench,
  abe: async () => (await import('./abe/abe-bench.js')).runAbeBench,
  keyauthority: async () => (await import('./keyauthority/keyauthority-bench.js')).runKeyauthorityBench,
  protect: async () => (await import('./abe/protect-bench.js')).runProtectBench,
  agent: async () => (await import('./agent/agent-bench.js')).runAgentBench,
  detect: async () => (await import('./detect/detect-bench.js')).runDetectBench,
  'privacy-release': async () => (await import('./privacy/release-bench.js')).runReleaseBench,
  uma: async () => (await import('./uma/uma-bench.js')).runUmaBench,
  'uma-view': async () => (await import('./uma/events-view-bench.js')).runUmaViewBench,
  cooperative: async () => (await import('./cooperative/cooperative-bench.js')).runCooperativeBench,
  enrich: async () => (await import('./enrich/enrich-bench.js')).runEnrichBench,
  reputation: async () => (await import('./reputation/reputation-bench.js')).runReputationBench,
};

function explain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && message.includes('/dist/')) {
    return `${message}\n\nThe workspace packages resolve to their built dist/ output, which is missing. ` +
      'Run `npm run build` first, or run the sources directly: node --expose-gc --conditions=source --import tsx bench/run.ts <area>';
  }
  return error instanceof Error && process.env.BENCH_DEBUG !== undefined ? (error.stack ?? message) : message;
}

async function main(argv: readonly string[]): Promise<number> {
  const [area, ...rest] = argv;
  const known = Object.keys(AREAS).join(', ');
  if (area === undefined || area === '--help' || area === '-h') {
    process.stderr.write(`usage: npm run bench -- <area> [options]\nareas: ${known}\n`);
    return area === undefined ? 2 : 0;
  }
  const load = AREAS[area];
  if (load === undefined) {
    process.stderr.write(`unknown benchmark area "${area}"; areas: ${known}\n`);
    return 2;
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${explain(error)}\n`);
    process.exitCode = 1;
  },
);
