import { createWriteStream, readFileSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { InputError, Secret } from '@waggle/errors';
import { createMispClient, type MispClient } from '@waggle/client';
import {
  combinedConfidence,
  createCooperativeDetector,
  defaultRuleSet,
  exportFeedback,
  fetchFindingObject,
  findFindings,
  parseRuleSet,
  readFindingObject,
  setVerdict,
  topAttackType,
  validateObjectRef,
  type CooperativeOutcome,
  type FindingObject,
  type RuleSet,
} from '@waggle/findings';
import { terminalOutput, type Output } from '../output.js';
import { untilSignal } from './until-signal.js';

/*
 * `waggle finding …`: list and inspect findings (security-event objects) on a
 * waggle/MISP server, record analyst verdicts, export them as training data,
 * and run the cooperative rule detector. Server options as the honeypot
 * commands: --url (or WAGGLE_URL) and --key (or WAGGLE_KEY).
 */

interface ServerOpts { url?: string; key?: string; json?: boolean }
interface VerdictOpts extends ServerOpts { comment?: string; analyst?: string }
interface FeedbackOpts extends ServerOpts { out: string; since?: string }
interface CooperateOpts extends ServerOpts { rules?: string; once?: string; since?: string; name?: string }

function clientOf(o: ServerOpts): { client: MispClient; key: Secret } {
  const url = o.url ?? process.env.WAGGLE_URL;
  if (url === undefined || url === '') throw new InputError('a server is needed: --url URL or WAGGLE_URL', { field: 'url' });
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new InputError(`--url must be an http(s) URL (got ${JSON.stringify(url)})`, { field: 'url' });
  const k = o.key ?? process.env.WAGGLE_KEY;
  if (k === undefined || k === '') throw new InputError('an API key is needed: --key KEY or WAGGLE_KEY', { field: 'key' });
  const key = new Secret(k);
  return { client: createMispClient({ url, key }), key };
}

function verdictText(v: boolean | undefined): string {
  return v === undefined ? 'unreviewed' : v ? 'true-positive' : 'false-positive';
}

function summary(f: FindingObject): Record<string, unknown> {
  const top = topAttackType(f.finding.attackType);
  return {
    uuid: f.objectUuid,
    event: f.eventId,
    ...f.finding,
    confidence: combinedConfidence(f.finding.attackType),
    topAttackType: top?.attack_type ?? null,
    verdict: verdictText(f.finding.verified),
  };
}

function line(f: FindingObject): string {
  const x = f.finding;
  const port = (p: number | undefined): string => (p === undefined ? '' : `:${String(p)}`);
  const ports = x.dstPorts !== undefined && x.dstPorts.length > 1 ? ` (+${String(x.dstPorts.length - 1)} ports)` : '';
  const top = topAttackType(x.attackType)?.attack_type ?? 'benign';
  return `${f.objectUuid ?? '?'}  ${x.srcIp}${port(x.srcPort)} -> ${x.dstIp}${port(x.dstPort)}/${x.protocol}${ports}  ${top}  confidence ${String(combinedConfidence(x.attackType))}  count ${String(x.count)}  ${verdictText(x.verified)}  [${Object.keys(x.attackType).sort().join(', ')}]\n`;
}

async function listFindings(client: MispClient, event: string | undefined): Promise<FindingObject[]> {
  if (event !== undefined) {
    if (!/^(\d+|[0-9a-f-]{36})$/i.test(event)) throw new InputError(`--event must be an event id or UUID (got ${JSON.stringify(event)})`, { field: 'event' });
    return findFindings(await client.request('GET', `/events/view/${event}`));
  }
  const answer = (await client.request('POST', '/objects/restSearch', { returnFormat: 'json', object_name: 'security-event' })) as { response?: unknown[] };
  const out: FindingObject[] = [];
  for (const o of answer.response ?? []) {
    try {
      out.push(readFindingObject(o));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    }
  }
  return out;
}

function loadRules(file: string | undefined): RuleSet {
  if (file === undefined) return defaultRuleSet();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InputError(`--rules: cannot read ${file} (${cause instanceof Error ? cause.message : String(cause)})`, { field: 'rules' });
  }
  try {
    return parseRuleSet(text);
  } catch (error) {
    throw new InputError(`--rules ${file}: ${(error as Error).message}`, { field: 'rules' });
  }
}

function sinceOf(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  if (!/^\d{1,12}$/.test(since)) throw new InputError(`--since must be an event timestamp in epoch seconds (got ${JSON.stringify(since)})`, { field: 'since' });
  return Number(since);
}

function printOutcome(out: Output, o: CooperativeOutcome, json: boolean): void {
  if (json) out.print(`${JSON.stringify(o)}\n`);
  else if (o.action === 'merged') out.print(`${o.objectUuid ?? '?'}  merged ${o.entry?.attacks.map((a) => `${a.attack_type} ${String(a.confidence)}`).join(', ') ?? ''} (${o.entry?.reference ?? ''}); confidence ${String(o.confidenceBefore)} -> ${String(o.confidenceAfter)}\n`);
  else out.print(`${o.objectUuid ?? '?'}  ${o.action}${o.error === undefined ? '' : `: ${o.error}`}\n`);
}

async function writeFeedback(client: MispClient, o: FeedbackOpts): Promise<number> {
  const tmp = `${o.out}.partial-${String(process.pid)}`;
  const stream = createWriteStream(tmp, { flags: 'wx' });
  let n = 0;
  try {
    for await (const l of exportFeedback(client, o.since === undefined ? {} : { since: o.since })) {
      if (!stream.write(`${l}\n`)) await once(stream, 'drain');
      n += 1;
    }
    stream.end();
    await once(stream, 'close');
    renameSync(tmp, o.out);
    return n;
  } catch (error) {
    stream.destroy();
    rmSync(tmp, { force: true });
    throw error;
  }
}


