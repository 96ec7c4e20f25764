import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { Secret } from '@waggle/errors';
import { createAgent, createAlertReporter, createDecoyResponder, parseAgentConfig, privilegeLimitations, type AgentConfig, type DecoyResponder } from '@waggle/agent';
import { createCatalogue, createJsonLinesSink, createMispClient, DEFAULT_LIMITS, loadProfiles, startProfile } from '@waggle/honeypot';
import { randomBytes } from 'node:crypto';
import { computeRisk, hostRiskEvent, reportHostRisk, type HostOptions } from './risk-host.js';

const run = promisify(execFile);

/**
 * The host's compromise probability from its inventory (the risk engine, with
 * evidence from the same server), stored as the host's risk event. Failures are
 * logged and tried again at the next interval: the report is recomputed anyway.
 */
async function reportRisk(config: AgentConfig, key: Secret, log: (m: string) => void): Promise<void> {
  const risk = config.risk;
  const url = config.waggle?.url;
  if (risk === undefined || url === undefined || config.inventory === undefined) return;
  try {
    const opts: HostOptions = {
      osv: risk.osv,
      dpkgStatus: config.inventory.dpkgStatus,
      proc: true,
      host: config.host,
      evidenceFrom: url,
      ...(risk.kev !== undefined ? { kev: risk.kev } : {}),
      ...(risk.epss !== undefined ? { epss: risk.epss } : {}),
      ...(risk.release !== undefined ? { release: risk.release } : {}),
      ...(risk.sector !== undefined ? { sector: risk.sector } : {}),
    };
    const computed = await computeRisk(opts, (m) => log(`risk: ${m}`), undefined, key.reveal());
    const done = await reportHostRisk(url, key.reveal(), hostRiskEvent(config.host, computed.risk, new Date().toISOString().slice(0, 10)));
    log(`risk: compromise probability ${computed.risk.probability.toFixed(4)} reported (${done.action} event ${done.uuid})`);
  } catch (e) {
    log(`risk report failed: ${(e as Error).message}`);
  }
}

function loadConfig(file: string): AgentConfig {
  return parseAgentConfig(readFileSync(file, 'utf8'), file);
}

function keyOf(config: AgentConfig): Secret | undefined {
  const w = config.waggle;
  if (w === undefined) return undefined;
  return new Secret(w.key ?? readFileSync(w.keyFile as string, 'utf8').trim());
}

/** Decoys (when enabled): honeypot profiles started in this process, logging Cowrie JSON to the state folder. */
function decoyResponder(config: AgentConfig, log: (m: string) => void): DecoyResponder | undefined {
  if (!config.decoys.enabled && config.decoys.redirect === 'off') return undefined;
  const catalogue = createCatalogue(loadProfiles(config.decoys.profilesDir !== undefined ? [config.decoys.profilesDir] : []));
  const sink = createJsonLinesSink(join(config.stateDir, 'decoys.json'));
  return createDecoyResponder({
    settings: config.decoys,
    catalogue,
    now: () => new Date(),
    log,
    start: (profile, listen) =>
      startProfile(profile, listen, {
        sink,
        sensor: config.host,
        limits: DEFAULT_LIMITS,
        now: () => new Date(),
        sessionId: () => randomBytes(6).toString('hex'),
        hostKeyDir: join(config.stateDir, 'decoy-keys'),
        quarantineDir: join(config.stateDir, 'quarantine'),
      }),
    run: async (argv) => {
      await run(argv[0] as string, argv.slice(1));
    },
  });
}

/** `waggle agent run|check`: the host agent (see packages/agent/README.md). */
export function registerAgentCommands(program: Command): void {
  const agent = program.command('agent').description('host agent: watch this host, raise alerts, report them to waggle');

  agent
    .command('check')
    .requiredOption('--config <file>', 'agent configuration (YAML or JSON)')
    .description('validate the configuration and say what this user can and cannot watch')
    .action((opts: { config: string }) => {
      const config = loadConfig(opts.config);
      const limits = privilegeLimitations(config, process.getuid?.());
      process.stdout.write(`configuration ${opts.config} is valid (host ${config.host}, state in ${config.stateDir})\n`);
      process.stdout.write(limits.length === 0 ? 'everything configured can be watched\n' : `limitations:\n${limits.map((l) => `  - ${l}`).join('\n')}\n`);
    });

  agent
    .command('run')
    .requiredOption('--config <file>', 'agent configuration (YAML or JSON)')
    .option('--once', 'one round (read logs, scan, report) and exit')
    .option('--json', 'print alerts as JSON lines')
    .description('run the agent until SIGINT/SIGTERM')
    .action(async (opts: { config: string; once?: boolean; json?: boolean }) => {
      const config = loadConfig(opts.config);
      const log = (m: string): void => {
        process.stderr.write(`agent: ${m}\n`);
      };
      const key = keyOf(config);
      const reporter = createAlertReporter({
        ...(config.waggle !== undefined && key !== undefined ? { client: createMispClient({ url: config.waggle.url, key }) } : {}),
        spoolDir: join(config.stateDir, 'spool'),
        host: config.host,
        ...(config.waggle !== undefined ? { distribution: config.waggle.distribution } : {}),
        now: () => new Date(),
        log,
      });
      const responder = decoyResponder(config, log);
      const a = createAgent({
        config,
        reporter,
        ...(responder !== undefined ? { responder } : {}),
        now: () => new Date(),
        log,
        onAlert: (alert, actions) => {
          const line = opts.json === true
            ? JSON.stringify({ ...alert, time: alert.time.toISOString(), actions })
            : `${alert.time.toISOString()} ${alert.severity.toUpperCase()} ${alert.rule}: ${alert.message}${actions.map((x) => ` [${x.action}: ${x.detail}]`).join('')}`;
          process.stdout.write(`${line}\n`);
        },
      });
      for (const l of a.status().limitations) log(`limitation: ${l}`);
      if (opts.once === true) {
        if (key !== undefined) await reportRisk(config, key, log);
        await a.tick();
        await a.stop();
        const s = a.status();
        log(`${String(s.alerts)} alerts; ${String(s.spooled)} batches waiting in the spool`);
        return;
      }
      a.start();
      const riskTimer = key === undefined || config.risk === undefined ? undefined : setInterval(() => void reportRisk(config, key, log), config.risk.intervalSeconds * 1000);
      if (key !== undefined) void reportRisk(config, key, log);
      log(`watching ${config.host} (${[...config.authLogs, ...config.journalFiles, ...config.firewallLogs].length} logs${config.fileIntegrity !== undefined ? ', file integrity' : ''}${config.sockets !== undefined ? ', sockets' : ''}${config.inventory !== undefined ? ', inventory' : ''})`);
      await new Promise<void>((resolve) => {
        const done = (): void => resolve();
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      if (riskTimer !== undefined) clearInterval(riskTimer);
      await a.stop();
    });
}
