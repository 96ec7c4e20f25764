import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InputError, Secret } from '@waggle/errors';
import { createMispClient } from '@waggle/client';
import { createFindingReporter } from '@waggle/findings';
import { isProtectedModel, protectModelObject, unprotectModelObject } from './detect-protect.js';
import { readJsonFile } from './protect-keys.js';
import {
  benignChunkFromTraffic, COMBINER_KINDS, DATA_FORMATS, DETECTOR_NAME, evaluateModel, exportModel, fetchMlModelObject, findingsFromModel, importModelObject, publishMlModelObject,
  readFeedbackChunk, readFlowData, readHoneypotChunk, startDetectServer, trainModel, updateModel, type CombinerKind, type Quality,
} from '@waggle/detect';

/*
 * `waggle detect …`: the ML ensemble detector (see packages/detect/README.md). Human text
 * by default, `--json` for machines; a bad input writes nothing and exits non-zero.
 */

interface DataOpts { format?: string; data?: string[]; labelColumn?: string; count?: string; seed?: string; dayChunk?: string; json?: boolean }

const now = (): Date => new Date();
const print = (text: string): boolean => process.stdout.write(`${text}\n`);

function int(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new InputError(`--${name} must be an integer ≥ ${min}, got "${value}"`, { field: name });
  return n;
}

function num(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InputError(`--${name} must be a number, got "${value}"`, { field: name });
  return n;
}

function combinerOf(value: string | undefined): CombinerKind | undefined {
  if (value === undefined || value === 'auto') return undefined;
  if (!(COMBINER_KINDS as readonly string[]).includes(value)) throw new InputError(`--combiner must be auto or one of ${COMBINER_KINDS.join(', ')}`, { field: 'combiner' });
  return value as CombinerKind;
}

function readData(o: DataOpts) {
  if (o.format === undefined) throw new InputError(`--format is required (${DATA_FORMATS.join(', ')})`, { field: 'format' });
  return readFlowData({
    format: o.format, files: o.data ?? [], ...(o.labelColumn === undefined ? {} : { labelColumn: o.labelColumn }),
    count: int(o.count, 'count', 10_000, 1), seed: int(o.seed, 'seed', 1), chunk: int(o.dayChunk, 'day-chunk', 0),
  });
}

const pct = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(4));
const qualityLine = (q: Quality): string => `precision ${pct(q.precision)}  recall ${pct(q.recall)}  F1 ${pct(q.f1)}  ROC-AUC ${pct(q.rocAuc)}  PR-AUC ${pct(q.prAuc)}`;
const snake = (q: Quality): Record<string, number | null> => ({ precision: q.precision, recall: q.recall, f1: q.f1, roc_auc: q.rocAuc, pr_auc: q.prAuc });

function dataOptions(c: Command, required: boolean): Command {
  const withFormat = required ? c.requiredOption('--format <format>', DATA_FORMATS.join('|')) : c.option('--format <format>', DATA_FORMATS.join('|'));
  return withFormat
    .option('--data <files...>', 'dataset file(s)')
    .option('--label-column <name>', 'label column of a generic csv (default "label")')
    .option('--count <n>', 'synthetic: number of flows (default 10000)')
    .option('--seed <n>', 'seed of training and of synthetic data (default 1)')
    .option('--day-chunk <n>', 'synthetic: chunk (day) index, drifted from day 0 (default 0)')
    .option('--json', 'one JSON object on stdout');
}

const MIN_KEY_LENGTH = 16;

/** The scoring server's API key: the first line of --key-file, else WAGGLE_DETECT_KEY, else none. */
async function serveKey(keyFile: string | undefined): Promise<Secret | undefined> {
  let raw: string | undefined;
  if (keyFile !== undefined) {
    try {
      raw = (await readFile(keyFile, 'utf8')).split(/\r?\n/)[0]?.trim() ?? '';
    } catch (error) {
      throw new InputError(`--key-file ${keyFile}: ${(error as Error).message}`, { field: 'key-file' });
    }
    if (raw === '') throw new InputError(`--key-file ${keyFile} holds no key`, { field: 'key-file' });
  } else {
    raw = process.env.WAGGLE_DETECT_KEY?.trim();
    if (raw === undefined || raw === '') return undefined;
  }
  if (raw.length < MIN_KEY_LENGTH) throw new InputError(`the API key must be at least ${String(MIN_KEY_LENGTH)} characters long`, { field: 'key-file' });
  return new Secret(raw);
}

