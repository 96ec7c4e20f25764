import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filterLines, hexFlag, intFlag } from './privacy.js';
import { runCli as inProcess } from '../test-support/run-cli.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const VECTORS = fileURLToPath(new URL('../../../privacy/src/techniques/test-support/crypto-pan-vectors.json', import.meta.url));
const REFERENCE_KEY = '1522178d33a4cf80130a5b1649907d10d8988f837979652762574c2d2a842202';

/**
 * Runs the real `waggle` program in a child process, from the sources (tsx),
 * with `stdin` as its standard input.
 */
function waggle(args: string[], stdin: string): Promise<{ code: number | null; out: string; err: string }> {
  const boot = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(['node', 'waggle', ...process.argv.slice(1)]);`;
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', boot, '--', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') }));
  });
}

describe('waggle privacy (real process)', () => {
  it('cryptopan: the reference sample trace and the Go port IPv6 vectors, with a bad line kept in place', async () => {
    const sets = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { sets: { keyHex: string; ipv4: [string, string][]; ipv6: [string, string][] }[] }).sets;
    const pairs = sets.filter((s) => s.keyHex === REFERENCE_KEY).flatMap((s) => [...s.ipv4, ...s.ipv6]);
    expect(pairs.length).toBeGreaterThanOrEqual(80);
    const input = [...pairs.slice(0, 3).map((p) => p[0]), 'not-an-ip', '', ...pairs.slice(3).map((p) => p[0])];
    const r = await waggle(['privacy', 'cryptopan', '--key', REFERENCE_KEY], `${input.join('\r\n')}\n`);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([...pairs.slice(0, 3).map((p) => p[1]), '', '', ...pairs.slice(3).map((p) => p[1]), '']);
    expect(r.err).toContain('line 4: "not-an-ip" is not an IP address');
    expect(r.err).toContain('1 of');
  }, 120_000);

  it('ff1: NIST Samples 2 and 3 (encrypt and decrypt); hmac: RFC 4231 case 1; truncate: both versions', async () => {
    const [enc, dec36, hmac, trunc] = await Promise.all([
      waggle(['privacy', 'ff1', '--key', '2B7E151628AED2A6ABF7158809CF4F3C', '--tweak', '39383736353433323130', '--radix', '10'], '0123456789\n12345\n'),
      waggle(['privacy', 'ff1', '--key', '2B7E151628AED2A6ABF7158809CF4F3C', '--tweak', '3737373770717273373737', '--radix', '36', '--decrypt'], 'a9tv40mll9kdu509eum\n'),
      waggle(['privacy', 'hmac', '--key', '0b'.repeat(20), '--length', '32', '--prefix', 'u-'], 'Hi There\n'),
      waggle(['privacy', 'truncate', '--prefix', '24', '--prefix6', '48', '--cidr'], '192.0.2.77\n2001:db8:abcd:1234::1\nbad\n'),
    ]);
    expect(enc.out).toBe('6124200773\n\n');
    expect(enc.code).toBe(1);
    expect(enc.err).toContain('line 2: FF1 with radix 10 needs 6 to');
    expect(dec36).toMatchObject({ code: 0, out: '0123456789abcdefghi\n' });
    expect(hmac).toMatchObject({ code: 0, out: 'u-b0344c61d8db38535ca8afceaf0bf12b\n' });
    expect(trunc.out).toBe('192.0.2.0/24\n2001:db8:abcd::/48\n\n');
    expect(trunc.code).toBe(1);
    expect(trunc.err).toContain('line 3: "bad" is not an IP address');
  }, 180_000);
});

describe('waggle privacy: bad flags', () => {

  it.each([
    [['cryptopan', '--key', 'abcd'], '--key must be 64 hex characters (32 bytes), got 4'],
    [['cryptopan'], '--key is required'],
    [['cryptopan', '--key', 'zz'.repeat(32)], '--key must be hexadecimal'],
    [['ff1', '--key', '00'.repeat(16), '--radix', '37'], '--radix must be a whole number from 2 to 36'],
    [['ff1', '--key', '00'.repeat(17), '--radix', '10'], '--key must be 32, 48 or 64 hex characters'],
    [['ff1', '--key', '00'.repeat(16), '--radix', '10', '--tweak', 'xyz'], '--tweak must be hexadecimal'],
    [['hmac', '--key', '00'.repeat(8)], 'at least 16 bytes'],
    [['hmac', '--key', '00'.repeat(16), '--length', '8'], '--length must be a whole number from 16 to 64'],
    [['truncate'], 'give --prefix (IPv4) and/or --prefix6 (IPv6)'],
    [['truncate', '--prefix', '33'], '--prefix must be a whole number from 0 to 32'],
    [['truncate', '--prefix6', '129'], '--prefix6 must be a whole number from 0 to 128'],
  ])('privacy %j → exit 2: %s', async (args, message) => {
    const r = await inProcess('privacy', ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
  });
});

describe('filterLines', () => {
  const run = async (input: string, transform: (l: string) => string): Promise<{ failed: number; out: string; err: string }> => {
    const io = { input: new PassThrough(), output: new PassThrough(), errors: new PassThrough() };
    const out: string[] = [];
    const err: string[] = [];
    io.output.on('data', (d: Buffer) => out.push(d.toString()));
    io.errors.on('data', (d: Buffer) => err.push(d.toString()));
    io.input.end(input);
    const failed = await filterLines('test', transform, io);
    return { failed, out: out.join(''), err: err.join('') };
  };

  it('streams many lines in order, in bounded batches', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => String(i));
    const r = await run(`${lines.join('\n')}\n`, (l) => `<${l}>`);
    expect(r.failed).toBe(0);
    expect(r.out).toBe(`${lines.map((l) => `<${l}>`).join('\n')}\n`);
  });

  it('keeps line positions on failures and caps the messages', async () => {
    const r = await run(`${Array.from({ length: 150 }, () => 'x').join('\n')}\nok`, (l) => {
      if (l === 'x') throw new Error('boom');
      return l;
    });
    expect(r.failed).toBe(150);
    expect(r.out.split('\n')).toHaveLength(152);
    expect(r.out.endsWith('\nok\n')).toBe(true);
    expect(r.err.match(/boom/g)).toHaveLength(100);
    expect(r.err).toContain('50 more failed lines not shown');
  });

  it('passes blank lines through without an error and writes nothing for empty input', async () => {
    expect(await run('a\n\n  \nb\n', (l) => l.toUpperCase())).toEqual({ failed: 0, out: 'A\n\n\nB\n', err: '' });
    expect(await run('', (l) => l)).toEqual({ failed: 0, out: '', err: '' });
  });
});

describe('flag parsing', () => {
  it('decodes hex of the allowed lengths only', () => {
    expect(hexFlag('--key', 'ABcd', [2])).toEqual(Uint8Array.of(0xab, 0xcd));
    expect(hexFlag('--tweak', '', [], true)).toEqual(new Uint8Array(0));
    expect(() => hexFlag('--key', undefined, [32])).toThrow('--key is required');
    expect(() => hexFlag('--key', 'abc', [])).toThrow('hexadecimal');
    expect(() => hexFlag('--key', '00', [16, 24, 32])).toThrow('32, 48 or 64 hex characters');
  });

  it('reads whole numbers in range only', () => {
    expect(intFlag('--radix', '10', 2, 36)).toBe(10);
    expect(() => intFlag('--radix', '1e1', 2, 36)).toThrow('whole number');
    expect(() => intFlag('--radix', '40', 2, 36)).toThrow('2 to 36');
  });
});
