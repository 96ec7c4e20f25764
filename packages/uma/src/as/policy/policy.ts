import { InputError } from '@waggle/errors';
import type { RequesterClaims } from '../../common/uma-types.js';

/**
 * One condition: every named claim must have the given value (`*` = any value).
 * A claim holding a list matches when the list contains the value. `user` is an alias of `sub`.
 */
export type PolicyCondition = Readonly<Record<string, string>>;

/** A rule: who (`allow`, any one condition suffices) gets which `scopes`; `approval: "owner"` = ask the owner first. */
export interface PolicyRule {
  readonly scopes: readonly string[];
  readonly allow: readonly PolicyCondition[];
  readonly approval?: 'none' | 'owner';
}

/** A resource owner's policy for one resource. */
export interface UmaPolicy {
  readonly rules: readonly PolicyRule[];
}

/** What the policy says for one scope and one set of claims. */
export type PolicyOutcome = 'permit' | 'ask' | 'none';

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

const fail = (message: string, field: string): never => {
  throw new InputError(message, { field });
};

function parseCondition(raw: unknown, where: string): PolicyCondition {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`${where} must be an object of claim → value`, where);
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) return fail(`${where} names no claim`, where);
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!NAME.test(name)) fail(`${where}: "${name}" is not a claim name`, where);
    if (typeof value !== 'string' || value === '') fail(`${where}.${name} must be a non-empty string`, where);
    out[name === 'user' ? 'sub' : name] = value as string;
  }
  return out;
}

/** Validates a policy document (JSON as received); every problem is an `InputError` naming the field. */
export function parsePolicy(raw: unknown): UmaPolicy {
  const rules = (raw as { rules?: unknown } | null)?.rules;
  if (typeof raw !== 'object' || raw === null || !Array.isArray(rules)) return fail('a policy is an object with a "rules" array', 'rules');
  return {
    rules: rules.map((r: unknown, i): PolicyRule => {
      const where = `rules[${i}]`;
      const rule = r as { scopes?: unknown; allow?: unknown; approval?: unknown } | null;
      if (typeof rule !== 'object' || rule === null) return fail(`${where} must be an object`, where);
      if (!Array.isArray(rule.scopes) || rule.scopes.length === 0 || !rule.scopes.every((s) => typeof s === 'string' && s !== '')) return fail(`${where}.scopes must be a non-empty list of scope names`, `${where}.scopes`);
      if (!Array.isArray(rule.allow) || rule.allow.length === 0) return fail(`${where}.allow must be a non-empty list of conditions`, `${where}.allow`);
      if (rule.approval !== undefined && rule.approval !== 'none' && rule.approval !== 'owner') return fail(`${where}.approval must be "none" or "owner"`, `${where}.approval`);
      const allow = rule.allow.map((c: unknown, j) => parseCondition(c, `${where}.allow[${j}]`));
      return { scopes: rule.scopes as string[], allow, ...(rule.approval === 'owner' ? { approval: 'owner' as const } : {}) };
    }),
  };
}

function conditionHolds(condition: PolicyCondition, claims: RequesterClaims): boolean {
  return Object.entries(condition).every(([name, want]) => {
    const have = claims[name];
    if (have === undefined) return false;
    const values = typeof have === 'string' ? [have] : have;
    return want === '*' ? values.length > 0 : values.includes(want);
  });
}

/** Evaluates the policy for one scope: `permit` beats `ask`, and no matching rule is `none`. */
export function evaluatePolicy(policy: UmaPolicy, scope: string, claims: RequesterClaims): PolicyOutcome {
  let outcome: PolicyOutcome = 'none';
  for (const rule of policy.rules) {
    if (!rule.scopes.includes(scope) || !rule.allow.some((c) => conditionHolds(c, claims))) continue;
    if (rule.approval !== 'owner') return 'permit';
    outcome = 'ask';
  }
  return outcome;
}

/** Claim names the policy could use for `scope` (what a `need_info` asks for). */
export function claimsUsedFor(policy: UmaPolicy, scope: string): string[] {
  const names = new Set<string>();
  for (const rule of policy.rules) if (rule.scopes.includes(scope)) for (const c of rule.allow) for (const n of Object.keys(c)) names.add(n);
  return [...names].sort();
}

/**
 * Parses the CLI shorthand `org:ACME,sector:energy,role:CERT,user:alice` into
 * conditions (each item on its own: any one suffices; join with `+` to require
 * several at once, e.g. `sector:energy+role:CERT`).
 */
export function parseAllowList(list: string): PolicyCondition[] {
  const items = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) fail('--allow names nobody', 'allow');
  return items.map((item, i) => {
    const condition: Record<string, string> = {};
    for (const part of item.split('+')) {
      const at = part.indexOf(':');
      if (at <= 0 || at === part.length - 1) fail(`--allow item "${part}" is not claim:value`, 'allow');
      condition[part.slice(0, at)] = part.slice(at + 1);
    }
    return parseCondition(condition, `allow[${i}]`);
  });
}
