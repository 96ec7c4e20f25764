import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { createCryptoPan, createFf1, hmacPseudonym, truncateIp } from '@waggle/privacy';

/*
 * `waggle privacy <technique>`: filters that read one value per line on stdin
 * and write one result per line on stdout, streaming (memory stays bounded
 * whatever the input size). Output line N always belongs to input line N:
 * a line that fails gives an EMPTY output line, a message on stderr naming the
 * line number, and exit status 1 at the end; processing goes on. A blank input
 * line gives a blank output line and is not an error. Bad flags are reported
 * before any input is read: message on stderr, nothing on stdout, exit status 2.
 */

/** Where a filter reads and writes; the process streams by default. */
export interface LineIo {
  readonly input: Readable;
  readonly output: Writable;
  readonly errors: Writable;
}

const processIo = (): LineIo => ({ input: process.stdin, output: process.stdout, errors: process.stderr });

/** Error messages printed per run before the rest are only counted. */
const MAX_REPORTED = 100;
const FLUSH_LINES = 1024;

/** A flag problem: reported with exit status 2. */
class UsageError extends Error {}

function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(text, (error) => {
      if (error) reject(error);
    });
    if (ok) resolve();
    else stream.once('drain', resolve);
  });
}

/**
 * Runs `transform` over every line of `io.input`. Returns the number of lines
 * that failed. `transform` returns the output line or throws with a message.
 */
