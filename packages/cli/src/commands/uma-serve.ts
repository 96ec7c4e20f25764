import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '@waggle/errors';
import { createUmaServer, openSqliteUmaStore, type TrustedIssuer } from '@waggle/uma';

/** Raw `waggle uma serve` options. */
export interface UmaServeOpts { db: string; issuer?: string; host?: string; port?: string; trust?: string; claimsInteraction?: boolean; rptLifetime?: string }

/** Validated settings of `waggle uma serve`. */
export interface UmaServeConfig {
  readonly db: string;
  readonly host: string;
  readonly port: number;
  readonly issuer: string;
  readonly trustedIssuers: readonly TrustedIssuer[];
  readonly claimsInteraction: boolean;
  readonly rptLifetimeSec: number;
}

function readTrust(file: string, problems: string[]): TrustedIssuer[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`--trust ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
  const list = (raw as { issuers?: unknown } | null)?.issuers;
  if (!Array.isArray(list)) {
    problems.push(`--trust ${file}: expected {"issuers": [{"issuer", "jwks_uri" | "jwks", "audience"?}]}`);
    return [];
  }
  return list.flatMap((t: unknown, i): TrustedIssuer[] => {
    const o = t as { issuer?: unknown; jwks_uri?: unknown; jwks?: unknown; audience?: unknown } | null;
    if (typeof o?.issuer !== 'string' || (typeof o.jwks_uri !== 'string' && typeof o.jwks !== 'object')) {
      problems.push(`--trust ${file}: issuers[${i}] needs "issuer" and "jwks_uri" or "jwks"`);
      return [];
    }
    return [{ issuer: o.issuer, ...(typeof o.jwks_uri === 'string' ? { jwksUri: o.jwks_uri } : { jwks: o.jwks as TrustedIssuer['jwks'] & object }), ...(typeof o.audience === 'string' ? { audience: o.audience } : {}) }];
  });
}

/** Checks the options, reporting every problem at once. */
export function umaServeConfig(o: UmaServeOpts): UmaServeConfig {
  const problems: string[] = [];
  const port = Number(o.port ?? '8090');
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--port must be 0-65535, got "${String(o.port)}"`);
  const rpt = Number(o.rptLifetime ?? '300');
  if (!Number.isInteger(rpt) || rpt < 10 || rpt > 86_400) problems.push(`--rpt-lifetime must be 10-86400 seconds, got "${String(o.rptLifetime)}"`);
  const host = o.host ?? '127.0.0.1';
  const issuer = (o.issuer ?? `http://${host}:${String(port)}`).replace(/\/$/, '');
  if (!URL.canParse(issuer)) problems.push(`--issuer must be a URL, got "${issuer}"`);
  else if (new URL(issuer).protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(issuer).hostname)) problems.push('--issuer must use https unless it is a loopback address');
  if (o.trust !== undefined && !existsSync(o.trust)) problems.push(`--trust ${o.trust} does not exist`);
  const trustedIssuers = o.trust === undefined || !existsSync(o.trust) ? [] : readTrust(o.trust, problems);
  if (problems.length > 0) throw new InputError(problems.join('; '));
  return { db: o.db, host, port, issuer, trustedIssuers, claimsInteraction: o.claimsInteraction !== false, rptLifetimeSec: rpt };
}

/** Runs the AS until `stopped` settles; returns the address it listened on through `onListening`. */
export async function serveUma(config: UmaServeConfig, stopped: Promise<void>, onListening: (url: string) => void): Promise<void> {
  const store = openSqliteUmaStore(config.db);
  try {
    const server = createUmaServer({ issuer: config.issuer, store, trustedIssuers: config.trustedIssuers, claimsInteraction: config.claimsInteraction, rptLifetimeSec: config.rptLifetimeSec });
    await server.keys.active();
    const url = await server.app.listen({ host: config.host, port: config.port });
    onListening(url);
    await stopped;
    await server.app.close();
  } finally {
    store.close();
  }
}
