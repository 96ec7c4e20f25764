import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConflictError, InputError, Secret } from '@waggle/errors';
import { createBackend, createFame, systemRandom } from '@waggle/abe';
import {
  createKeyAuthority, fetchEpoch, initAuthorityDir, openAuthorityDir, parseEpoch, requestKey, verifyChain, withEpoch, writeIssuedKey,
  type AuthorityDir, type KeyAuthority, type KeyCredentials,
} from '@waggle/keyauthority';
import { terminalOutput } from '../output.js';
import { serveConfig, startKeyAuthorityService, type ServeOpts } from './keyauthority-serve.js';
import { untilSignal } from './until-signal.js';

/*
 * `waggle keyauthority …`: the CP-ABE key authority. `init`/`serve`/`org`/`revoke`/`log`
 * work on the authority's folder (the operator's side); `request` and `policy` are the
 * requester's and encryptor's side and talk to a running authority over HTTP.
 */

const splitList = (list: string): string[] => list.split(',').map((a) => a.trim()).filter((a) => a !== '');


/** Opens the folder, runs `fn` with an authority core over it (no key generation), closes. */
async function withAuthority<T>(dirPath: string, fn: (authority: KeyAuthority, dir: AuthorityDir) => T | Promise<T>): Promise<T> {
  const dir = openAuthorityDir(dirPath);
  try {
    const keygen = (): never => {
      throw new InputError('key generation is the service\'s job (waggle keyauthority serve)');
    };
    return await fn(createKeyAuthority({ store: dir.store, keygen, now: () => new Date(), epochPeriod: dir.epochPeriod, maxPastEpochs: 0 }), dir);
  } finally {
    dir.store.close();
  }
}

function readToken(file: string, what: string): string {
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token !== '') return token;
  } catch (cause) {
    throw new InputError(`${what}: cannot read ${file} (${cause instanceof Error ? cause.message : String(cause)})`, { field: what });
  }
  throw new InputError(`${what}: ${file} is empty`, { field: what });
}

interface RequestOpts { authority: string; out: string; token?: string; umaClaimToken?: string; umaClientId?: string; umaClientSecret?: string; claimTokenFormat?: string; epoch?: string; force?: boolean; json?: boolean }

function credentialsOf(o: RequestOpts, env: NodeJS.ProcessEnv): KeyCredentials {
  if ((o.token === undefined) === (o.umaClaimToken === undefined)) throw new InputError('give exactly one of --token or --uma-claim-token', { field: 'token' });
  if (o.token !== undefined) return { kind: 'bearer', token: readToken(o.token, 'token') };
  const secret = o.umaClientSecret ?? env.WAGGLE_UMA_CLIENT_SECRET;
  if (o.umaClientId === undefined || secret === undefined) throw new InputError('UMA mode needs --uma-client-id and --uma-client-secret (or WAGGLE_UMA_CLIENT_SECRET)', { field: 'uma-client-id' });
  return {
    kind: 'uma', claimToken: readToken(o.umaClaimToken ?? '', 'uma-claim-token'), clientId: o.umaClientId, clientSecret: new Secret(secret),
    ...(o.claimTokenFormat === undefined ? {} : { claimTokenFormat: o.claimTokenFormat }),
  };
}