export async function filterLines(name: string, transform: (line: string) => string, io: LineIo = processIo()): Promise<number> {
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  let batch: string[] = [];
  let lineNo = 0;
  let failed = 0;
  for await (const line of lines) {
    lineNo++;
    let out = '';
    if (line.trim() !== '') {
      try {
        out = transform(line);
      } catch (error) {
        failed++;
        if (failed <= MAX_REPORTED) await write(io.errors, `waggle privacy ${name}: line ${lineNo}: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    batch.push(out);
    if (batch.length >= FLUSH_LINES) {
      await write(io.output, `${batch.join('\n')}\n`);
      batch = [];
    }
  }
  if (batch.length > 0) await write(io.output, `${batch.join('\n')}\n`);
  if (failed > MAX_REPORTED) await write(io.errors, `waggle privacy ${name}: ${failed - MAX_REPORTED} more failed lines not shown\n`);
  if (failed > 0) await write(io.errors, `waggle privacy ${name}: ${failed} of ${lineNo} lines failed (written as empty lines)\n`);
  return failed;
}

/** Decodes a hex flag; `lengths` are the allowed byte counts (any non-zero count when empty). */
export function hexFlag(flag: string, text: string | undefined, lengths: readonly number[], allowEmpty = false): Uint8Array {
  if (text === undefined) throw new UsageError(`${flag} is required`);
  const hex = text.trim();
  if (hex === '' && allowEmpty) return new Uint8Array(0);
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError(`${flag} must be hexadecimal digits (an even number of 0-9a-f)${hex === '' ? ', got nothing' : ''}`);
  const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
  if (lengths.length > 0 && !lengths.includes(bytes.length)) {
    const wanted = lengths.map((n) => `${n * 2}`).join(', ').replace(/, (\d+)$/, ' or $1');
    throw new UsageError(`${flag} must be ${wanted} hex characters (${lengths.join('/')} bytes), got ${hex.length}`);
  }
  return bytes;
}

/** Parses a whole-number flag within [min, max]. */
export function intFlag(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined) throw new UsageError(`${flag} is required`);
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

/**
 * Checks the flags (a UsageError → exit 2 before reading input), then filters
 * stdin; sets the exit status to 1 when a line failed.
 */
async function runFilter(name: string, prepare: () => (line: string) => string): Promise<void> {
  let transform: (line: string) => string;
  try {
    transform = prepare();
  } catch (error) {
    process.stderr.write(`waggle privacy ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
    return;
  }
  const failed = await filterLines(name, transform);
  if (failed > 0) process.exitCode = 1;
}

interface CryptoPanOpts {
  key?: string;
}
interface Ff1Opts {
  key?: string;
  tweak?: string;
  radix?: string;
  decrypt?: boolean;
}
interface HmacOpts {
  key?: string;
  length?: string;
  prefix?: string;
}
interface TruncateOpts {
  prefix?: string;
  prefix6?: string;
  cidr?: boolean;
}

/** Registers `waggle privacy cryptopan|ff1|hmac|truncate` (the `privacy` group is shared). */
export function registerPrivacyCommands(program: Command): void {
  const privacy = program.commands.find((c) => c.name() === 'privacy') ?? program.command('privacy').description('anonymisation techniques and per-recipient privacy policies');
  const lineNote = 'Reads one value per line on stdin, writes one per line on stdout; a failed line gives an empty line, a message on stderr and exit status 1.';

  privacy
    .command('cryptopan')
    .description(`prefix-preserving IP anonymisation (Crypto-PAn), IPv4 and IPv6. ${lineNote}`)
    .option('--key <hex>', '32-byte key as 64 hex characters (AES-128 key, then pad seed)')
    .action(async (opts: CryptoPanOpts) => {
      await runFilter('cryptopan', () => {
        const pan = createCryptoPan(hexFlag('--key', opts.key, [32]));
        return (line) => pan.anonymize(line.trim());
      });
    });

  privacy
    .command('ff1')
    .description(`format-preserving encryption (NIST SP 800-38G FF1) of numeral strings. ${lineNote}`)
    .option('--key <hex>', 'AES key: 32, 48 or 64 hex characters')
    .option('--tweak <hex>', 'tweak as hex; may be empty ("")', '')
    .option('--radix <n>', 'radix 2..36 (numerals 0-9a-z)')
    .option('--decrypt', 'decrypt instead of encrypt')
    .action(async (opts: Ff1Opts) => {
      await runFilter('ff1', () => {
        const key = hexFlag('--key', opts.key, [16, 24, 32]);
        const tweak = hexFlag('--tweak', opts.tweak ?? '', [], true);
        const radix = intFlag('--radix', opts.radix, 2, 36);
        const ff1 = createFf1(key, radix, { tweak });
        return opts.decrypt === true ? (line) => ff1.decrypt(line.trim()) : (line) => ff1.encrypt(line.trim());
      });
    });

  privacy
    .command('hmac')
    .description(`keyed pseudonyms: hex HMAC-SHA-256 of each line (taken exactly as written). ${lineNote}`)
    .option('--key <hex>', 'key of at least 16 bytes (32 hex characters)')
    .option('--length <n>', 'hex characters kept, 16 to 64', '64')
    .option('--prefix <text>', 'text put before each pseudonym', '')
    .action(async (opts: HmacOpts) => {
      await runFilter('hmac', () => {
        const key = hexFlag('--key', opts.key, []);
        if (key.length < 16) throw new UsageError(`--key must be at least 16 bytes (32 hex characters), got ${key.length} bytes`);
        const length = intFlag('--length', opts.length, 16, 64);
        const prefix = opts.prefix ?? '';
        return (line) => hmacPseudonym(key, line, { length, prefix });
      });
    });

  privacy
    .command('truncate')
    .description(`generalise IP addresses to their network (/N). ${lineNote}`)
    .option('--prefix <n>', 'IPv4 prefix length 0..32')
    .option('--prefix6 <m>', 'IPv6 prefix length 0..128 (IPv6 lines fail without it)')
    .option('--cidr', 'write network/N instead of the bare network address')
    .action(async (opts: TruncateOpts) => {
      await runFilter('truncate', () => {
        if (opts.prefix === undefined && opts.prefix6 === undefined) throw new UsageError('give --prefix (IPv4) and/or --prefix6 (IPv6)');
        const v4 = opts.prefix === undefined ? undefined : intFlag('--prefix', opts.prefix, 0, 32);
        const v6 = opts.prefix6 === undefined ? undefined : intFlag('--prefix6', opts.prefix6, 0, 128);
        const cidr = opts.cidr === true;
        return (line) => {
          const ip = line.trim();
          const isV6 = ip.includes(':');
          const prefix = isV6 ? v6 : v4;
          if (prefix === undefined) throw new Error(`${isV6 ? 'IPv6' : 'IPv4'} address but no ${isV6 ? '--prefix6' : '--prefix'} given`);
          return truncateIp(ip, prefix, { cidr });
        };
      });
    });
}
