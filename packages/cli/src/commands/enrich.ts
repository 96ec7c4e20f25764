import type { Command } from 'commander';
import { createMispClient, type MispClient } from '@waggle/client';
import { InputError, Secret } from '@waggle/errors';
import {
  createEventApi, enrichEvent, guessType, installedIpLocationFiles, moduleList, openEnrichment, startMispModulesServer, watchAndEnrich,
  type EnrichEventReport, type EnrichResult, type EnrichmentSetup, type IpLocationFiles, type OpenedEnrichment,
} from '@waggle/enrich';
import { terminalOutput, type Output } from '../output.js';
import { untilSignal } from './until-signal.js';

/*
 * `waggle enrich …`: run waggle's enrichment modules on a value, on an event
 * of a server, on every event a server publishes, or for a MISP instance
 * over the misp-modules protocol. Data sources are named by options; a
 * module whose data is not given is not offered.
 */

interface DataOpts {
  ipDb?: boolean; asnIpv4?: string; asnIpv6?: string; countryIpv4?: string; countryIpv6?: string;
  warninglists?: string; galaxies?: string; osv?: string; kev?: string; epss?: string;
  resolver?: string[]; dnsTimeout?: string; dnsAllowPrivate?: boolean; module?: string[];
}
interface ServerOpts { url?: string; key?: string }
interface JsonOpt { json?: boolean }

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function withData(c: Command): Command {
  return c
    .option('--no-ip-db', 'no offline ASN/geolocation lookups')
    .option('--asn-ipv4 <file>', 'ip-location-db asn-ipv4-num.csv (default: the installed @ip-location-db/asn)')
    .option('--asn-ipv6 <file>', 'ip-location-db asn-ipv6-num.csv')
    .option('--country-ipv4 <file>', 'ip-location-db geo-whois-asn-country-ipv4-num.csv (default: the installed package)')
    .option('--country-ipv6 <file>', 'ip-location-db geo-whois-asn-country-ipv6-num.csv')
    .option('--warninglists <dir>', 'misp-warninglists folder (enables the warninglists module)')
    .option('--galaxies <dir>', 'misp-galaxy folder (enables galaxy-context: ATT&CK, actors, CVEs)')
    .option('--osv <path>', 'OSV JSON file or folder (enables cve)')
    .option('--kev <file>', 'CISA KEV JSON (enables cve)')
    .option('--epss <file>', 'FIRST EPSS CSV (enables cve)')
    .option('--resolver <ip[:port]>', 'DNS resolver for reverse-dns (repeatable; off without one)', collect)
    .option('--dns-timeout <ms>', 'reverse-DNS timeout per query', '2000')
    .option('--dns-allow-private', 'also ask PTR names of private/non-public addresses')
    .option('--module <name>', 'run only this module (repeatable)', collect);
}

function ipFiles(o: DataOpts): IpLocationFiles | undefined {
  if (o.ipDb === false) return undefined;
  const given = { asnIpv4: o.asnIpv4, asnIpv6: o.asnIpv6, countryIpv4: o.countryIpv4, countryIpv6: o.countryIpv6 };
  if (Object.values(given).every((v) => v === undefined)) return installedIpLocationFiles();
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as IpLocationFiles;
}

function open(o: DataOpts, out: Output, client?: MispClient): OpenedEnrichment {
  const timeout = Number(o.dnsTimeout ?? '2000');
  if (!Number.isInteger(timeout) || timeout < 1) throw new InputError(`--dns-timeout must be a positive number of ms, got "${String(o.dnsTimeout)}"`, { field: 'dns-timeout' });
  const files = ipFiles(o);
  const setup: EnrichmentSetup = {
    ...(files === undefined ? {} : { ipFiles: files }),
    ...(o.warninglists === undefined ? {} : { warninglistsDir: o.warninglists }),
    ...(o.galaxies === undefined ? {} : { galaxiesDir: o.galaxies }),
    ...(o.osv === undefined ? {} : { osvPath: o.osv }),
    ...(o.kev === undefined ? {} : { kevFile: o.kev }),
    ...(o.epss === undefined ? {} : { epssFile: o.epss }),
    ...(o.resolver === undefined ? {} : { resolvers: o.resolver }),
    dnsTimeoutMs: timeout,
    dnsAllowNonPublic: o.dnsAllowPrivate === true,
    ...(client === undefined ? {} : { api: createEventApi(client) }),
  };
  const opened = openEnrichment(setup);
  for (const w of opened.warnings) out.warn(w);
  for (const name of o.module ?? []) opened.registry.get(name);
  return opened;
}

