import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { InputError } from '@waggle/errors';
import { parseDocument, LineCounter } from 'yaml';
import { z } from 'zod';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../rules/rule-engine.js';
import { DEFAULT_DECOY_SETTINGS, type DecoySettings } from '../response/decoy-responder.js';

const portRange = z.string().regex(/^\d+(-\d+)?(,\s*\d+(-\d+)?)*$/, 'ports are "N" or "N-M", comma separated');

const schema = z.strictObject({
  host: z.string().min(1).optional(),
  state_dir: z.string().min(1),
  waggle: z.strictObject({ url: z.url(), key: z.string().length(40).optional(), key_file: z.string().optional(), distribution: z.number().int().min(0).max(4).default(0) }).optional(),
  auth_logs: z.array(z.string().min(1)).default([]),
  journal_files: z.array(z.string().min(1)).default([]),
  firewall_logs: z.array(z.string().min(1)).default([]),
  file_integrity: z.strictObject({ paths: z.array(z.string().min(1)).min(1), interval_seconds: z.number().int().min(1).default(300), max_files: z.number().int().min(1).default(100_000) }).optional(),
  sockets: z.strictObject({ interval_seconds: z.number().int().min(1).default(30), proc_root: z.string().default('/proc') }).optional(),
  inventory: z.strictObject({ dpkg_status: z.string().default('/var/lib/dpkg/status'), interval_seconds: z.number().int().min(1).default(3600) }).optional(),
  rules: z.strictObject({
    brute_force_threshold: z.number().int().min(1).optional(),
    brute_force_window_seconds: z.number().int().min(1).optional(),
    success_after_failures: z.number().int().min(1).optional(),
    success_window_seconds: z.number().int().min(1).optional(),
    repeat_seconds: z.number().int().min(0).optional(),
  }).optional(),
  responses: z.strictObject({
    decoys: z.boolean().default(false),
    decoy_host: z.string().default(DEFAULT_DECOY_SETTINGS.host),
    decoy_ports: portRange.default('1024-65535'),
    max_decoys: z.number().int().min(1).max(50).default(DEFAULT_DECOY_SETTINGS.maxInstances),
    decoy_lifetime_seconds: z.number().int().min(10).default(DEFAULT_DECOY_SETTINGS.lifetimeSeconds),
    fallback_profile: z.string().optional(),
    redirect: z.enum(['off', 'dry-run', 'on']).default('off'),
    redirect_port: z.number().int().min(1).max(65535).default(DEFAULT_DECOY_SETTINGS.redirectPort),
    profiles_dir: z.string().optional(),
  }).optional(),
  risk: z.strictObject({ osv: z.string().min(1), kev: z.string().optional(), epss: z.string().optional(), release: z.string().optional(), sector: z.string().optional(), interval_seconds: z.number().int().min(60).default(3600) }).optional(),
  poll_interval_ms: z.number().int().min(50).default(1000),
  report_interval_seconds: z.number().int().min(1).default(10),
});

/** The agent's configuration, validated, with paths made absolute. */
export interface AgentConfig {
  readonly host: string;
  readonly stateDir: string;
  readonly waggle?: { readonly url: string; readonly key?: string; readonly keyFile?: string; readonly distribution: number };
  readonly authLogs: readonly string[];
  readonly journalFiles: readonly string[];
  readonly firewallLogs: readonly string[];
  readonly fileIntegrity?: { readonly paths: readonly string[]; readonly intervalSeconds: number; readonly maxFiles: number };
  readonly sockets?: { readonly intervalSeconds: number; readonly procRoot: string };
  readonly inventory?: { readonly dpkgStatus: string; readonly intervalSeconds: number };
  readonly rules: RuleSettings;
  readonly decoys: DecoySettings & { readonly profilesDir?: string };
  /** The host's compromise probability, reported to waggle as a risk event (needs `inventory` and `waggle`). */
  readonly risk?: { readonly osv: string; readonly kev?: string; readonly epss?: string; readonly release?: string; readonly sector?: string; readonly intervalSeconds: number };
  readonly pollIntervalMs: number;
  readonly reportIntervalSeconds: number;
}

function parsePorts(text: string): { from: number; to: number }[] {
  return text.split(',').map((s) => {
    const [a, b] = s.trim().split('-');
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    if (from < 1 || to > 65535 || from > to) throw new InputError(`responses.decoy_ports: "${s.trim()}" is not a port range`, { field: 'responses.decoy_ports' });
    return { from, to };
  });
}

