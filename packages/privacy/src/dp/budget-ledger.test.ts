import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ForbiddenError, InputError } from '@waggle/errors';
import { createBudgetLedger } from './budget-ledger.js';
import { createMemoryBudgetStore, type BudgetStore } from './budget-store.js';
import { createJsonFileBudgetStore } from './json-file-budget-store.js';

const now = (): Date => new Date('2026-12-02T10:00:00Z');
const dirs: string[] = [];
const tempFile = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'waggle-budget-'));
  dirs.push(d);
  return join(d, 'sub', 'budget.json');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// The same contract for every adapter of the port.
describe.each([
  ['memory', (): BudgetStore => createMemoryBudgetStore()],
  ['json file', (): BudgetStore => createJsonFileBudgetStore(tempFile())],
])('budget ledger on the %s store', (_name, makeStore) => {
  it('composes ε exactly: 0.1 + 0.1 + 0.1 fits a limit of 0.3, the next charge is refused', async () => {
    const ledger = createBudgetLedger({ store: makeStore(), now, limits: { 'org-a': '0.3' } });
    for (let i = 0; i < 3; i++) await ledger.charge('org-a', '0.1', `release ${i}`);
    const status = await ledger.status('org-a');
    expect(status.spent.toString()).toBe('3/10');
    expect(status.remaining.toString()).toBe('0');
    await expect(ledger.charge('org-a', '1/1000', 'one more')).rejects.toThrow(ForbiddenError);
  });

  it('a refused charge leaves the ledger unchanged', async () => {
    const ledger = createBudgetLedger({ store: makeStore(), now, limits: { 'org-a': '1' } });
    const ok = await ledger.charge('org-a', '3/4', 'weekly sightings');
    expect(ok.remaining.toString()).toBe('1/4');
    const before = await ledger.status('org-a');
    await expect(ledger.charge('org-a', '1/2', 'too much')).rejects.toThrow(/privacy budget exceeded for recipient "org-a": ε 1\/2 requested, 1\/4 of 1 left/);
    const after = await ledger.status('org-a');
    expect(after.spent.toString()).toBe(before.spent.toString());
    expect(after.entries).toEqual([{ at: '2026-12-02T10:00:00.000Z', epsilon: '3/4', purpose: 'weekly sightings' }]);
  });

  it('keeps recipients apart and uses the default limit for unlisted ones', async () => {
    const ledger = createBudgetLedger({ store: makeStore(), now, limits: { a: '1' }, defaultLimit: '0.5' });
    await ledger.charge('a', '1', 'x');
    await ledger.charge('b', '0.5', 'x');
    await expect(ledger.charge('b', '0.01', 'x')).rejects.toThrow(ForbiddenError);
    expect((await ledger.status('a')).spent.toString()).toBe('1');
  });

  it('refuses a recipient without a limit', async () => {
    const ledger = createBudgetLedger({ store: makeStore(), now, limits: {} });
    await expect(ledger.charge('nobody', '0.1', 'x')).rejects.toThrow(/no privacy budget is configured for recipient "nobody"/);
  });

  it('concurrent charges never overspend', async () => {
    const ledger = createBudgetLedger({ store: makeStore(), now, limits: { a: '1' } });
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => ledger.charge('a', '1/4', `r${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect((await ledger.status('a')).spent.toString()).toBe('1');
  });

  it.each([
    ['0', /epsilon must be greater than 0/],
    ['-0.2', /epsilon must be greater than 0/],
    ['lots', /not a number/],
  ])('rejects ε %j with an InputError and records nothing', async (eps, message) => {
    const ledger = createBudgetLedger({ store: makeStore(), now, limits: { a: '1' } });
    await expect(ledger.charge('a', eps, 'x')).rejects.toThrow(message);
    await expect(ledger.charge('a', eps, 'x')).rejects.toThrow(InputError);
    expect((await ledger.status('a')).entries).toHaveLength(0);
  });

  it('rejects an empty recipient or purpose', async () => {
    const ledger = createBudgetLedger({ store: makeStore(), now, limits: { a: '1' } });
    await expect(ledger.charge(' ', '0.1', 'x')).rejects.toThrow(/recipient must be a non-empty name/);
    await expect(ledger.charge('a', '0.1', '')).rejects.toThrow(/purpose/);
  });
});

describe('createBudgetLedger configuration', () => {
  it('rejects non-positive or non-numeric limits, naming the recipient', () => {
    expect(() => createBudgetLedger({ store: createMemoryBudgetStore(), now, limits: { a: '0' } })).toThrow(/limits\.a must be greater than 0/);
    expect(() => createBudgetLedger({ store: createMemoryBudgetStore(), now, limits: { a: 'x' } })).toThrow(InputError);
    expect(() => createBudgetLedger({ store: createMemoryBudgetStore(), now, limits: {}, defaultLimit: '-1' })).toThrow(/defaultLimit/);
  });
});

describe('JSON-file budget store', () => {
  it('persists across store instances, exactly, and leaves no temporary or lock files', async () => {
    const file = tempFile();
    await createBudgetLedger({ store: createJsonFileBudgetStore(file), now, limits: { a: '1' } }).charge('a', '1/3', 'first');
    const second = createBudgetLedger({ store: createJsonFileBudgetStore(file), now, limits: { a: '1' } });
    await second.charge('a', '1/3', 'second');
    expect((await second.status('a')).spent.toString()).toBe('2/3');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { recipients: Record<string, { spent: string }> };
    expect(json.recipients.a?.spent).toBe('2/3');
    expect(readdirSync(join(file, '..'))).toEqual(['budget.json']);
  });

  it('a refused charge leaves the file byte for byte unchanged', async () => {
    const file = tempFile();
    const ledger = createBudgetLedger({ store: createJsonFileBudgetStore(file), now, limits: { a: '1/2' } });
    await ledger.charge('a', '1/2', 'all of it');
    const before = readFileSync(file);
    await expect(ledger.charge('a', '1/100', 'more')).rejects.toThrow(ForbiddenError);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('two stores on one file (two processes) share the limit through the lock', async () => {
    const file = tempFile();
    const a = createBudgetLedger({ store: createJsonFileBudgetStore(file), now, limits: { r: '1' } });
    const b = createBudgetLedger({ store: createJsonFileBudgetStore(file), now, limits: { r: '1' } });
    const results = await Promise.allSettled([a, b, a, b, a, b].map((l, i) => l.charge('r', '1/4', `r${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect((await a.status('r')).entries).toHaveLength(4);
  });

  it('a recipient called __proto__ is an ordinary key', async () => {
    const file = tempFile();
    const ledger = createBudgetLedger({ store: createJsonFileBudgetStore(file), now, limits: { ['__proto__']: '1' } });
    await ledger.charge('__proto__', '1/2', 'x');
    expect((await ledger.status('__proto__')).spent.toString()).toBe('1/2');
  });

  it('refuses a corrupt or tampered ledger instead of guessing', async () => {
    const file = tempFile();
    const store = createJsonFileBudgetStore(file);
    const ledger = createBudgetLedger({ store, now, limits: { a: '1' } });
    await ledger.charge('a', '1/2', 'x');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { recipients: Record<string, { spent: string }> };
    json.recipients.a!.spent = '0';
    writeFileSync(file, JSON.stringify(json));
    await expect(ledger.charge('a', '1/2', 'y')).rejects.toThrow(/spent 0 is not the sum of its entries \(1\/2\)/);
    writeFileSync(file, '{not json');
    await expect(ledger.status('a')).rejects.toThrow(/not JSON/);
    writeFileSync(file, '{"version":2}');
    await expect(ledger.status('a')).rejects.toThrow(InputError);
  });

  it('times out on a lock held by someone else, and removes a stale one', async () => {
    const file = tempFile();
    const first = createJsonFileBudgetStore(file);
    await createBudgetLedger({ store: first, now, limits: { a: '1' } }).charge('a', '1/4', 'x');
    writeFileSync(`${file}.lock`, '');
    const impatient = createBudgetLedger({ store: createJsonFileBudgetStore(file, { lockTimeoutMs: 100 }), now, limits: { a: '1' } });
    await expect(impatient.charge('a', '1/4', 'y')).rejects.toThrow(/locked by another process/);
    const reclaiming = createBudgetLedger({ store: createJsonFileBudgetStore(file, { staleLockMs: 0 }), now, limits: { a: '1' } });
    await new Promise((r) => setTimeout(r, 5));
    await reclaiming.charge('a', '1/4', 'z');
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect((await reclaiming.status('a')).spent.toString()).toBe('1/2');
  });
});
