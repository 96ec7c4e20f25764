import { request } from 'node:http';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { startRssSampler } from '../lib/rss-sampler.js';
import { round } from '../lib/stats.js';
import { formatTable, mib, thousands } from '../lib/table.js';
import { startBenchServer, type BenchServer } from '../core/environment.js';
import { createWorkload } from '../core/generator.js';
import { ingest } from '../core/ingest.js';
import { createFeedWriter, folderSink } from '@waggle/feeds';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStixObjectCounter } from './stix-counter.js';

const USAGE = `usage: npm run bench -- sync [--attributes 1m] [--seed 1] [--max-event-size 190]
  Two waggle instances (SQLite) on 127.0.0.1: instance A receives the workload
  through the REST API (published events), instance B pulls it over the MISP
  sync protocol. Reports the full pull, a no-op pull, and an incremental pull
  after 10 events change on A; then A's STIX 2.1 export (restSearch stix2,
  streamed) and the import of A's events as a MISP feed into a third instance.`;

const MINUTE = 60_000;
const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

type J = Record<string, unknown>;

async function post(server: BenchServer, path: string, body: unknown, timeoutMs = 60 * MINUTE): Promise<J> {
  return JSON.parse(await server.client.postText(path, body, timeoutMs)) as J;
}

/**
 * A POST whose answer may take longer than fetch's fixed 5-minute wait for response headers
 * (a full pull answers only when it is done): plain node:http, no timeout.
 */
function postLong(server: BenchServer, path: string, body: unknown): Promise<J> {
  const url = new URL(path, server.client.baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: server.authKey, accept: 'application/json', 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) >= 400) reject(new Error(`POST ${path}: HTTP ${String(res.statusCode)}: ${text.slice(0, 300)}`));
        else resolve(JSON.parse(text) as J);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: round((performance.now() - t0) / 1000, 2) };
}