/** Registers `waggle finding list|show|verify|false-positive|feedback|cooperate`. */
export function registerFindingCommands(program: Command): void {
  const server = (c: Command): Command => c.option('--url <url>', 'waggle/MISP URL (or WAGGLE_URL)').option('--key <key>', 'API key (or WAGGLE_KEY)');
  const out = terminalOutput('info');
  const f = program.command('finding').description('detector findings (MISP security-event objects): list, verdicts, feedback, cooperative detector');

  server(f.command('list').description('list findings, of one event or of the whole server').option('--event <id>', 'only this event (id or UUID)').option('--json', 'JSON output')).action(async (o: ServerOpts & { event?: string }) => {
    const list = await listFindings(clientOf(o).client, o.event);
    if (o.json === true) out.print(`${JSON.stringify(list.map(summary), null, 2)}\n`);
    else if (list.length === 0) out.print('no findings\n');
    else for (const x of list) out.print(line(x));
  });

  server(f.command('show').argument('<uuid>', 'the finding object UUID (or id)').description('show one finding with every detector entry').option('--json', 'JSON output')).action(async (ref: string, o: ServerOpts) => {
    const x = await fetchFindingObject(clientOf(o).client, validateObjectRef(ref));
    if (o.json === true) {
      out.print(`${JSON.stringify(summary(x), null, 2)}\n`);
      return;
    }
    out.print(line(x));
    const s = x.finding;
    out.print(`  seen ${s.firstSeen} .. ${s.lastSeen}${s.signature === undefined ? '' : `\n  signature ${s.signature}${s.signatureId === undefined ? '' : ` (${s.signatureId})`}`}\n`);
    for (const [name, e] of Object.entries(s.attackType).sort(([a], [b]) => a.localeCompare(b))) {
      out.print(`  ${name} ${e.version}${e.reference === undefined ? '' : ` ${e.reference}`}: ${e.attacks.map((a) => `${a.attack_type} ${String(a.confidence)}`).join(', ')}\n`);
    }
  });

  for (const [name, verified, what] of [['verify', true, 'mark a finding as a true positive'], ['false-positive', false, 'mark a finding as a false positive']] as const) {
    server(f.command(name).argument('<uuid>', 'the finding object UUID (or id)').description(what).option('--comment <text>', 'why').option('--analyst <name>', 'who decided (default $USER)').option('--json', 'JSON output')).action(async (ref: string, o: VerdictOpts) => {
      const analyst = o.analyst ?? process.env.USER ?? 'analyst';
      const r = await setVerdict(clientOf(o).client, ref, verified, { analyst, ...(o.comment === undefined ? {} : { comment: o.comment }) });
      if (o.json === true) out.print(`${JSON.stringify(r)}\n`);
      else out.print(`${r.objectUuid} marked ${verdictText(verified)} by ${analyst}\n`);
    });
  }

  server(f.command('feedback').description('export analyst verdicts as labelled flow records (JSON lines) for `waggle detect update --feedback`').requiredOption('--out <file>', 'JSON lines file to write').option('--since <when>', 'only verdicts since: epoch seconds, YYYY-MM-DD or a duration such as 7d')).action(async (o: FeedbackOpts) => {
    const n = await writeFeedback(clientOf(o).client, o);
    out.info(`wrote ${String(n)} labelled records to ${o.out}`);
  });

  server(f.command('cooperate').description('run the cooperative rule detector: follow the event stream (or judge one event with --once)')
    .option('--rules <file>', 'rule set, YAML or JSON (default: the shipped rules)')
    .option('--once <event>', 'judge this event (id or UUID) and exit')
    .option('--since <timestamp>', 'when following: first catch up on events changed since this epoch-seconds timestamp')
    .option('--name <detector>', 'detector name in the attack_type record', 'waggle-rules')
    .option('--json', 'JSON lines output')).action(async (o: CooperateOpts) => {
    const rules = loadRules(o.rules);
    const since = sinceOf(o.since);
    const { client, key } = clientOf(o);
    const json = o.json === true;
    const det = createCooperativeDetector({
      client,
      key,
      rules,
      version: rules.version,
      ...(o.name === undefined ? {} : { name: o.name }),
      ...(since === undefined ? {} : { since }),
      onOutcome: (x) => printOutcome(out, x, json),
      onError: (e) => out.warn(e.message),
    });
    if (o.once !== undefined) {
      const outcomes = await det.runOnEvent(o.once);
      if (outcomes.length === 0 && !json) out.print('no findings\n');
      if (outcomes.some((x) => x.action === 'failed')) process.exitCode = 1;
      return;
    }
    const signal = untilSignal();
    void det.whenOpen().then(() => out.info(`${o.name ?? 'waggle-rules'} following ${client.url}/events/stream (${String(rules.rules.length)} rules); Ctrl-C stops`));
    det.start();
    // Following also ends, with the reason already logged, when the server refuses the stream for good.
    const byFailure = await Promise.race([signal.then(() => false), det.finished().then(() => true)]);
    if (byFailure) process.exitCode = 1;
    await det.stop();
    out.info(`stopped: ${String(det.stats.events)} events judged, ${String(det.stats.merged)} findings annotated, ${String(det.stats.reconnects)} reconnects`);
  });
}
