import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '@waggle/errors';
import {
  createAnonymizer,
  createJsonFileKeyStore,
  defaultPolicy,
  formatUtilityTable,
  loadPolicyFile,
  utilityReport,
  type KeyStore,
  type MispEventJson,
  type Policy,
} from '@waggle/privacy';
import { readConfig, type ConfigInput } from '../config.js';

type WithStore = (c: Command) => Command;

type KeyOpts = ConfigInput & { keys?: string };
type AnonymizeOpts = KeyOpts & { input?: string; policy?: string; recipient?: string; dryRun?: boolean; createKeys?: boolean; keepInfo?: boolean };
type UtilityOpts = KeyOpts & { input?: string; policy?: string; recipient?: string; json?: boolean; createKeys?: boolean };

/** The key file: `--keys`, else `privacy-keys.json` in the data folder. */
export function keyFilePath(opts: KeyOpts): string {
  return opts.keys ?? join(readConfig(opts, process.env).home, 'privacy-keys.json');
}

function openKeys(opts: KeyOpts): KeyStore {
  return createJsonFileKeyStore(keyFilePath(opts), { random: (n) => new Uint8Array(randomBytes(n)), now: () => new Date() });
}

function policyOf(opts: { policy?: string; keepInfo?: boolean }): Policy {
  return opts.policy === undefined ? defaultPolicy({ keepInfo: opts.keepInfo === true }) : loadPolicyFile(opts.policy);
}

/** The recipient section to use: `--recipient`, else `default`, else the only one. */
function recipientOf(policy: Policy, name: string | undefined): string {
  if (name !== undefined) return name;
  if (policy.recipients.some((r) => r.name === 'default')) return 'default';
  const only = policy.recipients.length === 1 ? policy.recipients[0]?.name : undefined;
  if (only !== undefined) return only;
  throw new InputError(`--recipient is required: policy '${policy.name}' has ${policy.recipients.map((r) => r.name).join(', ')}`, { field: 'recipient' });
}

/**
 * Makes sure every key the recipient's rules name is in the store: missing
 * ones are created with `--create-keys`, otherwise the run stops before
 * anything is written.
 */
function ensureKeys(store: KeyStore, policy: Policy, recipient: string, create: boolean, file: string, note: (m: string) => void): void {
  const section = policy.recipients.find((r) => r.name === recipient);
  if (section === undefined) return;
  const aliases = [section.default, ...section.rules.map((r) => r.action)].flatMap((a) => ('key' in a ? [a.key] : []));
  const missing = [...new Set(aliases.map((alias) => policy.keys[alias] ?? alias))].filter((name) => !store.has(name));
  if (missing.length === 0) return;
  if (!create) {
    throw new InputError(`key${missing.length === 1 ? '' : 's'} ${missing.map((k) => `'${k}'`).join(', ')} not in ${file}; create with \`waggle privacy keys add NAME\` or pass --create-keys`, { field: 'keys' });
  }
  for (const name of missing) {
    store.add(name);
    note(`created key '${name}' in ${file}`);
  }
}

/** JSON from `file`, or from standard input when there is none. */
function readJson(file: string | undefined, what: string): unknown {
  const from = file ?? 'standard input';
  let text: string;
  try {
    text = readFileSync(file ?? 0, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${what} from ${from}: ${(error as Error).message}`, { field: 'input' });
  }
  if (text.trim() === '') throw new InputError(`no ${what} on ${from}`, { field: 'input' });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${from} is not JSON: ${(error as Error).message}`, { field: 'input' });
  }
}

const isEvent = (x: unknown): x is MispEventJson => typeof x === 'object' && x !== null && !Array.isArray(x);

/** One event, an array of events, or `{"response": [...]}` (what `waggle export` and MISP's restSearch write). */
export function eventsOf(input: unknown): { events: MispEventJson[]; shape: 'one' | 'array' | 'response' } {
  const response = isEvent(input) && Array.isArray((input as { response?: unknown }).response) ? ((input as { response: unknown[] }).response) : undefined;
  const list = Array.isArray(input) ? input : response;
  if (list === undefined) {
    if (!isEvent(input)) throw new InputError('expected a MISP event, an array of events or {"response": [...]}', { field: 'input' });
    return { events: [input], shape: 'one' };
  }
  list.forEach((e, i) => {
    if (!isEvent(e)) throw new InputError(`item ${i} is not a MISP event object`, { field: 'input' });
  });
  return { events: list as MispEventJson[], shape: Array.isArray(input) ? 'array' : 'response' };
}

/**
 * `waggle anonymize`, `waggle privacy keys list|add|rotate` and
 * `waggle privacy utility`: the anonymiser at the command line.
 */
