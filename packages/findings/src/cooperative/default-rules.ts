import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRuleSet, type RuleSet } from './rule-set.js';

/**
 * Path of the rules shipped with the package. The relative URL climbs to the
 * package root first, so it resolves the same from `src/cooperative/*.ts` and
 * from the built `dist/cooperative/*.js` (the YAML ships in `src/`).
 */
export function defaultRulesPath(): string {
  return fileURLToPath(new URL('../../src/cooperative/default-rules.yaml', import.meta.url));
}

/** The shipped rule set (ports, counts, rates, duration and time-of-day heuristics). */
export function defaultRuleSet(): RuleSet {
  return parseRuleSet(readFileSync(defaultRulesPath(), 'utf8'));
}
