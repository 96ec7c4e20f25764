import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import {
  createAbeWorkerPool, createBackend, createEnvelopes, createFame, decryptEvent, envelopeOpener, envelopeSealer, fameCodec, poolOpener, poolSealer, protectEvent,
  systemRandom, type Opener, type Sealer,
} from '@waggle/abe';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { round } from '../lib/stats.js';
import { formatTable } from '../lib/table.js';

const USAGE = `usage: npm run bench -- protect [--attributes 1000] [--workers 2] [--policy "(sector:energy AND country:BE) OR role:CERT"] [--in-thread]
  --attributes  attributes in the event (each gets its own envelope and blind token) (default 1000)
  --workers     worker threads for sealing and opening (default 2)
  --policy      access policy (default the issue's example)
  --in-thread   also measure without the worker pool`;

type J = Record<string, unknown>;

/** An event of n distinct ip-dst attributes. */
function anEvent(n: number): J {
  const Attribute = Array.from({ length: n }, (_, i) => ({ type: 'ip-dst', category: 'Network activity', value: `198.51.${String(Math.floor(i / 250))}.${String(i % 250)}`, to_ids: true }));
  return { Event: { info: 'protect bench', distribution: '1', Attribute } };
}

interface Row {
  readonly mode: string;
  readonly protectMs: number;
  readonly decryptMs: number;
  /** CPU milliseconds of the whole process (all threads): on a shared machine, wall time includes waiting for a core. */
  readonly protectCpu: number;
  readonly decryptCpu: number;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

async function measure(mode: string, event: J, policy: string, sealer: Sealer, opener: Opener, communityKey: Uint8Array): Promise<{ row: Row; protectedEvent: J }> {
  let t = performance.now();
  let c = process.cpuUsage();
  const { event: protectedEvent, protectedAttributes } = await protectEvent(event, { policy, sealer, communityKey });
  const protectMs = performance.now() - t;
  const protectCpu = cpuMs(c);
  t = performance.now();
  c = process.cpuUsage();
  const read = await decryptEvent(protectedEvent, opener);
  const decryptMs = performance.now() - t;
  const decryptCpu = cpuMs(c);
  const values = (e: J): unknown[] => ((e.Event as J).Attribute as J[]).map((a) => a.value);
  if (read.decrypted !== protectedAttributes || JSON.stringify(values(read.event)) !== JSON.stringify(values(event))) throw new Error(`${mode}: decryption did not restore the event`);
  return { row: { mode, protectMs, decryptMs, protectCpu, decryptCpu }, protectedEvent };
}

/** `npm run bench -- protect`: protecting and reading a 1,000-attribute MISP event. */
export async function runProtectBench(argv: readonly string[]): Promise<number> {
  const { positional, named } = parseArgs(argv, new Set(['help', 'in-thread']));
  if (named.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = [...named.keys()].filter((k) => !['attributes', 'workers', 'policy', 'in-thread'].includes(k));
  if (unknown.length > 0 || positional.length > 0) {
    process.stderr.write(`unexpected arguments: ${[...unknown.map((k) => `--${k}`), ...positional].join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const text = (name: string, fallback: string): string => {
    const v = named.get(name);
    return typeof v === 'string' ? v : fallback;
  };
  const n = parseCount(text('attributes', '1000'), 'attributes');
  const workers = parseCount(text('workers', '2'), 'workers');
  const policy = text('policy', '(sector:energy AND country:BE) OR role:CERT');

  process.stdout.write(`${describeMachine(machineInfo(process.cwd(), import.meta.resolve('@waggle/abe')))}\nload:    ${loadavg().map((l) => l.toFixed(1)).join(' ')} (1/5/15 min)\n\n`);
  const fame = createFame({ backend: await createBackend('mcl'), random: systemRandom });
  const codec = fameCodec(fame.backend);
  const envelopes = createEnvelopes({ fame, random: systemRandom });
  const { publicKey, masterKey } = fame.setup();
  const userKey = fame.keygen(masterKey, ['sector:energy', 'country:BE']);
  const producer = generateKeyPairSync('ed25519');
  const signingKeyPem = producer.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const verifyKeyPem = producer.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const communityKey = new Uint8Array(randomBytes(32));
  const event = anEvent(n);
  const rows: Row[] = [];
  let sample: J | undefined;

  const pool = createAbeWorkerPool({ size: workers });
  try {
    const sealer = poolSealer(pool, { publicKey: codec.encodePublicKey(publicKey), signingKeyPem });
    const opener = poolOpener(pool, { secretKey: codec.encodeSecretKey(userKey), verifyKeyPem });
    await measure('warm-up', anEvent(Math.min(20, n)), policy, sealer, opener, communityKey); // threads start, JIT and hash caches warm
    const r = await measure(`worker pool (${String(workers)} threads)`, event, policy, sealer, opener, communityKey);
    rows.push(r.row);
    sample = r.protectedEvent;
  } finally {
    await pool.close();
  }
  if (named.has('in-thread')) {
    const sealer = envelopeSealer({ envelopes, publicKey, signingKey: producer.privateKey });
    const opener = envelopeOpener({ envelopes, secretKey: userKey, verifyKey: producer.publicKey });
    rows.push((await measure('in the calling thread', event, policy, sealer, opener, communityKey)).row);
  }

  const perAttr = (ms: number): string => String(round(ms / n, 2));
  process.stdout.write(`event of ${String(n)} ip-dst attributes, policy "${policy}", signed envelopes, blind tokens; milliseconds wall / CPU (all threads)\n`);
  const cell = (wall: number, cpu: number): string => `${String(round(wall, 0))} / ${String(round(cpu, 0))}`;
  const per = (wall: number, cpu: number): string => `${perAttr(wall)} / ${perAttr(cpu)}`;
  process.stdout.write(`${formatTable(['mode', 'protect (total)', 'per attribute', 'decrypt + verify (total)', 'per attribute'], rows.map((r) => [r.mode, cell(r.protectMs, r.protectCpu), per(r.protectMs, r.protectCpu), cell(r.decryptMs, r.decryptCpu), per(r.decryptMs, r.decryptCpu)]))}\n`);
  const attrs = ((sample?.Event as J | undefined)?.Attribute ?? []) as J[];
  const size = attrs.reduce((s, a) => s + String(a.value).length, 0);
  process.stdout.write(`\nprotected value size: ${String(round(size / Math.max(1, attrs.length), 0))} characters per attribute (event JSON ${String(round(JSON.stringify(sample).length / 1024, 0))} KiB)\n`);
  return 0;
}
