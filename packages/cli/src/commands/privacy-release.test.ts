import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the real `waggle` CLI (its sources, through tsx) in a child process with `input` on stdin. */
function waggle(input: string, ...args: string[]): Promise<Run> {
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

const PATIENTS = 'age,zip,disease\n25,53711,flu\n25,53712,hepatitis\n26,53711,bronchitis\n27,53710,broken arm\n27,53712,AIDS\n28,53711,"hang, nail"\n';
const SESSIONS = Array.from({ length: 40 }, (_, i) =>
  JSON.stringify({ session_id: `s${i}`, src_ip: `10.${i % 3}.${i}.${(i * 7) % 250}`, duration: (i * 37) % 300, country: ['DE', 'FR', 'US', 'CN'][i % 4], attack_type: ['recon', 'bruteforce', 'malware'][i % 3] }),
).join('\n');

describe('waggle privacy kanon / dp-count (spawned CLI)', () => {
  const dirs: string[] = [];
  const runs: Record<string, Run> = {};
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'waggle-privacy-cli-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    // Independent runs start together: each child compiles the CLI, which is most of its time.
    const regions = join(tmp(), 'regions.json');
    writeFileSync(regions, JSON.stringify({ DE: 'EU', FR: 'EU', US: 'NA', CN: 'AS' }));
    const [csv, jsonl, badK, badQi, counts, badCounts, tree] = await Promise.all([
      waggle(PATIENTS, 'privacy', 'kanon', '--k', '2', '--qi', 'age:numeric,zip:numeric'),
      waggle(SESSIONS, 'privacy', 'kanon', '--k', '4', '--l', '2', '--sensitive', 'attack_type', '--qi', 'src_ip:ip,duration:numeric,country:categorical', '--drop', 'session_id'),
      waggle(PATIENTS, 'privacy', 'kanon', '--k', '1', '--qi', 'age:numeric'),
      waggle(PATIENTS, 'privacy', 'kanon', '--k', '2', '--qi', 'age:number'),
      waggle('# weekly sightings\nip-dst,40\ndomain,12\n\n7\n', 'privacy', 'dp-count', '--epsilon', '1000'),
      waggle('ip-dst,forty\n', 'privacy', 'dp-count', '--epsilon', '1', '--budget', join(tmp(), 'never.json'), '--recipient', 'a', '--limit', '1'),
      waggle('country,n\nDE,1\nFR,2\nUS,3\nCN,4\nDE,5\n', 'privacy', 'kanon', '--k', '2', '--qi', 'country:categorical', '--hierarchy', `country=${regions}`, '--format', 'csv'),
    ]);
    Object.assign(runs, { csv, jsonl, badK, badQi, counts, badCounts, tree });
  }, 400_000);
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('kanon anonymises a CSV table and prints a summary on stderr', () => {
    expect(runs.csv?.code).toBe(0);
    expect(runs.csv?.out).toBe(
      'age,zip,disease\n25-26,53711-53712,flu\n25-26,53711-53712,hepatitis\n25-26,53711-53712,bronchitis\n27-28,53710-53712,broken arm\n27-28,53710-53712,AIDS\n27-28,53710-53712,"hang, nail"\n',
    );
    expect(runs.csv?.err).toContain('classes: 2, rows released: 6, suppressed rows: 0, NCP: 0.5417');
  });

  it('kanon reads and writes JSON lines, drops direct identifiers, keeps k and l', () => {
    expect(runs.jsonl?.code).toBe(0);
    const rows = runs.jsonl!.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(40);
    const classes = new Map<string, Record<string, unknown>[]>();
    for (const r of rows) {
      expect(r).not.toHaveProperty('session_id');
      const key = `${String(r.src_ip)}|${String(r.duration)}|${String(r.country)}`;
      classes.set(key, [...(classes.get(key) ?? []), r]);
    }
    expect(classes.size).toBeGreaterThan(1);
    for (const cls of classes.values()) {
      expect(cls.length).toBeGreaterThanOrEqual(4);
      expect(new Set(cls.map((r) => r.attack_type)).size).toBeGreaterThanOrEqual(2);
    }
    expect(rows.every((r) => /^10\.[0-9.]+\/\d+$/.test(String(r.src_ip)))).toBe(true);
  });

  it('kanon generalises a categorical column along a hierarchy file', () => {
    expect(runs.tree?.code).toBe(0);
    // EU cannot split (FR alone is too small); US and CN are pooled under the root.
    expect(runs.tree?.out).toBe('country,n\nEU,1\nEU,2\nEU,5\n*,3\n*,4\n');
  });

  it('kanon refuses a bad spec with a clear message and exit code 1', () => {
    expect(runs.badK?.code).toBe(1);
    expect(runs.badK?.err).toMatch(/k must be an integer of at least 2/);
    expect(runs.badK?.out).toBe('');
    expect(runs.badQi?.code).toBe(1);
    expect(runs.badQi?.err).toMatch(/--qi "age:number": expected col:kind/);
  });

  it('dp-count keeps labels and bare counts in order (ε = 1000 leaves them as they are)', () => {
    expect(runs.counts?.code).toBe(0);
    expect(runs.counts?.out).toBe('ip-dst,40\ndomain,12\n7\n');
    expect(runs.counts?.err).toMatch(/3 counts released with discrete Laplace, ε 1000, sensitivity 1: within ±0/);
  });

  it('dp-count rejects a bad line before charging anything', () => {
    expect(runs.badCounts?.code).toBe(1);
    expect(runs.badCounts?.err).toMatch(/line 1: "forty" is not a count/);
    expect(runs.badCounts?.out).toBe('');
    expect(dirs.some((d) => existsSync(join(d, 'never.json')))).toBe(false);
  });

  it('dp-count charges the budget ledger and refuses with exit code 3 once it would be exceeded', async () => {
    const budget = join(tmp(), 'budget.json');
    const args = ['privacy', 'dp-count', '--epsilon', '0.25', '--budget', budget, '--recipient', 'org-a', '--limit', '0.4', '--purpose', 'test release'];
    const first = await waggle('a,10\nb,20\n', ...args);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^a,-?\d+\nb,-?\d+\n$/);
    expect(first.err).toContain('budget of org-a: 1/4 of 2/5 spent');
    const ledger = readFileSync(budget, 'utf8');
    expect(JSON.parse(ledger)).toMatchObject({ version: 1, recipients: { 'org-a': { spent: '1/4', entries: [{ epsilon: '1/4', purpose: 'test release' }] } } });
    const second = await waggle('a,10\nb,20\n', ...args);
    expect(second.code).toBe(3);
    expect(second.out).toBe('');
    expect(second.err).toMatch(/privacy budget exceeded for recipient "org-a": ε 1\/4 requested, 3\/20 of 2\/5 left/);
    expect(readFileSync(budget, 'utf8')).toBe(ledger);
  }, 240_000);
});
