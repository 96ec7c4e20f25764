import { createServer } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  addClient, createResourceServerClient, createUmaServer, enforceUma, ID_TOKEN_FORMAT, openSqliteUmaStore, requestRpt,
} from '@waggle/uma';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { percentile, round } from '../lib/stats.js';
import { formatTable } from '../lib/table.js';

const USAGE = `usage: npm run bench -- uma [--verify 20000] [--introspect 300] [--tokens 600] [--concurrency 8]
  --verify       RPT verifications at the resource server (local JWT check, cached JWKS)
  --introspect   introspection round trips, for comparison with the local check
  --tokens       UMA grant requests at the token endpoint (each with a fresh ticket and an ID token)
  --concurrency  token requests in flight at once`;

/** The target for the added latency of a UMA-protected call with a cached RPT. */
const TARGET_P50_MS = 2;

/** A free loopback port: the AS needs its issuer URL before it listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

const ms = (values: number[], p: number): string => round(percentile(values, p), 3).toFixed(3);

/** AS-side micro-benchmarks of @waggle/uma: RPT verification at the RS and token endpoint throughput. */
export async function runUmaBench(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['help']));
  if (args.named.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const count = (name: string, fallback: string): number => {
    const v = args.named.get(name);
    return parseCount(typeof v === 'string' ? v : fallback, name);
  };
  const nVerify = count('verify', '20000');
  const nIntrospect = count('introspect', '300');
  const nTokens = count('tokens', '600');
  const concurrency = count('concurrency', '8');

  const idpKey = await generateKeyPair('ES256', { extractable: true });
  const idp = { issuer: 'https://idp.bench', jwks: { keys: [{ ...(await exportJWK(idpKey.publicKey)), kid: 'k1', alg: 'ES256' }] } };
  const idToken = (sub: string): Promise<string> => new SignJWT({ org: 'ACME' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(idp.issuer).setSubject(sub).setAudience('uma').setIssuedAt().setExpirationTime('10m').sign(idpKey.privateKey);

  const store = openSqliteUmaStore(':memory:');
  const port = await freePort();
  const server = createUmaServer({ issuer: `http://127.0.0.1:${port}`, store, trustedIssuers: [idp] });
  await server.app.listen({ host: '127.0.0.1', port });
  try {
    const rsCreds = addClient(store, { name: 'rs', owner: 'alice', clientId: 'rs' });
    const appCreds = addClient(store, { name: 'app', clientId: 'app' });
    const rs = createResourceServerClient({ asUri: `http://127.0.0.1:${port}`, clientId: 'rs', clientSecret: rsCreds.clientSecret });
    const { _id: resourceId } = await rs.registerResource({ name: 'event', resource_scopes: ['read'] });
    await rs.setPolicy(resourceId, { rules: [{ scopes: ['read'], allow: [{ org: 'ACME' }] }] });
    const tokenEndpoint = (await rs.discovery()).token_endpoint;
    const grant = async (ticket: string, claimToken: string): Promise<string> => {
      const r = await requestRpt({ tokenEndpoint, clientId: 'app', clientSecret: appCreds.clientSecret, ticket, claimToken, claimTokenFormat: ID_TOKEN_FORMAT });
      if (!r.ok) throw new Error(`token endpoint answered ${r.error}: ${r.description}`);
      return r.rpt;
    };
    const rpt = await grant(await rs.createTicket(resourceId, ['read']), await idToken('bench'));

    // 1. Local RPT verification (what enforceUma does per request once the JWKS is cached).
    const guard = enforceUma({ rs, realm: 'bench', resourceIdFor: () => resourceId, scopeFor: () => 'read' });
    const request = { headers: { authorization: `Bearer ${rpt}` } };
    for (let i = 0; i < 500; i++) await guard(request);
    const verify: number[] = [];
    for (let i = 0; i < nVerify; i++) {
      const t = performance.now();
      const d = await guard(request);
      verify.push(performance.now() - t);
      if (!d.allow) throw new Error('the RPT was refused during the benchmark');
    }
    const introspect: number[] = [];
    for (let i = 0; i < nIntrospect; i++) {
      const t = performance.now();
      if (!(await rs.introspect(rpt)).active) throw new Error('introspection said inactive');
      introspect.push(performance.now() - t);
    }

    // 2. Token endpoint: tickets and ID tokens prepared first, then only grant requests are timed.
    const jobs: { ticket: string; token: string }[] = [];
    for (let i = 0; i < nTokens; i++) jobs.push({ ticket: await rs.createTicket(resourceId, ['read']), token: await idToken(`user-${i}`) });
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let job = jobs[next++]; job !== undefined; job = jobs[next++]) {
        const t = performance.now();
        await grant(job.ticket, job.token);
        latencies.push(performance.now() - t);
      }
    }));
    const seconds = (performance.now() - started) / 1000;

    process.stdout.write(`${describeMachine(machineInfo(process.cwd()))}\n\n`);
    process.stdout.write(formatTable(['measure', 'n', 'p50 ms', 'p99 ms'], [
      ['RS: enforceUma with cached RPT (local EdDSA verify)', String(nVerify), ms(verify, 50), ms(verify, 99)],
      ['RS: introspection round trip (HTTP, for comparison)', String(nIntrospect), ms(introspect, 50), ms(introspect, 99)],
      [`AS: UMA grant with ID token (${concurrency} in flight)`, String(nTokens), ms(latencies, 50), ms(latencies, 99)],
    ]));
    process.stdout.write(`\ntoken endpoint throughput: ${round(nTokens / seconds, 0)} RPT/s (${concurrency} concurrent clients, ID token verified per request)\n`);
    const p50 = percentile(verify, 50);
    process.stdout.write(`target: RPT check p50 <= ${TARGET_P50_MS} ms: ${p50 <= TARGET_P50_MS ? 'met' : 'MISSED'} (${round(p50, 3)} ms)\n`);
    return 0;
  } finally {
    await server.app.close();
    store.close();
  }
}
