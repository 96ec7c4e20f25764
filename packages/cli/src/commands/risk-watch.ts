import { hostname } from 'node:os';
import type { Command } from 'commander';
import { InputError, Secret } from '@waggle/errors';
import { followEventStream } from '@waggle/client';
import { intelTrigger, type IntelWatch } from '@waggle/risk';
import { checkServerOptions, computeRisk, hostRiskEvent, loadKnowledge, reportHostRisk, uuidV5, type HostOptions, type RiskKnowledge } from './risk-host.js';

/** Options of `waggle risk watch`. */
export interface WatchOptions extends HostOptions {
  reportTo: string;
  minInterval?: string;
  refresh?: string;
}

/** Everything {@link watchHostRisk} takes from outside: output, clock, timers (injected for tests). */
export interface WatchDeps {
  readonly log: (line: string) => void;
  readonly now?: () => number;
  /** Stops the watcher; `watchHostRisk` resolves once it has stopped. */
  readonly signal: AbortSignal;
  /** Seconds before a lost event stream is opened again (default 5). */
  readonly reconnectSeconds?: number;
  /** Called after each report, for tests and progress. */
  readonly onReport?: (r: { reason: string; probability: number; action: 'created' | 'updated' }) => void;
}

// The topics that can carry new evidence: events, attributes, sightings, tags.
const TOPICS = 'misp_json_event,misp_json_attribute,misp_json_sighting,misp_json_tag';

function seconds(raw: string | undefined, fallback: number, flag: string, min: number): number {
  const n = Number(raw ?? String(fallback));
  if (!Number.isFinite(n) || n < min) throw new InputError(`${flag} must be a number of seconds ≥ ${min}, got "${raw ?? ''}"`);
  return n;
}

/**
 * Keeps a host's risk event up to date: assesses the host and reports it
 * (`risk host --report-to`), then listens to the server's event stream and
 * reassesses, with fresh evidence, when a message could change the figure
 * (`intelTrigger`: one of the host's CVEs, the host's tag, the sector's tag, a
 * sighting of a known vulnerability attribute), at most once per
 * `--min-interval`, and in any case every `--refresh` seconds. Messages about
 * its own risk event never trigger. Resolves when `deps.signal` aborts.
 */
