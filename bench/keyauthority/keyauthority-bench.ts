import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { createAbeWorkerPool, createBackend, createFame, systemRandom } from '@waggle/abe';
import {
  GENESIS_HASH, createJwtClaimsVerifier, createKeyAuthority, createKeyAuthorityServer, inProcessKeygen, initAuthorityDir, listenKeyAuthority, logHash,
  openAuthorityDir, requestKey, verifyChain, workerPoolKeygen, type Keygen, type LogEntry, type LogRecord,
} from '@waggle/keyauthority';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { percentile, round } from '../lib/stats.js';
import { formatTable, thousands } from '../lib/table.js';

const USAGE = `usage: npm run bench -- keyauthority [--requests 200] [--concurrency 4] [--workers 1] [--chain 100k]
  --requests     key requests per run (OIDC ID token → key over HTTP on 127.0.0.1) (default 200)
  --concurrency  requests in flight in the concurrent run (default 4)
  --workers      key-generation threads of the service; 0 = main thread (default 1, as \`serve\`)
  --chain        issuance-log rows for the hash-chain verification timing (default 100k)`;

/**
 * Issuance end to end: each request carries a fresh ES256 ID token (verified against the
 * issuer's JWKS), gets 7 attributes (user, org, email, role, two org attributes, epoch) and
 * a FAME key generated from the master secret, and one hash-chained SQLite log row.
 */
export async function runKeyauthorityBench(argv: readonly string[]): Promise<number> {
  const { positional, named } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = [...named.keys()].filter((k) => !['requests', 'concurrency', 'workers', 'chain'].includes(k));
  if (unknown.length > 0 || positional.length > 0) {
    process.stderr.write(`unexpected arguments: ${[...unknown.map((k) => `--${k}`), ...positional].join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const opt = (name: string, fallback: string): string => {
    const v = named.get(name);
    return typeof v === 'string' ? v : fallback;
  };
  const requests = parseCount(opt('requests', '200'), 'requests');
  const concurrency = parseCount(opt('concurrency', '4'), 'concurrency');
  const workers = Number(opt('workers', '1'));
  const chainRows = parseCount(opt('chain', '100k'), 'chain');
  if (!Number.isInteger(workers) || workers < 0 || workers > 16) throw new Error('--workers must be 0 to 16');

  process.stdout.write(`${describeMachine(machineInfo(process.cwd(), import.meta.resolve('@waggle/keyauthority')))}\nload:    ${loadavg().map((l) => l.toFixed(1)).join(' ')} (1/5/15 min)\n\n`);
  const folder = mkdtempSync(join(tmpdir(), 'ka-bench-'));
  const fame = createFame({ backend: await createBackend('mcl'), random: systemRandom });
  initAuthorityDir({ dir: join(folder, 'a'), fame, epochPeriod: 'month' });
  const dir = openAuthorityDir(join(folder, 'a'));
  const pool = workers > 0 ? createAbeWorkerPool({ size: workers, backend: 'mcl' }) : undefined;
  try {
    dir.store.setOrgAttributes('acme', ['country:BE', 'sector:energy'], new Date().toISOString());
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] };
    const issuer = 'https://idp.bench.example';
    const keygen: Keygen = pool === undefined ? inProcessKeygen(fame, dir.masterSecret) : workerPoolKeygen(pool, dir.masterSecret);
    const now = (): Date => new Date();
    const authority = createKeyAuthority({ store: dir.store, keygen, now, epochPeriod: dir.epochPeriod, maxPastEpochs: 12 });
    const verifier = createJwtClaimsVerifier({ issuer, keys: createLocalJWKSet(jwks), now });
    const app = createKeyAuthorityServer({ authority, verifier, publicParams: dir.publicParams, store: dir.store, isAdminToken: dir.isAdminToken });
    const server = await listenKeyAuthority(app, '127.0.0.1', 0);
    const token = (i: number): Promise<string> => new SignJWT({ org: 'acme', email: `user${String(i)}@acme.example`, role: 'cert' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(issuer).setSubject(`user${String(i)}`).setIssuedAt().setExpirationTime('5m').sign(privateKey);
    const one = async (i: number): Promise<number> => {
      const t = await token(i);
      const start = performance.now();
      await requestKey({ authority: server.url, credentials: { kind: 'bearer', token: t } });
      return performance.now() - start;
    };
    try {
      for (let i = 0; i < 10; i++) await one(-i - 1); // warm-up: JIT, wasm, worker start
      const rows: string[][] = [];
      const seqStart = performance.now();
      const seq: number[] = [];
      for (let i = 0; i < requests; i++) seq.push(await one(i));
      const seqSecs = (performance.now() - seqStart) / 1000;
      rows.push(['sequential', thousands(requests), String(round(percentile(seq, 50))), String(round(percentile(seq, 95))), String(round(requests / seqSecs, 1))]);
      const par: number[] = [];
      let next = 0;
      const parStart = performance.now();
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < requests) par.push(await one(requests + next++));
      }));
      const parSecs = (performance.now() - parStart) / 1000;
      rows.push([`${String(concurrency)} in flight`, thousands(requests), String(round(percentile(par, 50))), String(round(percentile(par, 95))), String(round(requests / parSecs, 1))]);
      process.stdout.write(`key issuance over HTTP (OIDC mode, 7 attributes, keygen ${pool === undefined ? 'on the main thread' : `on ${String(workers)} worker thread(s)`})\n`);
      process.stdout.write(`${formatTable(['run', 'requests', 'p50 ms', 'p95 ms', 'keys/s'], rows)}\n\n`);
    } finally {
      await server.close();
    }
    const entries: LogEntry[] = [];
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= chainRows; seq++) {
      const r: LogRecord = { at: '2026-12-02T12:00:00.000Z', outcome: 'issued', sub: `user${String(seq)}`, org: 'acme', attributes: ['country:BE', 'epoch:2026-12', 'org:acme', 'role:cert', 'sector:energy', `user:user${String(seq)}`], keyId: 'ab'.repeat(32), epoch: '2026-12', expiresAt: '2027-01-01T00:00:00.000Z', reason: null };
      const hash = logHash(seq, prev, r);
      entries.push({ ...r, seq, prevHash: prev, hash });
      prev = hash;
    }
    const vStart = performance.now();
    const verdict = verifyChain(entries);
    const vMs = performance.now() - vStart;
    process.stdout.write(`log chain verification: ${thousands(chainRows)} rows in ${String(round(vMs))} ms (${thousands(chainRows / (vMs / 1000))} rows/s), ${verdict.ok ? 'intact' : 'BROKEN'}\n`);
    return verdict.ok ? 0 : 1;
  } finally {
    await pool?.close();
    dir.store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