/**
 * Parses a YAML (or JSON, which is YAML) agent configuration. Every problem is
 * reported at once with its line; relative paths are taken from the file's folder.
 */
export function parseAgentConfig(text: string, file: string): AgentConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new InputError(`${file}: ${doc.errors.map((e) => `line ${String(lines.linePos(e.pos[0]).line)}: ${e.message.split('\n')[0] ?? ''}`).join('; ')}`, { field: 'config' });
  }
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const node = doc.getIn(i.path as (string | number)[], true) as { range?: [number, number] } | undefined;
      const where = node?.range !== undefined ? `line ${String(lines.linePos(node.range[0]).line)}: ` : '';
      return `${where}${i.path.join('.') || '(top)'}: ${i.message}`;
    });
    throw new InputError(`${file}: invalid agent configuration:\n  - ${problems.join('\n  - ')}`, { field: 'config' });
  }
  const c = parsed.data;
  const base = dirname(resolve(file));
  const abs = (p: string): string => resolve(base, p);
  const r = c.rules ?? {};
  const d = c.responses;
  if (c.waggle !== undefined && c.waggle.key === undefined && c.waggle.key_file === undefined) throw new InputError(`${file}: waggle needs key or key_file`, { field: 'waggle.key' });
  if (c.risk !== undefined && (c.inventory === undefined || c.waggle === undefined)) throw new InputError(`${file}: risk needs the inventory and waggle sections`, { field: 'risk' });
  const rk = c.risk;
  return {
    host: c.host ?? hostname(),
    stateDir: abs(c.state_dir),
    ...(c.waggle !== undefined ? { waggle: { url: c.waggle.url, distribution: c.waggle.distribution, ...(c.waggle.key !== undefined ? { key: c.waggle.key } : {}), ...(c.waggle.key_file !== undefined ? { keyFile: abs(c.waggle.key_file) } : {}) } } : {}),
    authLogs: c.auth_logs.map(abs),
    journalFiles: c.journal_files.map(abs),
    firewallLogs: c.firewall_logs.map(abs),
    ...(c.file_integrity !== undefined ? { fileIntegrity: { paths: c.file_integrity.paths.map(abs), intervalSeconds: c.file_integrity.interval_seconds, maxFiles: c.file_integrity.max_files } } : {}),
    ...(c.sockets !== undefined ? { sockets: { intervalSeconds: c.sockets.interval_seconds, procRoot: c.sockets.proc_root } } : {}),
    ...(c.inventory !== undefined ? { inventory: { dpkgStatus: abs(c.inventory.dpkg_status), intervalSeconds: c.inventory.interval_seconds } } : {}),
    rules: {
      bruteForceThreshold: r.brute_force_threshold ?? DEFAULT_RULE_SETTINGS.bruteForceThreshold,
      bruteForceWindowSeconds: r.brute_force_window_seconds ?? DEFAULT_RULE_SETTINGS.bruteForceWindowSeconds,
      successAfterFailures: r.success_after_failures ?? DEFAULT_RULE_SETTINGS.successAfterFailures,
      successWindowSeconds: r.success_window_seconds ?? DEFAULT_RULE_SETTINGS.successWindowSeconds,
      repeatSeconds: r.repeat_seconds ?? DEFAULT_RULE_SETTINGS.repeatSeconds,
    },
    decoys: d === undefined
      ? DEFAULT_DECOY_SETTINGS
      : {
          enabled: d.decoys,
          host: d.decoy_host,
          ports: parsePorts(d.decoy_ports),
          maxInstances: d.max_decoys,
          lifetimeSeconds: d.decoy_lifetime_seconds,
          redirect: d.redirect,
          redirectPort: d.redirect_port,
          ...(d.fallback_profile !== undefined ? { fallbackProfile: d.fallback_profile } : {}),
          ...(d.profiles_dir !== undefined ? { profilesDir: abs(d.profiles_dir) } : {}),
        },
    ...(rk !== undefined
      ? { risk: { osv: abs(rk.osv), intervalSeconds: rk.interval_seconds, ...(rk.kev !== undefined ? { kev: abs(rk.kev) } : {}), ...(rk.epss !== undefined ? { epss: abs(rk.epss) } : {}), ...(rk.release !== undefined ? { release: rk.release } : {}), ...(rk.sector !== undefined ? { sector: rk.sector } : {}) } }
      : {}),
    pollIntervalMs: c.poll_interval_ms,
    reportIntervalSeconds: c.report_interval_seconds,
  };
}