function clientOf(o: ServerOpts, required: boolean): MispClient | undefined {
  if (o.url === undefined) {
    if (required) throw new InputError('--url of the waggle server is needed', { field: 'url' });
    return undefined;
  }
  const key = o.key ?? process.env.WAGGLE_KEY;
  if (key === undefined || key === '') throw new InputError('an API key is needed: --key KEY or WAGGLE_KEY', { field: 'key' });
  return createMispClient({ url: o.url, key: new Secret(key) });
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function positiveInt(value: string, name: string): number {
  if (!/^\d{1,12}$/.test(value) || Number(value) < 1) throw new InputError(`--${name} must be a positive integer, got "${value}"`, { field: name });
  return Number(value);
}

function printResult(r: EnrichResult, out: Output): void {
  for (const o of r.outcomes) {
    if (!o.ok) {
      out.print(`${o.module}: failed: ${o.error}\n`);
      continue;
    }
    const e = o.enrichment;
    if (e.attributes.length + e.objects.length + e.tags.length === 0) out.print(`${o.module}: nothing found\n`);
    for (const t of e.tags) out.print(`${o.module}: tag ${t}\n`);
    for (const a of e.attributes) out.print(`${o.module}: ${a.type} ${a.value}\n`);
    for (const obj of e.objects) out.print(`${o.module}: object ${obj.name} {${obj.Attribute.map((a) => `${a.object_relation ?? a.type}=${a.value}`).join(', ')}}\n`);
  }
}

const summary = (r: EnrichEventReport): string =>
  `event ${r.eventId} (${r.eventUuid}): ${String(r.checked)} attributes checked; added ${String(r.added.attributes)} attributes, ${String(r.added.objects)} objects, ${String(r.added.tags)} tags`;


/** Registers `waggle enrich modules|value|event|watch|serve`. */
export function registerEnrichCommands(program: Command): void {
  const enrich = program.command('enrich').description('enrichment modules: offline ASN/geolocation, reverse DNS, warninglists, ATT&CK/actor context, CVE context, correlation');
  const withServer = (c: Command): Command => c.option('--url <url>', 'waggle/MISP server URL').option('--key <key>', 'API key (or WAGGLE_KEY)');

  withData(enrich.command('modules').description('list the modules the given data enables').option('--json', 'misp-modules GET /modules format')).action((o: DataOpts & JsonOpt) => {
    const out = terminalOutput('info');
    const { registry } = open(o, out);
    if (o.json === true) out.print(`${JSON.stringify(moduleList(registry), null, 2)}\n`);
    else for (const m of registry.list()) out.print(`${m.name} ${m.version}: ${m.description}\n  input: ${m.inputTypes.join(', ')}\n`);
  });

  withServer(withData(enrich.command('value').argument('<value>', 'the value to enrich').option('--type <type>', 'MISP attribute type (guessed when left out)').option('--json', 'machine-readable output').description('enrich one value (with --url, also which events hold it)')))
    .action(async (value: string, o: DataOpts & ServerOpts & JsonOpt & { type?: string }) => {
      const out = terminalOutput('info');
      const { registry } = open(o, out, clientOf(o, false));
      const type = o.type ?? guessType(value);
      const result = await registry.enrich({ type, value }, {}, o.module);
      if (o.json === true) out.print(`${JSON.stringify({ type, value, ...result }, null, 2)}\n`);
      else printResult(result, out);
    });

  withServer(withData(enrich.command('event').argument('<event>', 'event id or UUID').option('--json', 'machine-readable report').description('enrich an event on the server and add what is missing to it (idempotent)')))
    .action(async (event: string, o: DataOpts & ServerOpts & JsonOpt) => {
      const out = terminalOutput('info');
      const client = clientOf(o, true) as MispClient;
      const { registry } = open(o, out, client);
      const report = await enrichEvent({ api: createEventApi(client), registry, ...(o.module === undefined ? {} : { modules: o.module }) }, event);
      if (o.json === true) out.print(`${JSON.stringify(report, null, 2)}\n`);
      else {
        out.print(`${summary(report)}\n`);
        for (const p of report.problems) out.print(`  problem: ${p}\n`);
      }
    });

  withServer(withData(enrich.command('watch').description('enrich every event the server adds or changes (GET /events/stream) until SIGINT/SIGTERM; a lost stream is reopened and what changed meanwhile is caught up')
    .option('--since <timestamp>', 'first catch up on events changed since this epoch-seconds timestamp')
    .option('--max-reconnect-delay <s>', 'longest wait between reconnection attempts, in seconds', '30')))
    .action(async (o: DataOpts & ServerOpts & { since?: string; maxReconnectDelay?: string }) => {
      const out = terminalOutput('info');
      const since = o.since === undefined ? undefined : positiveInt(o.since, 'since');
      const maxDelay = positiveInt(o.maxReconnectDelay ?? '30', 'max-reconnect-delay');
      const client = clientOf(o, true) as MispClient;
      const { registry } = open(o, out, client);
      const watch = watchAndEnrich({
        url: client.url, key: new Secret(o.key ?? process.env.WAGGLE_KEY ?? ''), api: createEventApi(client), registry,
        ...(o.module === undefined ? {} : { modules: o.module }),
        ...(since === undefined ? {} : { since }),
        maxReconnectDelayMs: maxDelay * 1000,
        onReport: (r) => out.info(summary(r)),
        onError: (id, e) => out.warn(`event ${id}: ${messageOf(e)}`),
        onDisconnect: (d) => out.warn(`${d.wasOpen ? 'event stream lost' : 'event stream not reopened'}${d.error === undefined ? ' (closed by the server)' : `: ${d.error.message}`}; reconnecting in ${(d.delayMs / 1000).toFixed(1)} s`),
        onReconnect: (n) => out.info(`event stream reopened; ${String(n)} events changed meanwhile queued`),
        onCatchUpError: (e) => out.warn(`catch-up search failed: ${messageOf(e)}`),
      });
      void watch.ready.then(() => out.info(`watching ${client.url}/events/stream with ${registry.list().map((m) => m.name).join(', ')}`), () => undefined);
      // A refused stream (wrong key or URL) ends the watch with its error; anything else is retried.
      await Promise.race([untilSignal(), watch.closed]);
      watch.close();
      await watch.closed;
      out.info(`stopped: ${String(watch.stats.disconnects)} disconnects, ${String(watch.stats.caughtUp)} events caught up`);
    });

  withData(enrich.command('serve').description('serve the modules over the misp-modules HTTP protocol (GET /modules, POST /query) until SIGINT/SIGTERM').option('--host <host>', 'address to listen on', '127.0.0.1').option('--port <port>', 'port (misp-modules uses 6666)', '6666'))
    .action(async (o: DataOpts & { host: string; port: string }) => {
      const out = terminalOutput('info');
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port must be 0-65535, got "${o.port}"`, { field: 'port' });
      const { registry } = open(o, out);
      const server = await startMispModulesServer({ registry, host: o.host, port });
      out.info(`misp-modules protocol on ${server.url} with ${registry.list().map((m) => m.name).join(', ')}`);
      await untilSignal();
      await server.close();
    });
}
