import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError, Secret } from '@waggle/errors';
import {
  DEFAULT_CAPS, DEFAULT_LIMITS, createCatalogue, createDeployer, createFanoutSink, createJsonLinesSink, createMispClient, createReporter,
  decideInstance, loadProfiles, parsePortRanges, planDeployment, readDeployState, startProfile, unwrapEvent,
  type Catalogue, type DeploymentCaps, type EventSink, type Plan, type Reporter, type ServiceDeps,
} from '@waggle/honeypot';
import { terminalOutput, type Output } from '../output.js';
import { untilSignal } from './until-signal.js';

interface CommonOpts { profilesDir?: string[] }
interface ReportOpts { reportTo?: string; key?: string; spool?: string; window?: string; distribution?: string }
interface RunOpts extends CommonOpts, ReportOpts { profile: string; listen: string; log: string; sensor?: string; quarantine?: string; hostKeyDir?: string }
interface PlanOpts extends CommonOpts { event: string; url?: string; key?: string; json?: boolean; maxInstances?: string; ports?: string; lifetime?: string }
interface DeployOpts extends CommonOpts, ReportOpts { url: string; key?: string; approve?: boolean; maxInstances?: string; ports?: string; lifetime?: string; state?: string; host?: string; log?: string; sensor?: string; quarantine?: string; hostKeyDir?: string }

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const home = (): string => process.env.WAGGLE_HOME ?? '.waggle';
const defaultState = (): string => join(home(), 'honeypot', 'deployer-state.json');

