import { Rational } from './rational.js';

/** One charge recorded against a recipient's budget. */
export interface BudgetEntry {
  /** ISO 8601 time of the charge. */
  readonly at: string;
  /** ε charged, exact (`"1/2"`). */
  readonly epsilon: string;
  /** Why: which release this paid for. */
  readonly purpose: string;
}

/** What a recipient has spent so far. */
export interface BudgetAccount {
  readonly recipient: string;
  /** Total ε charged, exact. */
  readonly spent: Rational;
  readonly entries: readonly BudgetEntry[];
}

/** Outcome of `tryCharge`: the account after the charge, or unchanged when it would have gone over the limit. */
export type ChargeOutcome = { readonly ok: true; readonly account: BudgetAccount } | { readonly ok: false; readonly account: BudgetAccount };

/**
 * Storage port of the privacy budget ledger. `tryCharge` is the one write and
 * must be atomic: check spent + ε ≤ limit and record the entry as one step,
 * so two concurrent releases cannot both pass the check.
 */
export interface BudgetStore {
  get(recipient: string): Promise<BudgetAccount>;
  tryCharge(recipient: string, epsilon: Rational, limit: Rational, entry: BudgetEntry): Promise<ChargeOutcome>;
}

/** An account with nothing spent. */
export function emptyAccount(recipient: string): BudgetAccount {
  return { recipient, spent: Rational.of(0n), entries: [] };
}

/** The pure decision both adapters share: the account after charging, or `ok: false` and the account as it was. */
export function applyCharge(account: BudgetAccount, epsilon: Rational, limit: Rational, entry: BudgetEntry): ChargeOutcome {
  const spent = account.spent.add(epsilon);
  if (spent.compare(limit) > 0) return { ok: false, account };
  return { ok: true, account: { recipient: account.recipient, spent, entries: [...account.entries, entry] } };
}

/** In-memory adapter: one process, lost on exit. Atomic because the check and the write run without an await between them. */
export function createMemoryBudgetStore(): BudgetStore {
  const accounts = new Map<string, BudgetAccount>();
  return {
    get(recipient) {
      return Promise.resolve(accounts.get(recipient) ?? emptyAccount(recipient));
    },
    tryCharge(recipient, epsilon, limit, entry) {
      const outcome = applyCharge(accounts.get(recipient) ?? emptyAccount(recipient), epsilon, limit, entry);
      if (outcome.ok) accounts.set(recipient, outcome.account);
      return Promise.resolve(outcome);
    },
  };
}
