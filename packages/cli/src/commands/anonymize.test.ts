import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACKER_STRINGS, VICTIM_STRINGS, aPhishingEvent } from '../../../privacy/src/policy/test-support/realistic-event.js';
import { runCli as waggle } from '../test-support/run-cli.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the real `waggle` CLI (its sources, through tsx) in a child process with `input` on stdin. */
function spawnWaggle(input: string, ...args: string[]): Promise<Run> {
  const boot = `import(${JSON.stringify(MAIN)}).then(async (m) => { process.exitCode = await m.main(['node', 'waggle', ...process.argv.slice(1)]); })`;
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '-e', boot, ...args], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}


const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'waggle-anon-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('waggle anonymize (spawned CLI)', () => {
  const home = tmp();
  let first: Run;
  let again: Run;
  beforeAll(async () => {
    first = await spawnWaggle(JSON.stringify(aPhishingEvent()), 'anonymize', '--data', home, '--create-keys');
    again = await spawnWaggle(first.out, 'anonymize', '--data', home);
  }, 300_000);

  it('anonymises an event from stdin under the built-in policy, creating the key on request', () => {
    expect(first.err).toContain("created key 'community'");
    expect(first.code).toBe(0);
    for (const victim of VICTIM_STRINGS) expect(first.out, victim).not.toContain(victim);
    for (const indicator of ATTACKER_STRINGS) expect(first.out, indicator).toContain(indicator);
    expect(first.err).toMatch(/anonymised for default\/default: \d+ kept, \d+ transformed, \d+ suppressed/);
    const file = join(home, 'privacy-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('returns an already anonymised event unchanged', () => {
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toEqual(JSON.parse(first.out));
    expect(again.err).toContain('event already anonymised under default/default: unchanged');
  });
});

describe('waggle anonymize / privacy keys / privacy utility (in-process)', () => {
  const home = tmp();
  const input = join(home, 'event.json');
  writeFileSync(input, JSON.stringify(aPhishingEvent()));

  it('refuses to run without the key, names the fix, and writes nothing', async () => {
    const r = await waggle('anonymize', '--data', home, '--input', input);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/key 'community' not in .*privacy-keys\.json; create with `waggle privacy keys add NAME` or pass --create-keys/);
    expect(r.out).toBe('');
    expect(existsSync(join(home, 'privacy-keys.json'))).toBe(false);
  });

  it('adds, rotates and lists keys without showing material', async () => {
    const add = await waggle('privacy', 'keys', 'add', 'community', '--data', home);
    expect(add.code).toBe(0);
    expect(add.err).toContain("created key 'community' version 1");
    expect((await waggle('privacy', 'keys', 'rotate', 'community', '--data', home)).err).toContain("key 'community' is now at version 2");
    const list = await waggle('privacy', 'keys', 'list', '--data', home);
    expect(list.out).toMatch(/^community\tversion 2\t\(v1 .*, v2 .*\)\n$/);
    expect(list.out).not.toMatch(/[0-9a-f]{64}/);
    const missing = await waggle('privacy', 'keys', 'rotate', 'nope', '--data', home);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("no key named 'nope'");
    expect((await waggle('privacy', 'keys', 'add', 'community', '--data', home)).err).toContain("key 'community' already exists");
  });

  it('prints a preview with --dry-run', async () => {
    const r = await waggle('anonymize', '--data', home, '--input', input, '--dry-run');
    expect(r.code).toBe(0);
    const preview = JSON.parse(r.out) as J;
    expect(preview.entries.find((e: J) => e.before === '10.20.30.40')).toMatchObject({ rule: 'internal-ip', technique: 'cryptopan' });
    expect(preview.report.keys).toEqual([{ name: 'community', version: 2 }]);
  });

  it('anonymises arrays and {"response": [...]} exports in the same shape', async () => {
    const file = join(home, 'export.json');
    writeFileSync(file, JSON.stringify({ response: [aPhishingEvent(), aPhishingEvent({ uuid: 'c0ffee00-0000-4000-8000-000000000009' })] }));
    const r = await waggle('anonymize', '--data', home, '--input', file, '--keep-info');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as J;
    expect(out.response).toHaveLength(2);
    expect(out.response[0].Event.info).toContain('Nordwind');
    expect(r.out).not.toContain('jana.mueller');
  });

  it('reports utility as a table and as JSON', async () => {
    const file = join(home, 'two.json');
    writeFileSync(file, JSON.stringify([aPhishingEvent(), aPhishingEvent({ uuid: 'c0ffee00-0000-4000-8000-000000000009' })]));
    const json = await waggle('privacy', 'utility', '--data', home, '--input', file, '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as J;
    expect(report.events).toBe(2);
    expect(report.correlations.share).toBeGreaterThan(0);
    expect(report.correlations.share).toBeLessThan(1);
    const table = await waggle('privacy', 'utility', '--data', home, '--input', file);
    expect(table.out).toContain("Utility of policy 'default' for recipient 'default' over 2 events");
    expect(table.out).toMatch(/correlations preserved: \d+ of \d+/);
  });

  it('rejects a bad policy with line numbers, an unknown recipient, and input that is not JSON', async () => {
    const bad = join(home, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nname: b\nrecipients:\n  - name: r\n    default: scramble\n    rules:\n      - match: { type: [ip-dest] }\n        action: keep\n');
    const r = await waggle('anonymize', '--data', home, '--input', input, '--policy', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain('2 problems');
    expect(r.err).toMatch(/line 5: recipients\[0\]\.default\.technique: unknown technique/);
    expect(r.err).toMatch(/line 7: .*'ip-dest' is not a MISP attribute type/);
    const unknown = await waggle('anonymize', '--data', home, '--input', input, '--recipient', 'partners');
    expect(unknown.err).toContain("policy 'default' has no recipient 'partners'");
    const notJson = join(home, 'not.json');
    writeFileSync(notJson, 'not json');
    const nj = await waggle('anonymize', '--data', home, '--input', notJson);
    expect(nj.code).toBe(1);
    expect(nj.err).toContain('not.json is not JSON');
    const scalar = join(home, 'scalar.json');
    writeFileSync(scalar, '42');
    expect((await waggle('anonymize', '--data', home, '--input', scalar)).err).toContain('expected a MISP event, an array of events or {"response": [...]}');
  });
});
