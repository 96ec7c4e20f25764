import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { isWaggleError } from '@waggle/errors';
import { readConfig, type ConfigInput } from './config.js';
import { terminalOutput } from './output.js';
import { openRuntime } from './runtime.js';
import { serveForever } from './commands/serve.js';
import { exportEvents, importEvents } from './commands/import-export.js';
import { importTemplates } from './commands/templates.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerFeedCommands } from './commands/feeds.js';
import { registerDataCommands } from './commands/data.js';
import { registerServerCommands } from './commands/servers.js';
import { adminPrincipal } from './commands/principal.js';
import { registerStixCommands } from './commands/stix.js';
import { registerReputationCommand } from './commands/reputation.js';
import { registerProvenanceCommand } from './commands/provenance.js';
import { registerAnonymizeCommands } from './commands/anonymize.js';
import { registerPrivacyReleaseCommands } from './commands/privacy-release.js';
import { registerRiskAptCommands } from './commands/risk-apt.js';
import { registerRiskHostCommands } from './commands/risk-host.js';
import { registerRiskWatchCommand } from './commands/risk-watch.js';
import { registerPrivacyCommands } from './commands/privacy.js';
import { registerHoneypotCommands } from './commands/honeypot.js';
import { registerIngestCommands } from './commands/ingest.js';
import { registerAbeCommands } from './commands/abe.js';
import { registerKeyAuthorityCommands } from './commands/keyauthority.js';
import { registerAgentCommands } from './commands/agent.js';
import { registerEnrichCommands } from './commands/enrich.js';
import { registerDetectCommands } from './commands/detect.js';
import { registerProtectCommands } from './commands/protect.js';
import { registerUmaCommands } from './commands/uma.js';
import { registerFindingCommands } from './commands/finding.js';

/** waggle's own version, from the CLI package's package.json. */
export function waggleVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

type Opts = ConfigInput & { progress?: boolean; out?: string };

/** Builds the `waggle` command tree. */
export function buildProgram(): Command {
  const version = waggleVersion();
  const program = new Command('waggle').description('Cooperative threat intelligence platform (MISP-compatible)').version(version);
  const withStore = (c: Command): Command =>
    c.option('--data <dir>', 'data folder (default ./.waggle or WAGGLE_HOME)').option('--database <url>', 'SQLite file or postgres:// URL (or WAGGLE_DATABASE_URL)').option('--bus <url>', 'nats:// URL for the event stream (or WAGGLE_BUS_URL)').option('--log-level <level>', 'info, debug, …');

  withStore(program.command('up').description('run the platform on http://127.0.0.1:8080 (what `npm start` runs)').option('--listen <host:port>', 'address to listen on (or WAGGLE_LISTEN; default 127.0.0.1:8080)')).action(async (opts: Opts) => {
    const config = readConfig(opts, process.env);
    await serveForever(config, terminalOutput(config.logLevel), version);
  });

  withStore(program.command('serve').description('run the threat-intelligence server').option('--listen <host:port>', 'address to listen on (or WAGGLE_LISTEN; default 127.0.0.1:8080)')).action(async (opts: Opts) => {
    const config = readConfig(opts, process.env);
    await serveForever(config, terminalOutput(config.logLevel), version);
  });

  withStore(program.command('import').argument('<path>', 'MISP JSON file, or a folder of them (a MISP feed folder works)').option('--no-progress', 'no progress bar').description('import MISP JSON events')).action(async (path: string, opts: Opts) => {
    const config = readConfig(opts, process.env);
    const out = terminalOutput(config.logLevel);
    const rt = await openRuntime(config, (m) => out.warn(m));
    try {
      const p = await adminPrincipal(rt);
      const s = await importEvents(rt, p, path, out, opts.progress !== false && process.stderr.isTTY);
      out.info(`imported: ${s.added} new, ${s.updated} updated, ${s.failed} failed, ${s.attributes} attributes, ${s.sightings} sightings`);
      if (s.failed > 0) process.exitCode = 1;
    } finally {
      await rt.close();
    }
  });

  withStore(program.command('export').option('--out <file>', 'write to a file instead of stdout').description('export every event as MISP JSON')).action(async (opts: Opts) => {
    const config = readConfig(opts, process.env);
    const out = terminalOutput(config.logLevel);
    const rt = await openRuntime(config, (m) => out.warn(m));
    try {
      const n = await exportEvents(rt, await adminPrincipal(rt), opts.out);
      out.info(`exported ${n} events`);
    } finally {
      await rt.close();
    }
  });

  const templates = program.command('templates').description('MISP object templates');
  withStore(templates.command('import').argument('<dir>', 'a misp-objects folder').description('add object templates (a running server reads them on POST objectTemplates/update, or at its next start)')).action((dir: string, opts: Opts) => {
    const config = readConfig(opts, process.env);
    const out = terminalOutput(config.logLevel);
    out.info(`imported ${importTemplates(config, dir, out)} templates into ${config.home}`);
  });

  registerAdminCommands(program, withStore);
  registerFeedCommands(program, withStore);
  registerDataCommands(program, withStore);
  registerStixCommands(program, withStore);
  registerReputationCommand(program, withStore);
  registerProvenanceCommand(program, withStore);
  registerAnonymizeCommands(program, withStore);
  registerRiskAptCommands(program);
  registerRiskHostCommands(program, withStore);
  registerRiskWatchCommand(program);
  registerServerCommands(program, withStore);
  registerPrivacyReleaseCommands(program);
  registerPrivacyCommands(program);
  registerHoneypotCommands(program);
  registerIngestCommands(program);
  registerAbeCommands(program);
  registerKeyAuthorityCommands(program);
  registerAgentCommands(program);
  registerEnrichCommands(program);
  registerDetectCommands(program);
  registerProtectCommands(program);
  registerUmaCommands(program);
  registerFindingCommands(program);
  return program;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    process.stderr.write(`waggle: ${isWaggleError(error) || error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