/** `npm run bench -- sync`: full, no-op and incremental pulls between two local instances. */
export async function runSyncBench(argv: readonly string[]): Promise<number> {
  const { named, positional } = parseArgs(argv, new Set(['help']));
  if (named.has('help') || positional.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return named.has('help') ? 0 : 2;
  }
  const attributes = parseCount(String(named.get('attributes') ?? '1m'), 'attributes');
  const seed = Number(named.get('seed') ?? '1');
  const machine = machineInfo(process.cwd());
  // Events of 10–190 attributes (mean 100): 1M attributes make the 10,000 events the issue asks for.
  const maxEventSize = Number(named.get('max-event-size') ?? '190');
  const workload = createWorkload({ attributes, seed, minEventSize: 10, maxEventSize });
  // All instances in this process: the memory figures below are of the instances and client together.
  const a = await startBenchServer('sqlite', { postgresUrl: '', label: 'sync-a', inProcess: true });
  const b = await startBenchServer('sqlite', { postgresUrl: '', label: 'sync-b', inProcess: true });
  try {
    log(`ingesting ${thousands(attributes)} attributes into A (${a.client.baseUrl})`);
    const load = await ingest(a.client, workload, { concurrency: 3, disableCorrelation: false, requestTimeoutMs: 15 * MINUTE, tags: [] });
    log(`A holds ${thousands(load.attributes)} attributes in ${thousands(load.events)} events (${thousands(load.attributesPerSecond)} attr/s); publishing`);
    const index = (await post(a, '/events/index', { minimal: 1 })) as unknown as J[];
    for (const e of index) await post(a, `/events/publish/${String(e.id)}`, {});

    const org = (await post(a, '/admin/organisations/add', { Organisation: { name: 'BenchPartnerB', local: false } })).Organisation as J;
    const user = (await post(a, '/admin/users/add', { User: { email: 'sync@partner-b.bench', org_id: org.id, role_id: 5 } })).User as J;
    const key = ((await post(a, `/auth_keys/add/${String(user.id)}`, { AuthKey: { comment: 'bench sync' } })).AuthKey as J).authkey_raw as string;
    const server = (await post(b, '/servers/add', { Server: { name: 'A', url: a.client.baseUrl, authkey: key, pull: true } })).Server as J;

    const rss = startRssSampler();
    log('full pull');
    const full = await timed(() => postLong(b, `/servers/pull/${String(server.id)}`, {}));
    const peak = rss.stop();
    const fullReport = full.value.report as J;
    log(`full pull: ${JSON.stringify(fullReport)}`);
    const noop = await timed(() => post(b, `/servers/pull/${String(server.id)}`, {}));
    log(`no-op pull: ${noop.seconds} s`);
    // Change 10 events on A: one new attribute each, republished.
    for (const e of index.slice(0, 10)) {
      await post(a, `/attributes/add/${String(e.id)}`, { type: 'comment', value: `changed ${String(e.uuid)}` });
      await post(a, `/events/publish/${String(e.id)}`, {});
    }
    const incr = await timed(() => post(b, `/servers/pull/${String(server.id)}`, {}));
    const incrReport = incr.value.report as J;
    const bAttributes = await b.count('attributes');

    log('STIX 2.1 export of every event on A (restSearch returnFormat stix2)');
    const stixRss = startRssSampler();
    const stix = await timed(async () => {
      const res = await a.client.post('/events/restSearch', { returnFormat: 'stix2' }, 60 * MINUTE);
      const counter = createStixObjectCounter();
      let bytes = 0;
      const decoder = new TextDecoder();
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        counter.feed(decoder.decode(chunk, { stream: true }));
      }
      return { objects: counter.count, bytes };
    });
    const stixPeak = stixRss.stop();
    log(`STIX: ${thousands(stix.value.objects)} objects, ${mib(stix.value.bytes)} in ${stix.seconds} s`);

    log("writing A's events as a MISP feed");
    const feedDir = mkdtempSync(join(tmpdir(), 'waggle-bench-feed-'));
    const c = await startBenchServer('sqlite', { postgresUrl: '', label: 'feed-c', inProcess: true });
    let feedRows: string[][] = [];
    try {
      const writer = createFeedWriter(folderSink(feedDir));
      for (const e of index) await writer.add(JSON.parse(await a.client.postText(`/events/view/${String(e.uuid)}`, {}, 10 * MINUTE)));
      await writer.finish();
      const feed = (await post(c, '/feeds/add', { Feed: { name: 'bench feed', provider: 'A', url: feedDir, input_source: 'local', source_format: 'misp', enabled: true } })).Feed as J;
      log('importing the feed into C');
      const feedRss = startRssSampler();
      const imported = await timed(() => postLong(c, `/feeds/fetchFromFeed/${String(feed.id)}`, {}));
      const feedPeak = feedRss.stop();
      const cAttributes = await c.count('attributes');
      log(`feed import: ${JSON.stringify(imported.value).slice(0, 300)}`);
      feedRows = [
        ['MISP feed import into a new instance', `${imported.seconds} s, ${thousands(cAttributes)} attributes, ${thousands(round(cAttributes / imported.seconds, 0))} attr/s`, ''],
        ['  peak RSS (three instances + client, one process)', mib(feedPeak.peakBytes), ''],
      ];
    } finally {
      await c.destroy();
      rmSync(feedDir, { recursive: true, force: true });
    }
    const rows = [
      ['full pull', `${full.seconds} s, ${thousands(Number(fullReport.created))} events created, ${thousands(round(bAttributes / full.seconds, 0))} attr/s, ${String(fullReport.failed)} failed`, ''],
      ['  peak RSS (both instances + client, one process)', mib(peak.peakBytes), ''],
      ['no-op pull (nothing changed)', `${noop.seconds} s (${JSON.stringify((noop.value.report as J).fetched)} fetched)`, '≤ 2 s'],
      ['incremental pull (10 events changed)', `${incr.seconds} s, ${String(incrReport.updated)} updated`, ''],
      ['attributes on B / on A', `${thousands(bAttributes)} / ${thousands(await a.count('attributes'))}`, 'equal'],
      ['STIX 2.1 export of all events (streamed)', `${stix.seconds} s, ${thousands(stix.value.objects)} objects, ${thousands(round(stix.value.objects / stix.seconds, 0))} objects/s, ${mib(stix.value.bytes)}`, ''],
      ['  peak RSS (both instances + client, one process)', mib(stixPeak.peakBytes), 'bounded'],
      ...feedRows,
    ];
    process.stdout.write(`${describeMachine(machine)}\n\nsync benchmark — ${thousands(load.events)} events, ${thousands(load.attributes)} attributes, SQLite on both sides\n\n${formatTable(['measure', 'result', 'target'], rows)}\n`);
    return 0;
  } finally {
    await a.destroy();
    await b.destroy();
  }
}
