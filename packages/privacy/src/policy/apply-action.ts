import {
  createCryptoPan,
  createEnumerator,
  createFf1,
  emailToDomain,
  generaliseTimestamp,
  hmacPseudonym,
  offsetFromKey,
  portClass,
  portToRange,
  shiftTimestamp,
  truncateIp,
  urlToDomain,
} from '../techniques/index.js';
import { ipValue } from './ip-value.js';
import type { KeyRing } from './key-ring.js';
import type { Action } from './policy-schema.js';
import type { Subject } from './subject.js';

/** What an action did to one value. */
export type Outcome =
  | { readonly kind: 'keep' }
  | { readonly kind: 'transform'; readonly value: string; readonly type?: string }
  | { readonly kind: 'suppress'; readonly reason: string }
  | { readonly kind: 'fail'; readonly reason: string; readonly detail: string };

/** Technique instances shared between runs (Crypto-PAn memos are worth keeping). */
export interface TechniqueCache {
  readonly cryptoPans: Map<string, ReturnType<typeof createCryptoPan>>;
  readonly ff1s: Map<string, ReturnType<typeof createFf1>>;
}

/** Per-run state: enumerators restart for every event. */
export interface RunState {
  readonly keys: KeyRing;
  readonly cache: TechniqueCache;
  readonly enumerators: Map<string, ReturnType<typeof createEnumerator>>;
}

const HOST_TYPES = new Set(['hostname', 'domain', 'target-machine']);
const EMAIL_TYPES = new Set(['email', 'email-src', 'email-dst', 'target-email', 'email-reply-to', 'dns-soa-email', 'whois-registrant-email']);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Pseudonyms that stand in for host names or e-mail addresses keep the
 * shape of one, under the reserved `.invalid` top-level domain (RFC 2606),
 * so the receiver's type validation accepts them and nobody mistakes them
 * for real names.
 */
function shaped(subject: Subject, pseudonym: string): string {
  if (subject.type !== undefined && HOST_TYPES.has(subject.type)) return `${pseudonym}.invalid`;
  if (subject.type !== undefined && EMAIL_TYPES.has(subject.type)) return `${pseudonym}@anonymised.invalid`;
  return pseudonym;
}

function dateLike(original: string, result: string): string {
  return DATE_ONLY.test(original) ? result.slice(0, 10) : result;
}

function ipTechnique(value: string, fn: (address: string, version: 4 | 6, prefix: number | undefined) => string): string {
  const ip = ipValue(value);
  if (ip === undefined) throw new Error('not an IP address or network');
  return fn(ip.address, ip.version, ip.prefix);
}

function transform(action: Action, subject: Subject, run: RunState, ruleId: string): string {
  const value = subject.value;
  switch (action.technique) {
    case 'keep':
    case 'suppress':
      return value;
    case 'replace':
      return action.value;
    case 'cryptopan': {
      const { id, key } = run.keys.subkey(action.key, 'cryptopan');
      let pan = run.cache.cryptoPans.get(id);
      if (pan === undefined) {
        pan = createCryptoPan(key);
        run.cache.cryptoPans.set(id, pan);
      }
      const cp = pan;
      // A network keeps its length: Crypto-PAn preserves prefixes, so every
      // address of the original network lands in the anonymised one.
      return ipTechnique(value, (address, _v, prefix) => (prefix === undefined ? cp.anonymize(address) : truncateIp(cp.anonymize(address), prefix, { cidr: true })));
    }
    case 'truncate':
      return ipTechnique(value, (address, version, prefix) => {
        const wanted = version === 4 ? action.prefix : action.prefix6;
        if (wanted === undefined) throw new Error(`this rule has no prefix for IPv${version}`);
        return truncateIp(address, Math.min(wanted, prefix ?? wanted), action.cidr === undefined ? {} : { cidr: action.cidr });
      });
    case 'hmac':
      return shaped(subject, hmacPseudonym(run.keys.subkey(action.key, 'hmac').key, value, { length: action.length ?? 16, ...(action.prefix === undefined ? {} : { prefix: action.prefix }) }));
    case 'ff1': {
      const { id, key } = run.keys.subkey(action.key, 'ff1');
      const cacheId = `${id}/${action.radix}/${action.alphabet ?? ''}`;
      let ff1 = run.cache.ff1s.get(cacheId);
      if (ff1 === undefined) {
        ff1 = createFf1(key, action.radix, action.alphabet === undefined ? {} : { alphabet: action.alphabet });
        run.cache.ff1s.set(cacheId, ff1);
      }
      return action.tweak === undefined ? ff1.encrypt(value) : ff1.encrypt(value, new TextEncoder().encode(action.tweak));
    }
    case 'generalise-time':
      return dateLike(value, generaliseTimestamp(value, action.unit));
    case 'shift-time':
      return dateLike(value, shiftTimestamp(value, offsetFromKey(run.keys.subkey(action.key, 'shift-time').key, action.max_days * 86_400)));
    case 'url-to-domain':
      return urlToDomain(value);
    case 'email-to-domain':
      return emailToDomain(value);
    case 'port-range':
      return portToRange(value, action.width);
    case 'port-class':
      return portClass(value);
    case 'enumerate': {
      let enumerator = run.enumerators.get(ruleId);
      if (enumerator === undefined) {
        enumerator = createEnumerator(action.prefix);
        run.enumerators.set(ruleId, enumerator);
      }
      return shaped(subject, enumerator.label(value));
    }
  }
}

/**
 * Applies `action` to the subject's value. Fails closed: whatever a technique
 * cannot handle (a malformed address, IPv6 under an IPv4-only truncation, a
 * value outside an FF1 domain) becomes a `fail` outcome, which callers treat
 * like `suppress`; the value is never passed on in clear.
 */
export function applyAction(action: Action, subject: Subject, run: RunState, ruleId: string): Outcome {
  if (action.technique === 'keep') return { kind: 'keep' };
  if (action.technique === 'suppress') return { kind: 'suppress', reason: `suppressed by ${ruleId}` };
  try {
    const value = transform(action, subject, run, ruleId);
    if (action.technique === 'url-to-domain' || action.technique === 'email-to-domain') return { kind: 'transform', value, type: ipValue(value) === undefined ? 'domain' : 'ip-dst' };
    return { kind: 'transform', value };
  } catch (error) {
    return { kind: 'fail', reason: `${action.technique} (${ruleId}) cannot handle this value; suppressed`, detail: error instanceof Error ? error.message : String(error) };
  }
}
