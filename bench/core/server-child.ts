/**
 * waggle in a process of its own for the core benchmark, as `waggle serve`
 * runs it: the benchmark's HTTP clients then use the other core, as real
 * clients (PyMISP, a feed importer) would on other machines. Run by
 * environment.ts:  node <same flags> bench/core/server-child.ts <database url>
 * Prints {"port": N} on stdout once listening; stops when stdin closes.
 */
import { startServer } from './environment.js';

async function main(): Promise<void> {
  const [url] = process.argv.slice(2);
  if (url === undefined) throw new Error('usage: server-child.ts <database url>');
  const server = await startServer(url);
  // BENCH_MEMORY_LOG: a file to which the server appends its memory breakdown every 2 s (diagnostics).
  const memoryLog = process.env.BENCH_MEMORY_LOG;
  if (memoryLog !== undefined && memoryLog !== '') {
    const { appendFileSync } = await import('node:fs');
    const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);
    setInterval(() => {
      const m = process.memoryUsage();
      appendFileSync(memoryLog, `${new Date().toISOString()} rss ${mib(m.rss)} heapTotal ${mib(m.heapTotal)} heapUsed ${mib(m.heapUsed)} external ${mib(m.external)} arrayBuffers ${mib(m.arrayBuffers)}\n`);
    }, 2000).unref();
  }
  process.stdout.write(`${JSON.stringify({ port: Number(new URL(server.client.baseUrl).port) })}\n`);
  await new Promise<void>((resolve) => {
    process.stdin.on('end', resolve).on('close', resolve).resume();
  });
  await server.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
