import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError, UnavailableError } from '@waggle/errors';
import { Rational } from './rational.js';
import { applyCharge, emptyAccount, type BudgetAccount, type BudgetEntry, type BudgetStore } from './budget-store.js';

/** Options of the JSON-file adapter. */
export interface JsonFileBudgetStoreOptions {
  /** How long to wait for another process holding the lock (default 5 s) before failing with `UnavailableError`. */
  readonly lockTimeoutMs?: number;
  /** A lock file older than this is left over from a crashed process and is removed (default 30 s). */
  readonly staleLockMs?: number;
}

interface LedgerFile {
  version: 1;
  recipients: Record<string, { spent: string; entries: BudgetEntry[] }>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function corrupt(file: string, why: string): InputError {
  return new InputError(`budget file ${file} is not a waggle privacy budget ledger: ${why}`, { field: 'budget' });
}

/** Reads and checks the ledger; a missing file is an empty ledger. */
async function load(file: string): Promise<LedgerFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, recipients: {} };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw corrupt(file, 'not JSON');
  }
  const ledger = json as LedgerFile;
  if (typeof json !== 'object' || json === null || ledger.version !== 1 || typeof ledger.recipients !== 'object' || ledger.recipients === null) throw corrupt(file, 'expected {"version":1,"recipients":{…}}');
  for (const [name, acc] of Object.entries(ledger.recipients)) {
    if (!Array.isArray(acc.entries) || typeof acc.spent !== 'string') throw corrupt(file, `recipient "${name}" has no spent/entries`);
    // A hand-edited total that no longer matches its entries would silently hand out extra budget.
    const sum = acc.entries.reduce((s, e) => s.add(Rational.parse(e.epsilon, 'epsilon')), Rational.of(0n));
    if (sum.compare(Rational.parse(acc.spent, 'spent')) !== 0) throw corrupt(file, `recipient "${name}": spent ${acc.spent} is not the sum of its entries (${sum.toString()})`);
  }
  return ledger;
}

function accountOf(ledger: LedgerFile, recipient: string): BudgetAccount {
  const acc = Object.hasOwn(ledger.recipients, recipient) ? ledger.recipients[recipient] : undefined;
  return acc === undefined ? emptyAccount(recipient) : { recipient, spent: Rational.parse(acc.spent), entries: acc.entries };
}

/** Writes the whole file to a temporary sibling, flushes it, then renames: readers see the old or the new ledger, never half of one. */
async function save(file: string, ledger: LedgerFile): Promise<void> {
  const tmp = `${file}.${randomUUID()}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(ledger, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Runs `fn` holding `<file>.lock`, created exclusively, so that several `waggle` processes charge one at a time. */
async function withLock<T>(file: string, opts: Required<JsonFileBudgetStoreOptions>, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + opts.lockTimeoutMs;
  for (;;) {
    try {
      const h = await open(lock, 'wx');
      await h.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > opts.staleLockMs) await rm(lock, { force: true });
      else if (Date.now() > deadline) throw new UnavailableError(`privacy budget ledger ${file} is locked by another process (${lock})`);
      else await sleep(20);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * JSON-file adapter, for the CLI's ledger in the data folder. A charge holds
 * a lock file across read-check-write (atomic between processes) and is
 * queued behind earlier charges of the same store (atomic within one).
 */
export function createJsonFileBudgetStore(file: string, options: JsonFileBudgetStoreOptions = {}): BudgetStore {
  const opts = { lockTimeoutMs: options.lockTimeoutMs ?? 5000, staleLockMs: options.staleLockMs ?? 30_000 };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    async get(recipient) {
      return accountOf(await load(file), recipient);
    },
    tryCharge(recipient, epsilon, limit, entry) {
      const run = async (): Promise<ReturnType<typeof applyCharge>> => {
        await mkdir(dirname(file), { recursive: true });
        return withLock(file, opts, async () => {
          const ledger = await load(file);
          const outcome = applyCharge(accountOf(ledger, recipient), epsilon, limit, entry);
          if (outcome.ok) {
            // defineProperty, not assignment: a recipient called "__proto__" must be a plain key.
            Object.defineProperty(ledger.recipients, recipient, { value: { spent: outcome.account.spent.toString(), entries: [...outcome.account.entries] }, enumerable: true, writable: true, configurable: true });
            await save(file, ledger);
          }
          return outcome;
        });
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
