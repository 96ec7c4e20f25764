import { matchRule } from './match-rule.js';
import type { Action, Recipient } from './policy-schema.js';
import type { Subject } from './subject.js';

/** The rule that decides a subject: its label (the rule's `name` or `rules[i]`, or `default`) and action. */
export interface Decision {
  readonly rule: string;
  readonly action: Action;
}

/** First matching rule wins; no match falls back to the recipient's `default`. */
export function decide(recipient: Recipient, subject: Subject): Decision {
  for (const [index, rule] of recipient.rules.entries()) {
    if (matchRule(rule.match, subject)) return { rule: rule.name ?? `rules[${index}]`, action: rule.action };
  }
  return { rule: 'default', action: recipient.default };
}
