import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../main.js';

const DATA = process.env.WAGGLE_SHARED_DATA ?? (existsSync(fileURLToPath(new URL('../../../../../shared/data/', import.meta.url))) ? fileURLToPath(new URL('../../../../../shared/data/', import.meta.url)) : '/work/shared/data/');
const APT = join(DATA, 'apt-campaigns');
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** Runs the real CLI in a child process (sources through tsx, as `npm run` in development). */
function waggle(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const script = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(['node', 'waggle', ...process.argv.slice(1)]);`;
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script, ...args], { cwd: REPO });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Runs the CLI in-process: exit code and stderr. */
async function inProcess(...args: string[]): Promise<{ code: number; err: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  process.exitCode = 0;
  try {
    return { code: await main(['node', 'waggle', ...args]), err: chunks.join('') };
  } finally {
    spy.mockRestore();
    process.exitCode = 0;
  }
}

describe('waggle risk apt', () => {
  it('prints one JSON array with exactly the documented keys, one object per strategy, delay and case', async () => {
    const { code, out, err } = await waggle('risk', 'apt', '--data', APT, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const rows = JSON.parse(out) as Record<string, unknown>[];
    expect(rows).toHaveLength(20);
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(['campaigns', 'case', 'ci_high', 'ci_low', 'delay_months', 'probability', 'strategy', 'successful', 'updates']);
      expect(r.probability).toBeGreaterThanOrEqual(r.ci_low as number);
      expect(r.probability).toBeLessThanOrEqual(r.ci_high as number);
    }
    expect(rows.map((r) => `${String(r.strategy)}/${String(r.delay_months)}/${String(r.case)}`).slice(0, 4)).toEqual(['immediate/0/optimistic', 'immediate/0/pessimistic', 'planned/1/optimistic', 'planned/1/pessimistic']);
    expect(new Set(rows.map((r) => r.campaigns))).toEqual(new Set([74]));
  }, 60_000);

  it('prints the table with odds ratios and links APT names to MISP galaxies', async () => {
    const { code, out } = await waggle('risk', 'apt', '--data', APT, '--strategy', 'reactive', '--delay', '0', '--galaxies', join(DATA, 'misp-galaxy'));
    expect(code).toBe(0);
    expect(out).toMatch(/^Campaigns considered: 74 /);
    // Only reactive rows; the odds ratio baseline (Immediate-optimistic) is computed anyway.
    expect(out).toMatch(/^Reactive 0m\s+optimistic\s+74\s+\d+\s+[\d.]+%\s+[\d.]+%–[\d.]+%\s+\d+\s+[\d.]+x$/m);
    expect(out).not.toMatch(/^Immediate/m);
    expect(out).toMatch(/APT names linked to MISP galaxy clusters: \d+ of 86/);
    expect(out).toContain('APT28: misp-galaxy:threat-actor="APT28"');
  }, 60_000);

  it('fails with a clear message and a non-zero exit for a missing data folder', async () => {
    expect(await inProcess('risk', 'apt', '--data', '/nonexistent/apt', '--json')).toEqual({ code: 1, err: 'waggle: APT data folder not found: /nonexistent/apt\n' });
  });

  it('rejects bad options before reading anything', async () => {
    expect(await inProcess('risk', 'apt', '--data', APT, '--strategy', 'yearly')).toEqual({ code: 1, err: 'waggle: --strategy must be one of immediate, planned, reactive, informed-reactive, got "yearly"\n' });
    expect(await inProcess('risk', 'apt', '--data', APT, '--delay', 'soon')).toEqual({ code: 1, err: 'waggle: --delay must be a whole number of months from 0 to 120, got "soon"\n' });
    expect(await inProcess('risk', 'apt', '--data', APT, '--strategy', 'immediate', '--delay', '3')).toEqual({ code: 1, err: 'waggle: --delay does not apply to the immediate strategy (it has no delay)\n' });
    expect((await inProcess('risk', 'apt', '--data', APT, '--galaxies', '/nonexistent/galaxy')).err).toBe('waggle: MISP galaxy folder not found: /nonexistent/galaxy\n');
  });

  it('names a missing file of an incomplete data folder', async () => {
    const r = await inProcess('risk', 'apt', '--data', join(APT, 'data_analysis'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^waggle: APT data folder .*data_analysis lacks .*neo4j_db\/raw_data\/rel_threatactor_vulnerabilities\.csv/);
  });
});
