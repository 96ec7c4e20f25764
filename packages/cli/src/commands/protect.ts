import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConflictError, InputError, Secret } from '@waggle/errors';
import { createMispClient, type MispClient } from '@waggle/client';
import {
  createAbeWorkerPool, createBackend, createEnvelopes, createFame, decryptEvent, envelopeOpener, envelopeSealer, fameCodec, poolSealer, protectEvent,
  systemRandom, type AbeWorkerPool, type Opener, type Sealer,
} from '@waggle/abe';
import { readCommunityKey, readJsonFile, readPem } from './protect-keys.js';

/*
 * `waggle event protect|get|community-key`: CP-ABE protection of MISP events, client
 * side (ADR 0012). The server only ever receives envelopes; decryption happens here.
 */

interface ServerOpts {
  url?: string;
  key?: string;
}
interface ProtectOpts extends ServerOpts {
  policy: string;
  public: string;
  signKey?: string;
  communityKey?: string;
  attribute: string[];
  object: string[];
  info?: boolean;
  workers?: string;
  out?: string;
  json?: boolean;
}
interface GetOpts extends ServerOpts {
  decrypt?: boolean;
  abeKey?: string;
  verifyKey?: string;
  requireAll?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function clientOf(o: ServerOpts): MispClient {
  const url = o.url ?? process.env.WAGGLE_URL;
  if (url === undefined || url === '') throw new InputError('a server URL is needed: --url URL or WAGGLE_URL', { field: 'url' });
  const key = o.key ?? process.env.WAGGLE_KEY;
  if (key === undefined || key === '') throw new InputError('an API key is needed: --key KEY or WAGGLE_KEY', { field: 'key' });
  return createMispClient({ url, key: new Secret(key) });
}

function workersOf(text: string | undefined): number {
  const n = Number(text ?? '0');
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InputError(`--workers must be an integer from 0 to 64, got "${String(text)}"`, { field: 'workers' });
  return n;
}

/** Runs `body` with a worker pool of `n` threads (none when 0), closing it afterwards. */
async function withPool<T>(n: number, body: (pool: AbeWorkerPool | undefined) => Promise<T>): Promise<T> {
  const pool = n === 0 ? undefined : createAbeWorkerPool({ size: n });
  try {
    return await body(pool);
  } finally {
    await pool?.close();
  }
}

async function sealerOf(o: ProtectOpts, pool: AbeWorkerPool | undefined): Promise<Sealer> {
  const publicJson = readJsonFile(o.public, 'public');
  const signing = o.signKey === undefined ? undefined : readPem(o.signKey, 'sign-key', 'private');
  const fame = createFame({ backend: await createBackend('mcl'), random: systemRandom });
  const publicKey = fameCodec(fame.backend).decodePublicKey(publicJson); // validates the file even when the pool seals
  if (pool !== undefined) return poolSealer(pool, { publicKey: fameCodec(fame.backend).encodePublicKey(publicKey), signingKeyPem: signing?.pem });
  return envelopeSealer({ envelopes: createEnvelopes({ fame, random: systemRandom }), publicKey, signingKey: signing?.key });
}

async function openerOf(o: GetOpts): Promise<Opener> {
  if (o.abeKey === undefined) throw new InputError('--decrypt needs --abe-key FILE (a key from `waggle abe keygen`)', { field: 'abe-key' });
  const keyJson = readJsonFile(o.abeKey, 'abe-key');
  const verify = o.verifyKey === undefined ? undefined : readPem(o.verifyKey, 'verify-key', 'public');
  const fame = createFame({ backend: await createBackend('mcl'), random: systemRandom });
  const secretKey = fameCodec(fame.backend).decodeSecretKey(keyJson);
  return envelopeOpener({ envelopes: createEnvelopes({ fame, random: systemRandom }), secretKey, verifyKey: verify?.key });
}

function writeOut(text: string, out: string | undefined): void {
  if (out === undefined) process.stdout.write(text);
  else writeFileSync(out, text);
}

/** Registers `waggle event protect`, `waggle event get` and `waggle event community-key`. */
export function registerProtectCommands(program: Command): void {
  const event = program.commands.find((c) => c.name() === 'event') ?? program.command('event').description('MISP events on a waggle/MISP server (CP-ABE protection)');

  event.command('protect').description('encrypt an event\'s values under an access policy (client side); print it or add it to a server')
    .argument('<file>', 'MISP event JSON file')
    .requiredOption('--policy <policy>', 'access policy, e.g. "(sector:energy AND country:BE) OR role:CERT"')
    .requiredOption('--public <file>', 'abe-public.json')
    .option('--sign-key <file>', 'producer Ed25519 private key (PEM) to sign envelopes')
    .option('--community-key <file>', 'community key file: adds blind correlation tokens')
    .option('--attribute <uuid>', 'protect only this attribute (repeatable)', collect, [])
    .option('--object <uuid>', 'protect only this object\'s attributes (repeatable)', collect, [])
    .option('--info', 'also encrypt the event info')
    .option('--workers <n>', 'seal on n worker threads (0: in this thread)', '0')
    .option('--out <file>', 'write the protected event here instead of stdout')
    .option('--url <url>', 'add the protected event to this server (or WAGGLE_URL)').option('--key <key>', 'API key (or WAGGLE_KEY)')
    .option('--json', 'with --url: print the server\'s answer as JSON')
    .action(async (file: string, o: ProtectOpts) => {
      const input = readJsonFile(file, 'event');
      const communityKey = o.communityKey === undefined ? undefined : readCommunityKey(o.communityKey);
      const client = o.url === undefined ? undefined : clientOf(o);
      const result = await withPool(workersOf(o.workers), async (pool) =>
        protectEvent(input, { policy: o.policy, sealer: await sealerOf(o, pool), attributes: o.attribute, objects: o.object, protectInfo: o.info === true, communityKey }));
      process.stderr.write(`protected ${String(result.protectedAttributes)} attribute value(s)${result.protectedInfo ? ' and the info' : ''}\n`);
      if (client === undefined) {
        writeOut(`${JSON.stringify(result.event, null, 2)}\n`, o.out);
        return;
      }
      const added = (await client.request('POST', '/events/add', result.event)) as { Event?: { id?: unknown; uuid?: unknown } };
      if (o.out !== undefined) writeFileSync(o.out, `${JSON.stringify(result.event, null, 2)}\n`);
      if (o.json === true) process.stdout.write(`${JSON.stringify(added)}\n`);
      else process.stdout.write(`added event ${String(added.Event?.id)} (${String(added.Event?.uuid)})\n`);
    });

  event.command('get').description('fetch an event as MISP JSON; with --decrypt, restore the values your key may read')
    .argument('<id>', 'event id or UUID')
    .option('--url <url>', 'server URL (or WAGGLE_URL)').option('--key <key>', 'API key (or WAGGLE_KEY)')
    .option('--decrypt', 'decrypt protected values client side')
    .option('--abe-key <file>', 'your CP-ABE user key (from `waggle abe keygen`)')
    .option('--verify-key <file>', 'require envelopes signed by this producer key (PEM)')
    .option('--require-all', 'fail when a protected value stays unreadable')
    .action(async (id: string, o: GetOpts) => {
      if (!/^[0-9]+$|^[0-9a-fA-F-]{36}$/.test(id)) throw new InputError(`event id: expected a number or a UUID, got "${id}"`, { field: 'id' });
      const opener = o.decrypt === true ? await openerOf(o) : undefined;
      const fetched = await clientOf(o).request('GET', `/events/view/${id}`);
      if (opener === undefined) {
        process.stdout.write(`${JSON.stringify(fetched, null, 2)}\n`);
        return;
      }
      const result = await decryptEvent(fetched, opener);
      const left = result.stillProtected.map((s) => `${s.attribute ?? 'event info'} (${s.policy})`);
      if (left.length > 0 && o.requireAll === true) {
        throw new InputError(`${String(left.length)} protected value(s) are not readable with this key: ${left.join(', ')}`, { field: 'abe-key' });
      }
      process.stdout.write(`${JSON.stringify(result.event, null, 2)}\n`);
      process.stderr.write(`decrypted ${String(result.decrypted)} value(s)${left.length > 0 ? `; still protected (policy not satisfied): ${left.join(', ')}` : ''}\n`);
    });

  event.command('community-key').description('create a community key for blind correlation tokens (share it only inside the community)')
    .requiredOption('--out <file>', 'key file to write (0600)').option('--force', 'replace an existing file')
    .action((o: { out: string; force?: boolean }) => {
      if (o.force !== true && existsSync(o.out)) throw new ConflictError(`${o.out} exists; pass --force to replace it`);
      writeFileSync(o.out, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
      process.stderr.write(`wrote ${o.out}\n`);
    });
}