export async function watchHostRisk(opts: WatchOptions, key: string, deps: WatchDeps): Promise<void> {
  const minInterval = seconds(opts.minInterval, 60, '--min-interval', 0) * 1000;
  const refresh = seconds(opts.refresh, 3600, '--refresh', 1) * 1000;
  const now = deps.now ?? Date.now;
  const host = opts.host ?? hostname();
  const hostOpts: WatchOptions = { ...opts, host, evidenceFrom: opts.evidenceFrom ?? opts.reportTo };
  const knowledge: RiskKnowledge = loadKnowledge(hostOpts, (m) => deps.log(`warning: ${m}`));
  const watch: { -readonly [K in keyof IntelWatch]: IntelWatch[K] } = { host, cves: new Set(), ownEventUuid: uuidV5(`waggle:risk-host:${host}`), ...(opts.sector !== undefined ? { sector: opts.sector } : {}) };

  let lastRun = Number.NEGATIVE_INFINITY;
  let running = false;
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stopped = (): boolean => deps.signal.aborted;

  const run = async (reason: string): Promise<void> => {
    running = true;
    lastRun = now();
    try {
      const { risk, attributeUuids } = await computeRisk(hostOpts, (m) => deps.log(`warning: ${m}`), knowledge, key);
      const saved = await reportHostRisk(opts.reportTo, key, hostRiskEvent(host, risk, new Date(now()).toISOString().slice(0, 10)));
      watch.cves = new Set(risk.vulnerabilities.map((v) => v.id.toUpperCase()));
      watch.attributeUuids = attributeUuids;
      watch.ownEventId = saved.id;
      deps.log(`${new Date(now()).toISOString()} ${reason}: ${host} compromise probability ${risk.probability.toPrecision(6)}; report ${saved.action} (event ${saved.id})`);
      deps.onReport?.({ reason, probability: risk.probability, action: saved.action });
    } catch (error) {
      // A failed round (server down, bad answer) is reported and retried at the next trigger or refresh.
      deps.log(`${new Date(now()).toISOString()} ${reason}: assessment failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
    if (pending !== undefined && !stopped()) schedule(pending);
  };

  /** Runs now or as soon as the minimum interval allows; triggers in between are folded into one run. */
  function schedule(reason: string): void {
    if (stopped()) return;
    // A run already waiting will fetch fresh evidence anyway; one in progress may have fetched before this news.
    if (timer !== undefined) return;
    if (running) {
      pending ??= reason;
      return;
    }
    pending = undefined;
    const wait = Math.max(0, lastRun + minInterval - now());
    timer = setTimeout(() => {
      timer = undefined;
      void run(reason);
    }, wait);
  }

  const url = `${opts.reportTo.replace(/\/+$/, '')}/events/stream?topics=${TOPICS}`;
  const evidenceBase = (hostOpts.evidenceFrom ?? opts.reportTo).replace(/\/+$/, '');
  if (evidenceBase !== opts.reportTo.replace(/\/+$/, '')) deps.log(`note: the stream of ${opts.reportTo} triggers reassessments; evidence comes from ${evidenceBase}`);
  const follower = followEventStream({
    url,
    key: new Secret(key),
    reconnectDelayMs: (deps.reconnectSeconds ?? 5) * 1000,
    onOpen: ({ reconnected }) => {
      deps.log(`listening to ${opts.reportTo}/events/stream`);
      // Whatever arrived while the stream was down is caught by a fresh assessment.
      if (reconnected) schedule('reconnected');
    },
    onDrop: ({ error, delayMs }) => deps.log(`event stream ${error === undefined ? 'ended' : `failed: ${error.message}`}; reconnecting in ${(delayMs / 1000).toFixed(1)} s`),
    onMessage: (m) => {
      let payload: unknown;
      try {
        payload = JSON.parse(m.data);
      } catch {
        return;
      }
      const why = intelTrigger(m.event, payload, watch);
      if (why !== undefined) schedule(why);
    },
  });
  // A subscription the server refuses for good (wrong key, no access): periodic refreshes go on.
  follower.closed.catch((e: unknown) => deps.log(`event stream refused: ${e instanceof Error ? e.message : String(e)}; reassessing every ${String(refresh / 1000)} s only`));

  schedule('start');
  const slow = setInterval(() => schedule('periodic refresh'), refresh);
  await new Promise<void>((resolve) => {
    if (stopped()) resolve();
    else deps.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearInterval(slow);
  if (timer !== undefined) clearTimeout(timer);
  follower.close();
  // Let a round in progress finish its report rather than leave a half-written event.
  while (running) await new Promise((r) => setTimeout(r, 50));
}

/** Registers `waggle risk watch` (the `risk` group is shared with `risk host` and `risk apt`). */
export function registerRiskWatchCommand(program: Command): void {
  const risk = program.commands.find((c) => c.name() === 'risk') ?? program.command('risk').description('compromise-probability models: per-host risk, APT update strategies');
  risk
    .command('watch')
    .description("keep a host's risk event on a waggle server up to date: reassess when new intelligence about the host, its CVEs or its sector arrives")
    .option('--dpkg-status <file>', 'dpkg status file', '/var/lib/dpkg/status')
    .option('--packages <file>', 'software list: one CPE 2.3 string or package URL per line')
    .requiredOption('--osv <path>', 'OSV records: a folder (searched recursively for *.json) or one JSON file')
    .option('--kev <file>', 'CISA KEV catalogue (known_exploited_vulnerabilities.json)')
    .option('--epss <file>', 'EPSS scores CSV (cve,epss,percentile)')
    .option('--release <ecosystem>', 'Debian release as an OSV ecosystem, e.g. Debian:12 (default: from base-files)')
    .option('--listening <file>', 'JSON list of listening services [{ port, address, process, package }]')
    .option('--proc', 'read listening sockets from /proc/net/tcp and tcp6 (again at each assessment)')
    .option('--evidence <file>', 'JSON evidence merged with the server\'s: { sightings, alerts, actors }')
    .requiredOption('--report-to <url>', 'the waggle/MISP server holding the host\'s risk event (its event stream triggers reassessments)')
    .option('--evidence-from <url>', 'server to take evidence from (default: --report-to)')
    .option('--key <key>', 'API key (or WAGGLE_REPORT_KEY)')
    .option('--host <name>', 'host name used in the report (default: this machine\'s)')
    .option('--sector <name>', 'the host\'s sector, as in misp-galaxy:sector="<name>"')
    .option('--evidence-days <n>', 'sightings and alerts of the last n days count', '30')
    .option('--min-interval <seconds>', 'at most one reassessment per this many seconds', '60')
    .option('--refresh <seconds>', 'reassess at least this often, even without news', '3600')
    .action(async (opts: WatchOptions) => {
      const key = opts.key ?? process.env.WAGGLE_REPORT_KEY;
      const withSource: WatchOptions = { ...opts, evidenceFrom: opts.evidenceFrom ?? opts.reportTo };
      checkServerOptions(withSource, key);
      seconds(opts.minInterval, 60, '--min-interval', 0);
      seconds(opts.refresh, 3600, '--refresh', 1);
      const abort = new AbortController();
      const stop = (): void => abort.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await watchHostRisk(withSource, key as string, { signal: abort.signal, log: (line) => process.stderr.write(`${line}\n`) });
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      process.stderr.write('risk watch stopped\n');
    });
}