/** Registers `waggle detect train|evaluate|score|update|serve|export|import`. */
export function registerDetectCommands(program: Command): void {
  const detect = program.command('detect').description('ML ensemble intrusion detector on flow records (TensorFlow.js, WebAssembly)');

  dataOptions(detect.command('train').description('train version 1 of a detector into an empty MODEL_DIR'), true)
    .requiredOption('--out <dir>', 'MODEL_DIR to create')
    .option('--chunk-size <n>', 'flows per chunk; one base network per chunk (default 50000)')
    .option('--epochs <n>', 'training epochs per base network (default 4)')
    .option('--fn-weight <w>', 'loss weight of a missed attack (default 2)')
    .option('--fp-weight <w>', 'loss weight of a false alarm (default 1)')
    .option('--combiner <kind>', `auto (choose by validation PR-AUC) or ${COMBINER_KINDS.join('|')}`)
    .action(async (o: DataOpts & { out: string; chunkSize?: string; epochs?: string; fnWeight?: string; fpWeight?: string; combiner?: string }) => {
      const combiner = combinerOf(o.combiner);
      const baseNet = { ...(o.epochs === undefined ? {} : { epochs: int(o.epochs, 'epochs', 4, 1) }), ...(o.fnWeight === undefined ? {} : { fnWeight: num(o.fnWeight, 'fn-weight', 2) }), ...(o.fpWeight === undefined ? {} : { fpWeight: num(o.fpWeight, 'fp-weight', 1) }) };
      const data = await readData(o);
      const { state } = await trainModel(o.out, data.flows, data.source, { seed: int(o.seed, 'seed', 1), chunkSize: int(o.chunkSize, 'chunk-size', 50_000, 1), baseNet, ...(combiner === undefined ? {} : { combiner }) }, { now });
      const m = state.metrics.overall;
      if (o.json === true) print(JSON.stringify({ version: state.version, bases: state.ensemble.bases.length, combiner: state.ensemble.combiner.kind, flows: data.flows.length, bad_rows: data.badRows, ...snake(m), metrics: state.metrics }));
      else print(`trained ${o.out} v${state.version}: ${state.ensemble.bases.length} base nets, combiner ${state.ensemble.combiner.kind}, ${data.flows.length} flows\nvalidation: ${qualityLine(m)}`);
    });

  dataOptions(detect.command('evaluate').description('precision, recall, F1, ROC-AUC and PR-AUC on labelled flows'), true)
    .requiredOption('--model <dir>', 'MODEL_DIR')
    .option('--threshold <t>', 'score threshold for precision/recall/F1 (default 0.5)')
    .action(async (o: DataOpts & { model: string; threshold?: string }) => {
      const data = await readData(o);
      const r = await evaluateModel(o.model, data.flows, num(o.threshold, 'threshold', 0.5));
      if (o.json === true) print(JSON.stringify({ ...snake(r), threshold: r.threshold, flows: r.flows, version: r.version, positives: r.positives, negatives: r.negatives }));
      else print(`model v${r.version} on ${r.flows} flows (threshold ${r.threshold}):\n${qualityLine(r)}`);
    });

  dataOptions(detect.command('score').description('score flows; flows over the threshold become findings'), true)
    .requiredOption('--model <dir>', 'MODEL_DIR')
    .option('--threshold <t>', 'finding threshold (default 0.75)')
    .option('--report', 'report the findings to a waggle server')
    .option('--url <url>', 'waggle server URL (with --report)')
    .option('--key <key>', 'API key (or WAGGLE_KEY)')
    .option('--source <name>', 'sensor name for reported findings', DETECTOR_NAME)
    .action(async (o: DataOpts & { model: string; threshold?: string; report?: boolean; url?: string; key?: string; source: string }) => {
      const key = o.key ?? process.env.WAGGLE_KEY;
      if (o.report === true && (o.url === undefined || key === undefined || key === '')) throw new InputError('--report needs --url and --key (or WAGGLE_KEY)', { field: 'report' });
      const data = await readData(o);
      const r = await findingsFromModel(o.model, data.flows, num(o.threshold, 'threshold', 0.75));
      const counts = o.report === true ? await createFindingReporter({ client: createMispClient({ url: o.url as string, key: new Secret(key as string) }), source: o.source }).report(r.findings) : undefined;
      if (o.json === true) print(JSON.stringify({ version: r.version, flows: data.flows.length, flagged: r.flagged, findings: r.findings, ...(counts === undefined ? {} : { reported: { events: counts.events, eventsUpdated: counts.eventsUpdated, objects: counts.objects, unchanged: counts.unchanged } }) }));
      else print(`model v${r.version}: ${r.flagged} of ${data.flows.length} flows over the threshold → ${r.findings.length} findings${counts === undefined ? '' : `; reported ${counts.objects} objects (${counts.events} new events, ${counts.unchanged} unchanged)`}`);
    });

  dataOptions(detect.command('update').description('incremental learning: add one chunk (one new base network), bump the version'), false)
    .requiredOption('--model <dir>', 'MODEL_DIR')
    .option('--honeypot-log <file>', 'Cowrie JSON lines: each session becomes an attack flow')
    .option('--feedback <file>', 'analyst-verified findings / counter-evidence: labelled flow JSON lines')
    .option('--benign-traffic', 'with --format/--data: add flows the model scores low as benign')
    .option('--max-score <s>', 'with --benign-traffic: scores below this count as benign (default 0.1)')
    .option('--combiner <kind>', `auto or ${COMBINER_KINDS.join('|')}`)
    .action(async (o: DataOpts & { model: string; honeypotLog?: string; feedback?: string; benignTraffic?: boolean; maxScore?: string; combiner?: string }) => {
      const given = [o.honeypotLog, o.feedback, o.format].filter((v) => v !== undefined).length;
      if (given !== 1) throw new InputError('give exactly one chunk source: --honeypot-log FILE, --feedback FILE or --format … --data FILE', { field: 'chunk' });
      const combiner = combinerOf(o.combiner);
      let chunk = o.honeypotLog !== undefined ? await readHoneypotChunk(o.honeypotLog) : o.feedback !== undefined ? await readFeedbackChunk(o.feedback) : await readData(o);
      if (o.benignTraffic === true) {
        if (o.format === undefined) throw new InputError('--benign-traffic needs --format and --data', { field: 'benign-traffic' });
        const flows = await benignChunkFromTraffic(o.model, chunk.flows, { maxScore: num(o.maxScore, 'max-score', 0.1), max: 50_000, seed: int(o.seed, 'seed', 1) });
        chunk = { ...chunk, flows, source: { ...chunk.source, source: 'low-score-traffic' } };
      }
      const { state } = await updateModel(o.model, chunk.flows, chunk.source, { now, ...(combiner === undefined ? {} : { combiner }) });
      const m = state.metrics.overall;
      const last = state.metrics.perChunk.at(-1);
      if (o.json === true) print(JSON.stringify({ version: state.version, bases: state.ensemble.bases.length, combiner: state.ensemble.combiner.kind, chunk: state.chunks.at(-1), ...snake(m), metrics: state.metrics }));
      else print(`${o.model} v${state.version}: +1 base net on ${chunk.flows.length} flows from ${chunk.source.source} (${state.ensemble.bases.length} bases, combiner ${state.ensemble.combiner.kind})\nvalidation: ${qualityLine(m)}${last === undefined ? '' : `\nnew chunk:  ${qualityLine(last)}`}`);
    });

  detect.command('serve').description('HTTP scoring: POST /score {"flows": […]}, GET /model, GET /health; follows new versions written to MODEL_DIR')
    .requiredOption('--model <dir>', 'MODEL_DIR')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port (default 8090)')
    .option('--key-file <file>', 'file holding the API key clients must send in Authorization (or WAGGLE_DETECT_KEY); required off loopback')
    .option('--reload-interval <s>', 'seconds between checks of MODEL_DIR for a new current version (0: never)', '5')
    .action(async (o: { model: string; host: string; port?: string; keyFile?: string; reloadInterval: string }) => {
      const key = await serveKey(o.keyFile);
      const server = await startDetectServer({
        modelDir: o.model, host: o.host, port: int(o.port, 'port', 8090), reloadIntervalMs: int(o.reloadInterval, 'reload-interval', 5) * 1000,
        ...(key === undefined ? {} : { key }),
        onReload: ({ from, to }) => process.stderr.write(`waggle detect: now serving v${to} (was v${from})\n`),
        onReloadError: (e) => process.stderr.write(`warning: ${e.message}\n`),
      });
      process.stderr.write(`waggle detect: serving ${o.model} v${server.version} on ${server.url} (POST /score, GET /model, GET /health)${key === undefined ? '; no API key' : '; API key required'}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  detect.command('export').description('export the current version as a MISP ml-model object (JSON)')
    .requiredOption('--model <dir>', 'MODEL_DIR')
    .requiredOption('--out <file>', 'object JSON file to write')
    .option('--name <name>', 'model name', DETECTOR_NAME)
    .option('--publish', 'also add the object to an event on a waggle server')
    .option('--url <url>', 'waggle server URL (with --publish)')
    .option('--key <key>', 'API key (or WAGGLE_KEY)')
    .option('--event <id>', 'event id or UUID to add the object to (with --publish)')
    .option('--policy <policy>', 'protect the model attachment under this CP-ABE policy (with --public)')
    .option('--public <file>', 'CP-ABE public parameters (abe-public.json)')
    .option('--sign-key <file>', 'producer Ed25519 private key (PEM) signing the protected attachment')
    .action(async (o: { model: string; out: string; name: string; publish?: boolean; url?: string; key?: string; event?: string; policy?: string; public?: string; signKey?: string }) => {
      const key = o.key ?? process.env.WAGGLE_KEY;
      if (o.publish === true && (o.url === undefined || o.event === undefined || key === undefined || key === '')) throw new InputError('--publish needs --url, --event and --key (or WAGGLE_KEY)', { field: 'publish' });
      if ((o.policy === undefined) !== (o.public === undefined)) throw new InputError('--policy and --public go together', { field: 'policy' });
      let object = await exportModel(o.model, o.out, o.name);
      if (o.policy !== undefined) {
        object = await protectModelObject(object, { publicFile: o.public as string, policy: o.policy, signKeyFile: o.signKey });
        await writeFile(o.out, `${JSON.stringify(object)}\n`);
      }
      const sha = object.Attribute.find((a) => a.object_relation === 'sha256')?.value ?? '';
      process.stderr.write(`wrote ${o.out}: ml-model ${o.name} v${object.Attribute.find((a) => a.object_relation === 'version')?.value ?? '?'} sha256 ${sha}\n`);
      if (o.publish === true) {
        const uuid = await publishMlModelObject(createMispClient({ url: o.url as string, key: new Secret(key as string) }), o.event as string, object);
        process.stderr.write(`published as object ${uuid} on event ${o.event as string}\n`);
      }
    });

  detect.command('import').description('install the model of an ml-model object into an empty MODEL_DIR, from a file or from an event on a waggle server')
    .argument('[object]', 'object JSON file (from `detect export` or a MISP event)')
    .requiredOption('--out <dir>', 'MODEL_DIR to create')
    .option('--url <url>', 'waggle server URL (instead of a file)')
    .option('--key <key>', 'API key (or WAGGLE_KEY)')
    .option('--event <id>', 'event id or UUID holding the ml-model object (with --url)')
    .option('--object <uuid>', 'which ml-model object of the event (default: the most recent)')
    .option('--abe-key <file>', 'CP-ABE user key opening a protected model attachment')
    .option('--verify-key <file>', 'require the producer\'s signature by this Ed25519 public key (PEM)')
    .action(async (file: string | undefined, o: { out: string; url?: string; key?: string; event?: string; object?: string; abeKey?: string; verifyKey?: string }) => {
      const key = o.key ?? process.env.WAGGLE_KEY;
      if ((file === undefined) === (o.url === undefined)) throw new InputError('give either an object file or --url with --event', { field: 'object' });
      let object: unknown;
      if (file !== undefined) object = readJsonFile(file, 'object');
      else {
        if (o.event === undefined || key === undefined || key === '') throw new InputError('--url needs --event and --key (or WAGGLE_KEY)', { field: 'event' });
        object = await fetchMlModelObject(createMispClient({ url: o.url as string, key: new Secret(key) }), o.event, o.object);
      }
      if (isProtectedModel(object)) {
        if (o.abeKey === undefined) throw new InputError('the model attachment is protected by a CP-ABE policy; give --abe-key', { field: 'abe-key' });
        object = await unprotectModelObject(object, { keyFile: o.abeKey, verifyKeyFile: o.verifyKey });
      }
      const registry = await importModelObject(object, o.out);
      process.stderr.write(`imported model v${registry.current} into ${o.out}\n`);
    });
}
