// Differential privacy for released counts: exact rationals, exact samplers, mechanisms, per-recipient budget.
export { Rational, positiveRational } from './rational.js';
export type { RationalInput } from './rational.js';
export { cryptoRandomSource, seededRandomSource } from './random-source.js';
export type { RandomSource } from './random-source.js';
export { sampleBernoulli, sampleBernoulliExp, sampleDiscreteLaplace, sampleDiscreteGaussian } from './samplers.js';
export { releaseCount, releaseHistogram, discreteLaplaceErrorBound, discreteLaplacePmf } from './mechanisms.js';
export type { ReleaseParams, ReleaseDeps, ReleasedCount, ReleasedHistogram } from './mechanisms.js';
export { createMemoryBudgetStore } from './budget-store.js';
export type { BudgetStore, BudgetAccount, BudgetEntry, ChargeOutcome } from './budget-store.js';
export { createJsonFileBudgetStore } from './json-file-budget-store.js';
export type { JsonFileBudgetStoreOptions } from './json-file-budget-store.js';
export { createBudgetLedger } from './budget-ledger.js';
export type { BudgetLedger, BudgetLedgerDeps, BudgetCharge } from './budget-ledger.js';
