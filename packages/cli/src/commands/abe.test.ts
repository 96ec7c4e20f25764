import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** Runs the real `waggle` program in a child process from the sources, feeding `stdin`. */
function waggle(args: string[], stdin: string | Buffer = ''): Promise<{ code: number | null; out: Buffer; err: string }> {
  const boot = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(['node', 'waggle', ...process.argv.slice(1)]);`;
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', boot, '--', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out), err: Buffer.concat(err).toString('utf8') }));
  });
}

const EVENT = '5f0c5b3c-1111-4c3a-9a53-6c1a8d1e0001';
const ATTR = '5f0c5b3c-2222-4c3a-9a53-6c1a8d1e0002';

describe('waggle abe (real process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-abe-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const f = (name: string): string => join(dir, name);

  it('sets up, issues keys, encrypts, signs and decrypts only for satisfying keys', async () => {
    const setup = await waggle(['abe', 'setup', '--out', dir]);
    expect(setup.code, setup.err).toBe(0);
    expect(statSync(f('abe-master.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(f('abe-public.json'), 'utf8'))).toMatchObject({ v: 1, kind: 'public' });
    const [k1, k2, sk] = await Promise.all([
      waggle(['abe', 'keygen', '--master', f('abe-master.json'), '--attributes', 'sector:energy, country:BE', '--out', f('energy-be.json')]),
      waggle(['abe', 'keygen', '--master', f('abe-master.json'), '--attributes', 'sector:energy,country:FR', '--out', f('energy-fr.json')]),
      waggle(['abe', 'signing-key', '--out', dir]),
    ]);
    expect([k1.code, k2.code, sk.code], k1.err + k2.err + sk.err).toEqual([0, 0, 0]);
    expect(statSync(f('energy-be.json')).mode & 0o777).toBe(0o600);

    const plaintext = Buffer.from('indicator: 203.0.113.9\n\u00e9\u0000binary');
    const enc = await waggle(['abe', 'encrypt', '--public', f('abe-public.json'), '--policy', '(sector:energy AND country:BE) OR role:CERT', '--sign-key', f('signing-key.pem'), '--event', EVENT, '--attribute', ATTR], plaintext);
    expect(enc.code, enc.err).toBe(0);
    const envelope = JSON.parse(enc.out.toString('utf8')) as { policy: string; event: string; signature: { alg: string } };
    expect(envelope).toMatchObject({ policy: 'sector:energy AND country:BE OR role:CERT', event: EVENT, signature: { alg: 'Ed25519' } });

    const dec = await waggle(['abe', 'decrypt', '--key', f('energy-be.json'), '--verify-key', f('verify-key.pem'), '--event', EVENT], enc.out);
    expect(dec.code, dec.err).toBe(0);
    expect(dec.out.equals(plaintext)).toBe(true);

    const denied = await waggle(['abe', 'decrypt', '--key', f('energy-fr.json')], enc.out);
    expect(denied.code).not.toBe(0);
    expect(denied.out.length).toBe(0);
    expect(denied.err).toContain("the key's attributes do not satisfy the policy");

    const tampered = enc.out.toString('utf8').replace(EVENT, '5f0c5b3c-1111-4c3a-9a53-6c1a8d1e0009');
    const altered = await waggle(['abe', 'decrypt', '--key', f('energy-be.json'), '--verify-key', f('verify-key.pem')], tampered);
    expect(altered.code).not.toBe(0);
    expect(altered.out.length).toBe(0);
    expect(altered.err).toContain('signature does not verify');

    const again = await waggle(['abe', 'setup', '--out', dir]);
    expect(again.code).not.toBe(0);
    expect(again.err).toContain('exists; pass --force');
  }, 400_000);

  it('checks policies: canonical form, satisfaction and syntax errors', async () => {
    const [yes, no, bad] = await Promise.all([
      waggle(['abe', 'policy', 'check', '2 of (a, b, c) or d', '--attributes', 'a,c']),
      waggle(['abe', 'policy', 'check', 'a and b', '--attributes', 'a']),
      waggle(['abe', 'policy', 'check', 'a AND (b OR']),
    ]);
    expect(yes.code).toBe(0);
    expect(yes.out.toString()).toBe('2 of (a, b, c) OR d\nsatisfied\n');
    expect(no.code).toBe(1);
    expect(no.out.toString()).toBe('a AND b\nnot satisfied\n');
    expect(bad.code).toBe(2);
    expect(bad.out.length).toBe(0);
    expect(bad.err).toContain('at position 11: expected an attribute');
  }, 300_000);

  it('reports unreadable keys and bad attributes clearly', async () => {
    const [missing, badAttr] = await Promise.all([
      waggle(['abe', 'decrypt', '--key', f('nope.json')], '{}'),
      waggle(['abe', 'keygen', '--master', f('abe-master.json'), '--attributes', 'ok,not ok', '--out', f('x.json')]),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('key: cannot read');
    expect(badAttr.code).toBe(1);
    expect(badAttr.err).toContain('invalid attribute names');
  }, 300_000);
});
