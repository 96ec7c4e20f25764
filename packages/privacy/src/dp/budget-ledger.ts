import { ForbiddenError, InputError } from '@waggle/errors';
import { Rational, positiveRational, type RationalInput } from './rational.js';
import type { BudgetAccount, BudgetStore } from './budget-store.js';

/** What the ledger needs: where accounts live, the clock, and each recipient's total ε. */
export interface BudgetLedgerDeps {
  readonly store: BudgetStore;
  readonly now: () => Date;
  /** Total ε each recipient may ever be charged. */
  readonly limits: Readonly<Record<string, RationalInput>>;
  /** Limit of a recipient not in `limits`; without it such a recipient is refused. */
  readonly defaultLimit?: RationalInput;
}

/** A successful charge. */
export interface BudgetCharge {
  readonly recipient: string;
  readonly epsilon: Rational;
  readonly spent: Rational;
  readonly limit: Rational;
  readonly remaining: Rational;
}

/** Per-recipient privacy budget (sequential composition: ε of releases to one recipient add up). */
export interface BudgetLedger {
  /**
   * Charges ε for one release, or throws `ForbiddenError` (nothing recorded)
   * when the recipient's total would exceed its limit. Charge before
   * releasing and release only if this returned.
   */
  charge(recipient: string, epsilon: RationalInput, purpose: string): Promise<BudgetCharge>;
  /** Spent, limit and remaining ε of a recipient, and its history. */
  status(recipient: string): Promise<BudgetAccount & { readonly limit: Rational; readonly remaining: Rational }>;
}

const MAX_NAME = 256;

/**
 * Creates the budget ledger. Refusal is an exception rather than a verdict on
 * purpose: a release must not happen unpaid, and a thrown `ForbiddenError`
 * cannot be ignored by a caller that forgets to look at a return value.
 */
export function createBudgetLedger(deps: BudgetLedgerDeps): BudgetLedger {
  const limits = new Map<string, Rational>();
  for (const [name, value] of Object.entries(deps.limits)) limits.set(name, positiveRational(value, `limits.${name}`));
  const fallback = deps.defaultLimit === undefined ? undefined : positiveRational(deps.defaultLimit, 'defaultLimit');

  const checkRecipient = (recipient: string): void => {
    if (typeof recipient !== 'string' || recipient.trim() === '' || recipient.length > MAX_NAME) throw new InputError(`recipient must be a non-empty name of at most ${MAX_NAME} characters`, { field: 'recipient' });
  };
  const limitOf = (recipient: string): Rational => {
    const limit = limits.get(recipient) ?? fallback;
    if (limit === undefined) throw new ForbiddenError(`no privacy budget is configured for recipient "${recipient}"`, { field: 'recipient', recipient });
    return limit;
  };

  return {
    async charge(recipient, epsilon, purpose) {
      checkRecipient(recipient);
      const eps = positiveRational(epsilon, 'epsilon');
      if (typeof purpose !== 'string' || purpose.trim() === '') throw new InputError('purpose must say what the release is for', { field: 'purpose' });
      const limit = limitOf(recipient);
      const outcome = await deps.store.tryCharge(recipient, eps, limit, { at: deps.now().toISOString(), epsilon: eps.toString(), purpose });
      const remaining = limit.sub(outcome.account.spent);
      if (!outcome.ok) {
        throw new ForbiddenError(
          `privacy budget exceeded for recipient "${recipient}": ε ${eps.toString()} requested, ${remaining.toString()} of ${limit.toString()} left (${outcome.account.spent.toString()} spent)`,
          { field: 'epsilon', recipient, requested: eps.toString(), spent: outcome.account.spent.toString(), limit: limit.toString() },
        );
      }
      return { recipient, epsilon: eps, spent: outcome.account.spent, limit, remaining };
    },
    async status(recipient) {
      checkRecipient(recipient);
      const limit = limitOf(recipient);
      const account = await deps.store.get(recipient);
      return { ...account, limit, remaining: limit.sub(account.spent) };
    },
  };
}
