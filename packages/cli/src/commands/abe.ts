import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConflictError, InputError } from '@waggle/errors';
import { createBackend, createEnvelopes, createFame, fameCodec, parsePolicy, printPolicy, satisfies, serializeEnvelope, systemRandom, type Fame } from '@waggle/abe';

/*
 * `waggle abe …`: attribute-based encryption from the shell. Key files are JSON
 * (see packages/abe/README.md); secrets are written with mode 0600. Envelopes go to
 * stdout; anything that fails writes nothing to stdout and exits non-zero.
 */

interface BackendOpt {
  backend?: string;
}

async function scheme(opts: BackendOpt): Promise<Fame> {
  return createFame({ backend: await createBackend(opts.backend ?? 'mcl'), random: systemRandom });
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InputError(`${what}: cannot read ${file} (${cause instanceof Error ? cause.message : String(cause)})`, { field: what });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${what}: ${file} is not JSON`, { field: what });
  }
}

function readKey(file: string, kind: 'private' | 'public'): KeyObject {
  const pem = readFileSync(file, 'utf8');
  try {
    return kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch {
    throw new InputError(`${file}: not a PEM ${kind} key`, { field: kind === 'private' ? 'sign-key' : 'verify-key' });
  }
}

function writeSecret(file: string, text: string, force: boolean): void {
  if (!force && existsSync(file)) throw new ConflictError(`${file} exists; pass --force to replace it`);
  writeFileSync(file, text, { mode: 0o600 });
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const splitAttributes = (list: string): string[] => list.split(',').map((a) => a.trim()).filter((a) => a !== '');

/** Registers `waggle abe setup|keygen|encrypt|decrypt|signing-key|policy check`. */
export function registerAbeCommands(program: Command): void {
  const abe = program.commands.find((c) => c.name() === 'abe') ?? program.command('abe').description('ciphertext-policy attribute-based encryption (FAME on BLS12-381)');
  const backendOption = (c: Command): Command => c.option('--backend <name>', 'pairing back-end: mcl (fast) or noble (pure TypeScript)', 'mcl');

  backendOption(abe.command('setup').description('create public parameters and the master secret').requiredOption('--out <dir>', 'folder for abe-public.json and abe-master.json (0600)').option('--force', 'replace existing files'))
    .action(async (opts: BackendOpt & { out: string; force?: boolean }) => {
      const fame = await scheme(opts);
      const codec = fameCodec(fame.backend);
      const { publicKey, masterKey } = fame.setup();
      mkdirSync(opts.out, { recursive: true });
      writeSecret(join(opts.out, 'abe-master.json'), `${JSON.stringify(codec.encodeMasterKey(masterKey), null, 2)}\n`, opts.force === true);
      writeFileSync(join(opts.out, 'abe-public.json'), `${JSON.stringify(codec.encodePublicKey(publicKey), null, 2)}\n`);
      process.stderr.write(`wrote ${join(opts.out, 'abe-public.json')} and ${join(opts.out, 'abe-master.json')} (keep the master secret offline)\n`);
    });

  backendOption(abe.command('keygen').description('derive a user key for a set of attributes').requiredOption('--master <file>', 'abe-master.json').requiredOption('--attributes <list>', 'comma-separated attributes, e.g. "sector:energy,country:BE"').requiredOption('--out <file>', 'key file to write (0600)').option('--force', 'replace an existing file'))
    .action(async (opts: BackendOpt & { master: string; attributes: string; out: string; force?: boolean }) => {
      const fame = await scheme(opts);
      const codec = fameCodec(fame.backend);
      const key = fame.keygen(codec.decodeMasterKey(readJson(opts.master, 'master')), splitAttributes(opts.attributes));
      writeSecret(opts.out, `${JSON.stringify(codec.encodeSecretKey(key), null, 2)}\n`, opts.force === true);
      process.stderr.write(`wrote ${opts.out} for ${key.attributes.join(', ')}\n`);
    });

  backendOption(abe.command('encrypt').description('seal stdin into an envelope on stdout').requiredOption('--public <file>', 'abe-public.json').requiredOption('--policy <policy>', 'access policy, e.g. "(sector:energy AND country:BE) OR role:CERT"').option('--sign-key <file>', 'producer Ed25519 private key (PEM)').option('--event <uuid>', 'bind to this event UUID').option('--attribute <uuid>', 'bind to this attribute UUID'))
    .action(async (opts: BackendOpt & { public: string; policy: string; signKey?: string; event?: string; attribute?: string }) => {
      const fame = await scheme(opts);
      const publicKey = fameCodec(fame.backend).decodePublicKey(readJson(opts.public, 'public'));
      const signingKey = opts.signKey === undefined ? undefined : readKey(opts.signKey, 'private');
      const plaintext = await readStdin();
      const envelope = createEnvelopes({ fame, random: systemRandom }).seal({ publicKey, policy: opts.policy, plaintext, eventUuid: opts.event, attributeUuid: opts.attribute, signingKey });
      process.stdout.write(`${serializeEnvelope(envelope)}\n`);
    });

  backendOption(abe.command('decrypt').description('open the envelope on stdin; plaintext to stdout').requiredOption('--key <file>', 'user key file').option('--verify-key <file>', 'require a signature by this Ed25519 public key (PEM)').option('--event <uuid>', 'require the envelope to be bound to this event').option('--attribute <uuid>', 'require the envelope to be bound to this attribute'))
    .action(async (opts: BackendOpt & { key: string; verifyKey?: string; event?: string; attribute?: string }) => {
      const fame = await scheme(opts);
      const secretKey = fameCodec(fame.backend).decodeSecretKey(readJson(opts.key, 'key'));
      const verifyKey = opts.verifyKey === undefined ? undefined : readKey(opts.verifyKey, 'public');
      const envelope = (await readStdin()).toString('utf8');
      const opened = createEnvelopes({ fame, random: systemRandom }).open({ envelope, secretKey, verifyKey, eventUuid: opts.event, attributeUuid: opts.attribute });
      process.stdout.write(opened.plaintext);
    });

  abe.command('signing-key').description('create an Ed25519 key pair for signing envelopes').requiredOption('--out <dir>', 'folder for signing-key.pem (0600) and verify-key.pem').option('--force', 'replace existing files')
    .action((opts: { out: string; force?: boolean }) => {
      const pair = generateKeyPairSync('ed25519');
      mkdirSync(opts.out, { recursive: true });
      writeSecret(join(opts.out, 'signing-key.pem'), pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), opts.force === true);
      writeFileSync(join(opts.out, 'verify-key.pem'), pair.publicKey.export({ format: 'pem', type: 'spki' }).toString());
      process.stderr.write(`wrote ${join(opts.out, 'signing-key.pem')} and ${join(opts.out, 'verify-key.pem')}\n`);
    });

  const policy = abe.commands.find((c) => c.name() === 'policy') ?? abe.command('policy').description('access policies');
  policy.command('check').description('parse a policy, print its canonical form and whether the attributes satisfy it (exit 0 yes, 1 no, 2 invalid)').argument('<policy>', 'access policy').option('--attributes <list>', 'comma-separated attributes to test')
    .action((text: string, opts: { attributes?: string }) => {
      let parsed;
      try {
        parsed = parsePolicy(text);
      } catch (error) {
        process.stderr.write(`waggle abe policy: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(`${printPolicy(parsed)}\n`);
      if (opts.attributes === undefined) return;
      const ok = satisfies(parsed, splitAttributes(opts.attributes));
      process.stdout.write(ok ? 'satisfied\n' : 'not satisfied\n');
      if (!ok) process.exitCode = 1;
    });
}