/** Parses `HOST:PORT` (`[::1]:2222` for IPv6). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(m?.[3]);
  if (m === null || port > 65535) throw new InputError(`--listen must be HOST:PORT (e.g. 127.0.0.1:2222 or [::1]:8080), got "${text}"`, { field: 'listen' });
  return { host: (m[1] ?? m[2]) as string, port };
}

function positiveInt(text: string | undefined, field: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--${field} must be a positive integer, got "${text}"`, { field });
  return n;
}

function distributionOf(text: string | undefined): number {
  const n = Number(text ?? '0');
  if (!Number.isInteger(n) || n < 0 || n > 3) throw new InputError(`--distribution must be 0, 1, 2 or 3, got "${String(text)}"`, { field: 'distribution' });
  return n;
}

function keyOf(key: string | undefined): Secret {
  const k = key ?? process.env.WAGGLE_KEY;
  if (k === undefined || k === '') throw new InputError('an API key is needed: --key KEY or WAGGLE_KEY', { field: 'key' });
  return new Secret(k);
}

function catalogueOf(o: CommonOpts): Catalogue {
  return createCatalogue(loadProfiles(o.profilesDir ?? []));
}

function capsOf(o: { maxInstances?: string; ports?: string; lifetime?: string }): Omit<DeploymentCaps, 'running'> {
  let allowedPorts: DeploymentCaps['allowedPorts'] = [];
  try {
    allowedPorts = o.ports === undefined ? [] : parsePortRanges(o.ports);
  } catch (e) {
    throw new InputError(`--ports: ${(e as Error).message}`, { field: 'ports' });
  }
  const lifetimeMs = positiveInt(o.lifetime, 'lifetime', DEFAULT_CAPS.lifetimeMs / 60_000) * 60_000;
  return { ...DEFAULT_CAPS, maxInstances: positiveInt(o.maxInstances, 'max-instances', DEFAULT_CAPS.maxInstances), allowedPorts, lifetimeMs, maxLifetimeMs: Math.max(lifetimeMs, DEFAULT_CAPS.maxLifetimeMs) };
}

function serviceDeps(sink: EventSink, sensor: string, quarantine: string | undefined): ServiceDeps {
  return { sink, sensor, limits: DEFAULT_LIMITS, now: () => new Date(), sessionId: () => randomBytes(6).toString('hex'), ...(quarantine === undefined ? {} : { quarantineDir: resolve(quarantine) }) };
}

function reporterOf(o: ReportOpts, base: string, quarantine: string | undefined, out: Output): Reporter | undefined {
  if (o.reportTo === undefined) return undefined;
  return createReporter({
    client: createMispClient({ url: o.reportTo, key: keyOf(o.key) }),
    spoolDir: o.spool ?? join(base, 'spool'),
    now: () => new Date(),
    windowMs: positiveInt(o.window, 'window', 60) * 60_000,
    distribution: distributionOf(o.distribution),
    ...(quarantine === undefined ? {} : { readPayload: (sha: string) => (/^[0-9a-f]{64}$/.test(sha) && existsSync(join(quarantine, sha)) ? readFileSync(join(quarantine, sha)) : undefined) }),
    log: (m) => out.warn(m),
  });
}


function printPlan(plan: Plan, out: Output): void {
  out.print(`Plan for event ${plan.event.uuid || '(no uuid)'}: ${plan.event.info}\n`);
  for (const d of plan.decisions) out.print(`  ${d.action === 'start' ? 'START' : 'skip '} ${d.profile}${d.port === undefined ? '' : ` on port ${String(d.port)}`}: ${d.reason}\n`);
  for (const n of plan.notes) out.print(`  note: ${n}\n`);
  if (plan.decisions.length === 0) out.print('  nothing to deploy\n');
}

async function loadEvent(o: PlanOpts): Promise<unknown> {
  if (existsSync(o.event)) {
    try {
      return JSON.parse(readFileSync(o.event, 'utf8'));
    } catch (e) {
      throw new InputError(`--event ${o.event} is not JSON: ${(e as Error).message}`, { field: 'event' });
    }
  }
  if (!/^[0-9a-f-]{36}$|^\d+$/i.test(o.event)) throw new InputError(`--event must be a MISP JSON file or an event UUID/id, got "${o.event}"`, { field: 'event' });
  if (o.url === undefined) throw new InputError('--url is needed to fetch an event by UUID', { field: 'url' });
  return createMispClient({ url: o.url, key: keyOf(o.key) }).request('GET', `/events/view/${o.event}`);
}

/** Registers `waggle honeypot …`: run, profiles, plan, deploy, list, approve. */
export function registerHoneypotCommands(program: Command): void {
  const hp = program.commands.find((c) => c.name() === 'honeypot') ?? program.command('honeypot').description('honeypots configured from shared intelligence (SSH, Telnet, Redis, FTP, HTTP CVE lures)');
  const withProfiles = (c: Command): Command => c.option('--profiles-dir <dir>', 'extra folder of profile JSON files (repeatable)', collect);
  const withReport = (c: Command): Command => c
    .option('--report-to <url>', 'waggle/MISP URL to report sessions to')
    .option('--key <key>', 'API key (or WAGGLE_KEY)')
    .option('--spool <dir>', 'folder of batches waiting to be sent')
    .option('--window <minutes>', 'per-attacker aggregation window', '60')
    .option('--distribution <0-3>', 'MISP distribution of reported events', '0');

  withReport(withProfiles(hp.command('run').description('run one honeypot profile until SIGINT/SIGTERM')
    .requiredOption('--profile <name>', 'profile name (see `waggle honeypot profiles`)')
    .requiredOption('--listen <host:port>', 'address to listen on')
    .requiredOption('--log <file>', 'Cowrie-format JSON lines log')
    .option('--sensor <name>', 'sensor name in every event', 'waggle')
    .option('--quarantine <dir>', 'keep uploaded/downloaded payloads here')
    .option('--host-key-dir <dir>', 'SSH host key folder (default beside the log)'))).action(async (o: RunOpts) => {
    const out = terminalOutput('info');
    const profile = catalogueOf(o).get(o.profile);
    const listen = parseListen(o.listen);
    const base = dirname(resolve(o.log));
    const reporter = reporterOf(o, base, o.quarantine, out);
    const file = createJsonLinesSink(resolve(o.log), { onError: (e) => out.warn(`log: ${String(e)}`) });
    const sink = reporter === undefined ? file : createFanoutSink(file, reporter.sink());
    const svc = await startProfile(profile, listen, { ...serviceDeps(sink, o.sensor ?? 'waggle', o.quarantine), hostKeyDir: o.hostKeyDir ?? join(base, 'keys') });
    out.info(`honeypot ${profile.name} (${profile.service}${profile.cves.length > 0 ? `, ${profile.cves.join(', ')}` : ''}) listening on ${svc.host}:${String(svc.port)}, logging to ${o.log}${reporter === undefined ? '' : `, reporting to ${o.reportTo ?? ''}`}`);
    reporter?.start(5_000);
    await untilSignal();
    out.info('shutting down');
    await svc.close();
    if (reporter !== undefined) {
      const r = await reporter.stop();
      out.info(`reported ${String(r.sent)} batches${r.pending > 0 ? `; ${String(r.pending)} kept in ${reporter.spool.dir} for the next run` : ''}`);
    }
    await sink.close();
  });

  withProfiles(hp.command('profiles').description('list the profiles with the CVEs and services they cover').option('--json', 'JSON output')).action((o: CommonOpts & { json?: boolean }) => {
    const out = terminalOutput('info');
    const list = catalogueOf(o).all().map((p) => ({ name: p.name, service: p.service, default_port: p.default_port, ports: p.ports, cves: p.cves, services: p.services, attack_techniques: p.attack_techniques, description: p.description }));
    if (o.json === true) {
      out.print(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    for (const p of list) out.print(`${p.name.padEnd(24)} ${p.service.padEnd(7)} ${String(p.default_port).padStart(5)}  ${(p.cves.join(', ') || '-').padEnd(34)} ${p.services.join(', ')}\n`);
  });

  withProfiles(hp.command('plan').description('show what an event would deploy, with the reasons')
    .requiredOption('--event <file|uuid>', 'MISP JSON file, or an event UUID/id fetched from --url')
    .option('--url <url>', 'waggle/MISP URL').option('--key <key>', 'API key (or WAGGLE_KEY)').option('--json', 'JSON output')
    .option('--max-instances <n>', 'cap on honeypots').option('--ports <ranges>', 'allowed ports, e.g. 2000-2999,8080').option('--lifetime <minutes>', 'lifetime of a honeypot')).action(async (o: PlanOpts) => {
    const out = terminalOutput('info');
    const event = unwrapEvent(await loadEvent(o));
    const plan = planDeployment(event, catalogueOf(o), { ...capsOf(o), running: [] }, new Date());
    if (o.json === true) out.print(`${JSON.stringify(plan, null, 2)}\n`);
    else printPlan(plan, out);
  });

  withReport(withProfiles(hp.command('deploy').description('run the adaptive deployer: honeypots follow the CVEs and attacks published on waggle')
    .requiredOption('--url <url>', 'waggle URL (event stream and REST API)')
    .option('--approve', 'plans wait for `waggle honeypot approve ID`')
    .option('--max-instances <n>', 'cap on honeypots').option('--ports <ranges>', 'allowed ports, e.g. 2000-2999').option('--lifetime <minutes>', 'lifetime of a honeypot')
    .option('--state <file>', 'deployer state file (default $WAGGLE_HOME/honeypot/deployer-state.json)')
    .option('--host <addr>', 'address honeypots listen on', '127.0.0.1')
    .option('--log <file>', 'Cowrie-format JSON lines log (default beside the state file)')
    .option('--sensor <name>', 'sensor name', 'waggle-deployer')
    .option('--quarantine <dir>', 'keep payloads here').option('--host-key-dir <dir>', 'SSH host key folder'))).action(async (o: DeployOpts) => {
    const out = terminalOutput('info');
    const statePath = resolve(o.state ?? defaultState());
    const base = dirname(statePath);
    const key = keyOf(o.key);
    const catalogue = catalogueOf(o);
    // Sessions go back to the server the events came from unless told otherwise.
    const reporter = reporterOf({ ...o, reportTo: o.reportTo ?? o.url, key: key.reveal() }, base, o.quarantine, out);
    const file = createJsonLinesSink(resolve(o.log ?? join(base, 'honeypot.json')), { onError: (e) => out.warn(`log: ${String(e)}`) });
    const sink = reporter === undefined ? file : createFanoutSink(file, reporter.sink());
    const deps = { ...serviceDeps(sink, o.sensor ?? 'waggle-deployer', o.quarantine), hostKeyDir: o.hostKeyDir ?? join(base, 'keys') };
    const deployer = createDeployer({
      client: createMispClient({ url: o.url, key }),
      url: o.url,
      key,
      catalogue,
      caps: capsOf(o),
      approval: o.approve === true,
      statePath,
      host: o.host ?? '127.0.0.1',
      now: () => new Date(),
      startService: (profile, listen) => startProfile(profile, listen, deps),
      ...(reporter === undefined ? {} : { reporter }),
      ownSensors: [o.sensor ?? 'waggle-deployer'],
      log: (m) => out.info(m),
    });
    await deployer.start();
    out.info(`deployer watching ${o.url} (${o.approve === true ? 'approval mode' : 'automatic'}; state ${statePath})`);
    await untilSignal();
    out.info('shutting down');
    await deployer.stop();
    await sink.close();
  });

  hp.command('list').description('list deployed honeypots with their origin event').option('--state <file>', 'deployer state file').option('--json', 'JSON output').action((o: { state?: string; json?: boolean }) => {
    const out = terminalOutput('info');
    const state = readDeployState(resolve(o.state ?? defaultState()));
    if (o.json === true) {
      out.print(`${JSON.stringify(state.instances, null, 2)}\n`);
      return;
    }
    if (state.instances.length === 0) out.print('no honeypots deployed\n');
    for (const i of state.instances) out.print(`${i.id}  ${i.status.padEnd(16)} ${i.profile.padEnd(24)} ${i.host}:${String(i.port).padEnd(6)} ${i.expires_at ?? '-'}  event ${i.origin.event_uuid} "${i.origin.event_info}"\n    ${i.reason}\n`);
  });

  hp.command('approve').argument('<id>', 'deployment id (or its prefix) from `waggle honeypot list`').description('approve (or --reject) a deployment waiting in approval mode').option('--state <file>', 'deployer state file').option('--reject', 'reject instead').action((id: string, o: { state?: string; reject?: boolean }) => {
    const inst = decideInstance(resolve(o.state ?? defaultState()), id, o.reject !== true);
    terminalOutput('info').info(`${inst.id} ${inst.status}: ${inst.profile} on port ${String(inst.port)} (started by the running deployer)`);
  });
}
