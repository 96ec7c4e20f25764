/**
 * Measures the CSV export in a process of its own: waggle started afresh on
 * the benchmark's database, as after a restart, so the peak RSS is the
 * export's and not what the ingest left on the heap. Run by core-bench:
 *   node <same flags> bench/core/export-child.ts <database url> <expected rows>
 * Prints the ExportResult as JSON on stdout.
 */
import { startServer } from './environment.js';
import { measureCsvExport } from './queries.js';

async function main(): Promise<void> {
  const [url, expected] = process.argv.slice(2);
  if (url === undefined || expected === undefined) throw new Error('usage: export-child.ts <database url> <expected rows>');
  const server = await startServer(url);
  try {
    const result = await measureCsvExport(server.client, Number(expected), 60 * 60_000);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
