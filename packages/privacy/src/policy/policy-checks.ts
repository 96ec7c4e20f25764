import { isIP } from 'node:net';
import { isKnownCategory, isKnownType } from '@waggle/misp';

/** A problem found by a check, located by its path in the document. */
export interface PathProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `text` is `address/prefix` with a prefix that fits the address family. */
export function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return false;
  if (slash === -1) return true;
  const prefix = text.slice(slash + 1);
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function checkAction(action: unknown, path: (string | number)[], keys: Json | undefined, out: PathProblem[]): void {
  if (!isObject(action)) return;
  const key = action.key;
  if (typeof key === 'string' && key !== '' && keys !== undefined && !Object.hasOwn(keys, key)) {
    out.push({ path: [...path, 'key'], message: `key '${key}' is not declared under \`keys\`` });
  }
  if (action.technique === 'truncate' && action.prefix === undefined && action.prefix6 === undefined) {
    out.push({ path, message: 'truncate needs `prefix` (IPv4) and/or `prefix6` (IPv6)' });
  }
}

function checkMatch(match: unknown, path: (string | number)[], out: PathProblem[]): void {
  if (!isObject(match)) return;
  const each = (name: string, test: (value: string) => string | undefined): void => {
    const list = match[name];
    if (!Array.isArray(list)) return;
    list.forEach((value, index) => {
      if (typeof value !== 'string') return;
      const problem = test(value);
      if (problem !== undefined) out.push({ path: [...path, name, index], message: problem });
    });
  };
  each('type', (type) => (isKnownType(type) ? undefined : `'${type}' is not a MISP attribute type`));
  each('category', (category) => (isKnownCategory(category) ? undefined : `'${category}' is not a MISP category`));
  const value = match.value;
  if (isObject(value)) {
    if (typeof value.regex === 'string') {
      try {
        new RegExp(value.regex, 'u');
      } catch (error) {
        out.push({ path: [...path, 'value', 'regex'], message: `not a valid regular expression: ${(error as Error).message}` });
      }
    }
    if (Array.isArray(value.cidr)) {
      value.cidr.forEach((cidr, index) => {
        if (typeof cidr === 'string' && !isCidr(cidr)) out.push({ path: [...path, 'value', 'cidr', index], message: `'${cidr}' is not an IP network (address/prefix)` });
      });
    }
  }
}

/**
 * Checks the schema cannot express: key names declared, MISP types and
 * categories known, regular expressions and networks well formed, recipient
 * names unique. Works on the raw document so that its findings are reported
 * together with the schema's, even when the schema already failed.
 */
export function checkPolicy(raw: unknown): PathProblem[] {
  const out: PathProblem[] = [];
  if (!isObject(raw)) return out;
  const keys = isObject(raw.keys) ? raw.keys : raw.keys === undefined ? {} : undefined;
  if (!Array.isArray(raw.recipients)) return out;
  const names = new Map<string, number>();
  raw.recipients.forEach((recipient, r) => {
    if (!isObject(recipient)) return;
    const base: (string | number)[] = ['recipients', r];
    if (typeof recipient.name === 'string') {
      const first = names.get(recipient.name);
      if (first !== undefined) out.push({ path: [...base, 'name'], message: `recipient '${recipient.name}' is already defined (recipients[${first}])` });
      else names.set(recipient.name, r);
    }
    checkAction(recipient.default, [...base, 'default'], keys, out);
    if (!Array.isArray(recipient.rules)) return;
    recipient.rules.forEach((rule, i) => {
      if (!isObject(rule)) return;
      checkMatch(rule.match, [...base, 'rules', i, 'match'], out);
      checkAction(rule.action, [...base, 'rules', i, 'action'], keys, out);
    });
  });
  return out;
}
