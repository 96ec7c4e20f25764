import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePolicy } from './parse-policy.js';
import type { Action, Policy } from './policy-schema.js';

/**
 * Absolute path of the built-in policy (`packages/privacy/data/default-policy.yaml`).
 * The relative URL resolves the same from `src/policy/*.ts` and `dist/policy/*.js`.
 */
export function defaultPolicyPath(): string {
  return fileURLToPath(new URL('../../data/default-policy.yaml', import.meta.url));
}

/** Variants of the built-in policy. */
export interface DefaultPolicyOptions {
  /** Send the event's `info` as written (default false: a neutral text replaces it). */
  readonly keepInfo?: boolean;
  /**
   * Whether a key store holds the `community` key (default true). Without
   * keys, internal addresses are truncated (IPv4 /24, IPv6 /48) instead of
   * Crypto-PAn'd, and what would get a keyed pseudonym is suppressed.
   */
  readonly withKeys?: boolean;
}

// The shipped file never changes while the process runs: parse it once.
let base: Policy | undefined;

function keyless(action: Action): Action {
  if (action.technique === 'cryptopan') return { technique: 'truncate', prefix: 24, prefix6: 48 };
  // Every other keyed technique: without the key there is no safe stand-in.
  return 'key' in action ? { technique: 'suppress' } : action;
}

/**
 * The built-in policy `default` (see the file for every rule and why),
 * validated like any other policy, in the variant `options` ask for.
 */
export function defaultPolicy(options: DefaultPolicyOptions = {}): Policy {
  base ??= parsePolicy(readFileSync(defaultPolicyPath(), 'utf8'), 'yaml', 'default-policy.yaml');
  const policy = base;
  const withKeys = options.withKeys ?? true;
  return {
    ...policy,
    keys: withKeys ? policy.keys : {},
    recipients: policy.recipients.map((recipient) => ({
      ...recipient,
      default: withKeys ? recipient.default : keyless(recipient.default),
      rules: recipient.rules.map((rule) => {
        const action: Action = options.keepInfo === true && rule.name === 'event-info' ? { technique: 'keep' } : rule.action;
        return { ...rule, action: withKeys ? action : keyless(action) };
      }),
    })),
  };
}
