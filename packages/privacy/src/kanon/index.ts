// k-anonymity (strict multidimensional Mondrian) with l-diversity for tabular releases.
export { anonymizeTable } from './anonymize-table.js';
export type { KAnonymityResult, ReleasedCell } from './anonymize-table.js';
export type { KAnonymitySpec, QiSpec, QiKind, DiversityKind } from './kanon-spec.js';