/** Registers `waggle keyauthority init|serve|org|revoke|revocations|log|request|policy`. */
export function registerKeyAuthorityCommands(program: Command): void {
  const ka = program.command('keyauthority').description('CP-ABE key authority: issues user keys from verified claims');
  const out = terminalOutput('info');
  const dirOption = (c: Command): Command => c.requiredOption('--dir <dir>', 'the authority folder (master secret, public parameters, store)');

  dirOption(ka.command('init').description('create an authority: ABE setup, master secret (0600), store; prints the admin token once').option('--epoch <period>', 'epoch length: month or day', 'month'))
    .action(async (o: { dir: string; epoch: string }) => {
      if (o.epoch !== 'month' && o.epoch !== 'day') throw new InputError(`--epoch must be month or day, got "${o.epoch}"`, { field: 'epoch' });
      const fame = createFame({ backend: await createBackend('mcl'), random: systemRandom });
      const { adminToken } = initAuthorityDir({ dir: o.dir, fame, epochPeriod: o.epoch });
      out.print(`${adminToken.reveal()}\n`);
      out.info(`key authority created in ${o.dir}; the line above is the admin token, shown only this once`);
    });

  dirOption(ka.command('serve').description('run the key authority service until SIGINT/SIGTERM')
    .option('--host <host>', 'address to listen on', '127.0.0.1').option('--port <port>', 'port (0: any free port)', '8090')
    .option('--issuer <url>', 'OIDC mode: the trusted issuer (iss)').option('--issuer-jwks <url|file>', 'OIDC mode: the issuer\'s JWKS').option('--audience <aud>', 'OIDC mode: required audience')
    .option('--uma-as <url>', 'UMA mode: the authorisation server').option('--uma-client-id <id>', 'UMA mode: this resource server\'s client id').option('--uma-client-secret <secret>', 'UMA mode: its secret (or WAGGLE_UMA_CLIENT_SECRET)')
    .option('--max-past-epochs <n>', 'how many past epochs keys may still be requested for', '12').option('--workers <n>', 'key-generation threads (0: main thread)', '1'))
    .action(async (o: ServeOpts) => {
      const running = await startKeyAuthorityService(serveConfig(o, process.env), (m) => out.info(m));
      out.info(`key authority (${running.mode} mode) listening on ${running.url}`);
      await untilSignal();
      await running.close();
    });

  const org = ka.command('org').description('organisation attributes (added to the keys of members of the org claim)');
  dirOption(org.command('set').argument('<org>', 'organisation, as in the verified "org" claim').requiredOption('--attributes <list>', 'e.g. "sector:energy,country:BE"').description('set an organisation\'s attributes'))
    .action(async (name: string, o: { dir: string; attributes: string }) => withAuthority(o.dir, (a) => {
      const r = a.setOrgAttributes(name, splitList(o.attributes));
      out.info(`${r.org}: ${r.attributes.join(', ')}`);
    }));
  dirOption(org.command('remove').argument('<org>').description('remove an organisation\'s attributes'))
    .action(async (name: string, o: { dir: string }) => withAuthority(o.dir, (a) => {
      if (!a.removeOrg(name)) throw new InputError(`organisation "${name}" has no attributes`, { field: 'org' });
      out.info(`removed ${name}`);
    }));
  dirOption(org.command('list').option('--json', 'JSON output').description('list organisations and their attributes'))
    .action(async (o: { dir: string; json?: boolean }) => withAuthority(o.dir, (a) => {
      const orgs = a.listOrgs();
      if (o.json === true) out.print(`${JSON.stringify(orgs, null, 2)}\n`);
      else for (const r of orgs) out.print(`${r.org}\t${r.attributes.join(',')}\t${r.updatedAt}\n`);
    }));

  dirOption(ka.command('revoke').description('stop issuing keys to a subject or an organisation').option('--sub <sub>', 'subject (sub claim)').option('--org <org>', 'organisation (org claim)').option('--reason <text>', 'why'))
    .action(async (o: { dir: string; sub?: string; org?: string; reason?: string }) => {
      if ((o.sub === undefined) === (o.org === undefined)) throw new InputError('give exactly one of --sub or --org', { field: 'sub' });
      await withAuthority(o.dir, (a) => {
        const r = o.sub !== undefined ? a.revoke('sub', o.sub, o.reason) : a.revoke('org', o.org ?? '', o.reason);
        out.info(`revoked ${r.kind} ${r.value} at ${r.revokedAt}; keys already issued stay valid until their epoch ends (${a.currentEpoch().endsAt.toISOString()})`);
      });
    });
  dirOption(ka.command('revocations').option('--json', 'JSON output').description('list revocations'))
    .action(async (o: { dir: string; json?: boolean }) => withAuthority(o.dir, (a) => {
      const list = a.listRevocations();
      if (o.json === true) out.print(`${JSON.stringify(list, null, 2)}\n`);
      else for (const r of list) out.print(`${r.kind}\t${r.value}\t${r.revokedAt}\t${r.reason ?? ''}\n`);
    }));

  dirOption(ka.command('log').description('show the issuance log').option('--verify', 'check the hash chain (exit 1 when broken)').option('--json', 'JSON output'))
    .action(async (o: { dir: string; verify?: boolean; json?: boolean }) => withAuthority(o.dir, (_a, dir) => {
      const entries = dir.store.readLog();
      const verdict = o.verify === true ? verifyChain(entries) : undefined;
      if (o.json === true) out.print(`${JSON.stringify(verdict === undefined ? { entries } : { entries, chain: verdict }, null, 2)}\n`);
      else for (const e of entries) out.print(`${String(e.seq)}\t${e.at}\t${e.outcome}\t${e.sub ?? '-'}\t${e.org ?? '-'}\t${e.epoch ?? '-'}\t${e.keyId?.slice(0, 16) ?? '-'}\t${e.outcome === 'issued' ? e.attributes.join(',') : (e.reason ?? '')}\n`);
      if (verdict === undefined) return;
      if (verdict.ok) out.info(`chain intact: ${String(verdict.entries)} entries, head ${verdict.head}`);
      else {
        out.info(`chain BROKEN at entry ${String(verdict.badSeq)}: ${verdict.problem}`);
        process.exitCode = 1;
      }
    }));

  ka.command('request').description('obtain a key from an authority and write it (usable by `waggle abe decrypt --key`)')
    .requiredOption('--authority <url>', 'key authority URL').requiredOption('--out <file>', 'key file to write (0600)')
    .option('--token <file>', 'OIDC mode: file holding your ID token').option('--uma-claim-token <file>', 'UMA mode: file holding the claim token (ID token) to push to the AS')
    .option('--uma-client-id <id>', 'UMA mode: this client\'s id at the AS').option('--uma-client-secret <secret>', 'UMA mode: its secret (or WAGGLE_UMA_CLIENT_SECRET)')
    .option('--claim-token-format <uri>', 'UMA claim token format (default: OIDC ID token)').option('--epoch <epoch>', 'a past epoch (to read older data)').option('--force', 'replace an existing file').option('--json', 'print the issuance as JSON')
    .action(async (o: RequestOpts) => {
      const credentials = credentialsOf(o, process.env);
      // Refuse before asking, so a key is not issued (and logged) only to be thrown away.
      if (o.force !== true && existsSync(o.out)) throw new ConflictError(`${o.out} exists; pass --force to replace it`);
      const key = await requestKey({ authority: o.authority, credentials, ...(o.epoch === undefined ? {} : { epoch: o.epoch }) });
      writeIssuedKey(o.out, key, o.force === true);
      if (o.json === true) out.print(`${JSON.stringify({ ...key.issuance, attributes: key.attributes }, null, 2)}\n`);
      out.info(`wrote ${o.out}: ${key.attributes.join(', ')} (expires ${key.issuance.expires_at})`);
    });

  ka.command('policy').description('print a policy restricted to the current (or given) epoch: (POLICY) AND epoch:…').argument('<policy>', 'access policy')
    .option('--authority <url>', 'ask this authority for its current epoch').option('--epoch <epoch>', 'use this epoch (YYYY-MM or YYYY-MM-DD)')
    .action(async (policy: string, o: { authority?: string; epoch?: string }) => {
      if ((o.authority === undefined) === (o.epoch === undefined)) throw new InputError('give exactly one of --authority or --epoch', { field: 'epoch' });
      const attribute = o.epoch !== undefined ? parseEpoch(o.epoch.length > 7 ? 'day' : 'month', o.epoch).attribute : (await fetchEpoch(o.authority ?? '')).attribute;
      out.print(`${withEpoch(policy, attribute)}\n`);
    });
}