export function registerAnonymizeCommands(program: Command, withStore: WithStore): void {
  const note = (m: string): void => {
    process.stderr.write(`${m}\n`);
  };

  withStore(
    program
      .command('anonymize')
      .description('anonymise MISP events from stdin for one recipient of a policy; writes them to stdout')
      .option('--input <file>', 'read the events from a file instead of stdin')
      .option('--policy <file>', 'policy file, YAML or JSON (default: the built-in policy)')
      .option('--recipient <name>', "the policy's recipient section (default: 'default', or the only one)")
      .option('--dry-run', 'print what would happen to each value instead of the events')
      .option('--keys <file>', 'key store file (default: <data dir>/privacy-keys.json)')
      .option('--create-keys', 'create keys the policy names that the key store lacks')
      .option('--keep-info', "with the built-in policy: send the events' titles (info) as written"),
  ).action((_opts: AnonymizeOpts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<AnonymizeOpts>();
    const policy = policyOf(opts);
    const recipient = recipientOf(policy, opts.recipient);
    const { events, shape } = eventsOf(readJson(opts.input, 'MISP event JSON'));
    const file = keyFilePath(opts);
    const keys = openKeys(opts);
    ensureKeys(keys, policy, recipient, opts.createKeys === true, file, note);
    const anonymizer = createAnonymizer({ keys, now: () => new Date() });
    if (opts.dryRun === true) {
      const previews = events.map((e) => anonymizer.preview(e, policy, recipient));
      process.stdout.write(`${JSON.stringify(shape === 'one' ? previews[0] : previews, null, 2)}\n`);
      return;
    }
    const results = events.map((e) => anonymizer.anonymizeEvent(e, policy, recipient));
    for (const { report } of results) {
      const a = report.attributes;
      const failed = report.suppressed.filter((s) => s.failed).length;
      note(
        report.alreadyAnonymised
          ? `event already anonymised under ${report.policy}/${report.recipient}: unchanged`
          : `anonymised for ${report.policy}/${report.recipient}: ${a.kept} kept, ${a.transformed} transformed, ${a.suppressed} suppressed${failed > 0 ? ` (${failed} values a technique could not handle)` : ''}`,
      );
    }
    const out = results.map((r) => r.event);
    process.stdout.write(`${JSON.stringify(shape === 'one' ? out[0] : shape === 'array' ? out : { response: out })}\n`);
  });

  const privacy = program.commands.find((c) => c.name() === 'privacy') ?? program.command('privacy').description('anonymisation keys, policies and differential privacy');
  const keysCmd = privacy.commands.find((c) => c.name() === 'keys') ?? privacy.command('keys').description('keys of the anonymiser (names and versions; material stays in the key file)');
  const keyOption = (c: Command): Command => withStore(c.option('--keys <file>', 'key store file (default: <data dir>/privacy-keys.json)'));

  keyOption(keysCmd.command('list').description('list keys and their versions')).action((_opts: KeyOpts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<KeyOpts>();
    const list = openKeys(opts).list();
    if (list.length === 0) note(`no keys in ${keyFilePath(opts)}`);
    for (const k of list) process.stdout.write(`${k.name}\tversion ${k.version}\t(${k.versions.map((v) => `v${v.version} ${v.created}`).join(', ')})\n`);
  });

  keyOption(keysCmd.command('add').argument('<name>', 'key name, as policies name it under `keys`').description('create a new random key')).action((name: string, _opts: KeyOpts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<KeyOpts>();
    const info = openKeys(opts).add(name);
    note(`created key '${info.name}' version ${info.version} in ${keyFilePath(opts)}`);
  });

  keyOption(keysCmd.command('rotate').argument('<name>', 'key name').description('add a new version of a key (old versions are kept)')).action((name: string, _opts: KeyOpts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<KeyOpts>();
    const info = openKeys(opts).rotate(name);
    note(`key '${info.name}' is now at version ${info.version}; earlier versions are kept`);
  });

  withStore(
    privacy
      .command('utility')
      .description('how useful events stay for a recipient: kept/transformed/suppressed, correlations, to_ids (events on stdin)')
      .option('--input <file>', 'read the events from a file instead of stdin')
      .option('--policy <file>', 'policy file, YAML or JSON (default: the built-in policy)')
      .option('--recipient <name>', "the policy's recipient section (default: 'default', or the only one)")
      .option('--keys <file>', 'key store file (default: <data dir>/privacy-keys.json)')
      .option('--create-keys', 'create keys the policy names that the key store lacks')
      .option('--json', 'print the report as JSON instead of a table'),
  ).action((_opts: UtilityOpts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<UtilityOpts>();
    const policy = policyOf(opts);
    const recipient = recipientOf(policy, opts.recipient);
    const { events } = eventsOf(readJson(opts.input, 'MISP events'));
    const keys = openKeys(opts);
    ensureKeys(keys, policy, recipient, opts.createKeys === true, keyFilePath(opts), note);
    const report = utilityReport(events, policy, recipient, { keys, now: () => new Date() });
    process.stdout.write(opts.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${formatUtilityTable(report)}\n`);
  });
}
