import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '@waggle/errors';
import { Secret } from '@waggle/errors';

/** Everything the platform reads from flags and the environment, validated once. */
export interface Config {
  readonly home: string;
  readonly host: string;
  readonly port: number;
  /** SQLite file path or postgres:// URL. */
  readonly database: Secret;
  readonly bus: Secret | undefined;
  readonly adminKey: Secret | undefined;
  readonly adminEmail: string;
  readonly orgName: string;
  readonly correlationCap: number;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  /** Seconds between scheduled pulls/pushes with the configured servers; 0 turns the schedule off. */
  readonly syncIntervalSeconds: number;
  /** Seconds between scheduled fetches of enabled feeds; 0 turns the schedule off. */
  readonly feedIntervalSeconds: number;
  /** SQLite page cache in MiB. */
  readonly sqliteCacheMiB: number;
  /** Anonymisation policy applied on outbound paths (YAML or JSON); undefined = off. */
  readonly privacyPolicy: string | undefined;
  /** The key store the policy names keys in (JSON file, mode 0600). */
  readonly privacyKeys: string;
  /** UMA 2.0 configuration file (JSON, see ADR 0013); undefined = MISP auth keys only. */
  readonly umaConfig: string | undefined;
}

/** Raw options (flags win over environment variables). */
export interface ConfigInput {
  readonly listen?: string;
  readonly data?: string;
  readonly database?: string;
  readonly bus?: string;
  readonly logLevel?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration; reports every problem at once. */
export function readConfig(input: ConfigInput, env: Env): Config {
  const problems: string[] = [];
  const home = resolve(input.data ?? env.WAGGLE_HOME ?? '.waggle');
  const listen = input.listen ?? env.WAGGLE_LISTEN ?? '127.0.0.1:8080';
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]+):([0-9]{1,5})$/.exec(listen);
  const host = m?.[1]?.replace(/^\[|\]$/g, '') ?? '';
  const port = Number(m?.[2] ?? Number.NaN);
  if (m === null || !Number.isInteger(port) || port > 65535) problems.push(`--listen must be HOST:PORT (got "${listen}")`);
  const database = input.database ?? env.WAGGLE_DATABASE_URL ?? join(home, 'waggle.sqlite');
  const bus = input.bus ?? env.WAGGLE_BUS_URL;
  if (bus !== undefined && bus !== '' && !/^nats:\/\//.test(bus)) problems.push(`--bus must be a nats:// URL (got "${bus}")`);
  const adminKey = env.WAGGLE_ADMIN_KEY;
  if (adminKey !== undefined && adminKey !== '' && !/^[A-Za-z0-9]{40}$/.test(adminKey)) problems.push('WAGGLE_ADMIN_KEY must be 40 letters and digits');
  const cap = Number(env.WAGGLE_CORRELATION_CAP ?? '20');
  if (!Number.isInteger(cap) || cap < 1) problems.push('WAGGLE_CORRELATION_CAP must be a positive integer');
  const bodyMb = Number(env.WAGGLE_BODY_LIMIT_MB ?? '64');
  if (!Number.isFinite(bodyMb) || bodyMb <= 0) problems.push('WAGGLE_BODY_LIMIT_MB must be a positive number');
  const syncInterval = Number(env.WAGGLE_SYNC_INTERVAL ?? '300');
  if (!Number.isInteger(syncInterval) || syncInterval < 0) problems.push('WAGGLE_SYNC_INTERVAL must be a whole number of seconds (0 = off)');
  const feedInterval = Number(env.WAGGLE_FEED_INTERVAL ?? '3600');
  if (!Number.isInteger(feedInterval) || feedInterval < 0) problems.push('WAGGLE_FEED_INTERVAL must be a whole number of seconds (0 = off)');
  const cacheMb = Number(env.WAGGLE_SQLITE_CACHE_MB ?? '32');
  if (!Number.isFinite(cacheMb) || cacheMb < 2) problems.push('WAGGLE_SQLITE_CACHE_MB must be a number of MiB, at least 2');
  const policyPath = env.WAGGLE_PRIVACY_POLICY;
  const privacyPolicy = policyPath === undefined || policyPath === '' ? (existsSync(join(home, 'privacy-policy.yaml')) ? join(home, 'privacy-policy.yaml') : undefined) : resolve(policyPath);
  if (privacyPolicy !== undefined && !existsSync(privacyPolicy)) problems.push(`WAGGLE_PRIVACY_POLICY: no such file ${privacyPolicy}`);
  const umaPath = env.WAGGLE_UMA_CONFIG;
  const umaConfig = umaPath === undefined || umaPath === '' ? undefined : resolve(umaPath);
  if (umaConfig !== undefined && !existsSync(umaConfig)) problems.push(`WAGGLE_UMA_CONFIG: no such file ${umaConfig}`);
  if (problems.length > 0) throw new InputError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    home,
    host,
    port,
    database: new Secret(database),
    bus: bus === undefined || bus === '' ? undefined : new Secret(bus),
    adminKey: adminKey === undefined || adminKey === '' ? undefined : new Secret(adminKey),
    adminEmail: env.WAGGLE_ADMIN_EMAIL ?? 'admin@waggle.local',
    orgName: env.WAGGLE_ORG_NAME ?? 'ORGNAME',
    correlationCap: cap,
    logLevel: input.logLevel ?? env.WAGGLE_LOG_LEVEL ?? 'info',
    bodyLimitBytes: Math.floor(bodyMb * 1024 * 1024),
    syncIntervalSeconds: syncInterval,
    feedIntervalSeconds: feedInterval,
    sqliteCacheMiB: cacheMb,
    privacyPolicy,
    privacyKeys: resolve(env.WAGGLE_PRIVACY_KEYS ?? join(home, 'privacy-keys.json')),
    umaConfig,
  };
}
