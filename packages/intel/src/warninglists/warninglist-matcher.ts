import { createMultiPatternSearch, type MultiPatternSearch } from './aho-corasick.js';
import { createIpIntervalIndex, type IpIntervalIndex } from './ip-interval-index.js';
import { hostOf, normaliseForWarninglists, trimDots } from './normalise-value.js';
import { compilePhpRegex } from './php-regex.js';
import type { Warninglist, WarninglistHit } from './warninglist.js';

/** An attribute to check: MISP checks only `to_ids` ones unless `warningForAll` is set. */
export interface WarninglistAttribute {
  readonly type: string;
  readonly value: string;
  readonly to_ids?: boolean;
}

/** A list entry the matcher could not use (invalid CIDR, regex JavaScript cannot run) or had to adapt. */
export interface WarninglistEntryProblem {
  readonly list: string;
  readonly entry: string;
  readonly message: string;
}

export interface WarninglistMatcherOptions {
  /** MISP's `MISP.warning_for_all`: `matchMany` also checks attributes with `to_ids: false`. Default false, as in MISP. */
  readonly warningForAll?: boolean;
}

/** Checks values against every list at once; build once per set of enabled lists. */
export interface WarninglistMatcher {
  /** The lists this value (of this attribute type) is on, one hit per list, in list order. */
  match(type: string, value: string): WarninglistHit[];
  /** `match` for each attribute (empty for skipped non-IDS attributes), aligned with the input. */
  matchMany(attributes: readonly WarninglistAttribute[]): WarninglistHit[][];
  readonly lists: readonly Warninglist[];
  readonly problems: readonly WarninglistEntryProblem[];
}

/** Which kinds of list apply to one attribute type, so a check skips the others outright. */
interface TypePlan {
  readonly applies: Uint8Array;
  readonly string: boolean;
  readonly hostname: boolean;
  readonly cidr: boolean;
  readonly substring: boolean;
  readonly regex: readonly number[];
  readonly any: boolean;
}

type Owners = number | number[];

function addOwner(map: Map<string, Owners>, key: string, owner: number): void {
  const current = map.get(key);
  if (current === undefined) map.set(key, owner);
  else if (typeof current === 'number') {
    if (current !== owner) map.set(key, [current, owner]);
  } else if (!current.includes(owner)) current.push(owner);
}

/**
 * Builds one matcher over all `lists` with MISP's matching rules
 * (Warninglist::checkValue): composite values (any type with `|`, and
 * `malware-sample`) are checked half by half, first half first; `string`
 * is an exact, case-sensitive match; `substring` is containment; `hostname`
 * matches the host and any of its parent domains; `cidr` matches an IP, or a
 * network wholly inside a block, IPv4 and IPv6; `regex` runs each pattern.
 * Every kind is indexed across all lists: one hash lookup for strings, one
 * per label for hostnames, a binary search for CIDR, one Aho–Corasick pass
 * for substrings; only regexes are tried one by one.
 */
export function createWarninglistMatcher(lists: readonly Warninglist[], options: WarninglistMatcherOptions = {}): WarninglistMatcher {
  const problems: WarninglistEntryProblem[] = [];
  const strings = new Map<string, Owners>();
  const hostnames = new Map<string, Owners>();
  const cidrItems: { owner: number; entry: string }[] = [];
  const substrings: string[] = [];
  const substringOwners: number[] = [];
  const regexes: { readonly regex: RegExp; readonly source: string }[][] = lists.map(() => []);

  lists.forEach((list, owner) => {
    for (const entry of list.list) {
      switch (list.type) {
        case 'string':
          addOwner(strings, entry, owner);
          break;
        case 'hostname': {
          const host = trimDots(entry).toLowerCase();
          if (host !== '') addOwner(hostnames, host, owner);
          break;
        }
        case 'cidr':
          cidrItems.push({ owner, entry });
          break;
        case 'substring':
          substrings.push(entry);
          substringOwners.push(owner);
          break;
        case 'regex': {
          const compiled = compilePhpRegex(entry);
          if (!compiled.ok) problems.push({ list: list.name, entry, message: `regex skipped: ${compiled.reason}` });
          else {
            if (compiled.note !== undefined) problems.push({ list: list.name, entry, message: compiled.note });
            (regexes[owner] as { regex: RegExp; source: string }[]).push({ regex: compiled.regex, source: entry });
          }
          break;
        }
      }
    }
  });
  const ip: IpIntervalIndex = createIpIntervalIndex(cidrItems);
  for (const bad of ip.problems) problems.push({ list: (lists[bad.owner] as Warninglist).name, entry: bad.entry, message: 'not a valid IP address or CIDR block; skipped' });
  const automaton: MultiPatternSearch = createMultiPatternSearch(substrings);

  const plans = new Map<string, TypePlan>();
  const planFor = (type: string): TypePlan => {
    let plan = plans.get(type);
    if (plan === undefined) {
      plan = buildPlan(lists, type);
      plans.set(type, plan);
    }
    return plan;
  };

  // Scratch state of the check in progress. Checks are synchronous and never
  // nest, so one set per matcher serves them all and a check allocates
  // nothing unless it finds something (the callbacks below are made once).
  let plan: TypePlan = planFor('');
  let part = '';
  const found: (WarninglistHit | undefined)[] = new Array<WarninglistHit | undefined>(lists.length).fill(undefined);
  const touched: number[] = [];
  const bestPattern = new Int32Array(lists.length).fill(-1);
  const patternOwners: number[] = [];

  const record = (owner: number, matched: string): void => {
    if (plan.applies[owner] !== 1 || found[owner] !== undefined) return;
    const list = lists[owner] as Warninglist;
    const comment = list.comments?.get(matched);
    touched.push(owner);
    found[owner] = {
      list: list.name,
      category: list.category,
      matched,
      value: part,
      ...(list.id === undefined ? {} : { id: list.id }),
      ...(comment === undefined ? {} : { comment }),
    };
  };
  // Outermost block first, and a list keeps its first hit: MISP reports the widest block.
  const onBlock = (owner: number, entry: string): void => record(owner, entry);
  // MISP reports a list's first entry (in list order) found in the value; patterns are numbered in list order.
  const onPattern = (pattern: number): void => {
    const owner = substringOwners[pattern] as number;
    const best = bestPattern[owner] as number;
    if (best === -1) patternOwners.push(owner);
    if (best === -1 || pattern < best) bestPattern[owner] = pattern;
  };

  const checkPart = (): void => {
    if (plan.string) forOwners(strings.get(part), part, record);
    if (plan.hostname) checkHostname(hostnames, hostOf(part), record);
    if (plan.cidr) ip.lookup(part, onBlock);
    if (plan.substring) {
      automaton.search(part, onPattern);
      for (const owner of patternOwners) {
        record(owner, substrings[bestPattern[owner] as number] as string);
        bestPattern[owner] = -1;
      }
      patternOwners.length = 0;
    }
    for (const owner of plan.regex) {
      for (const { regex, source } of regexes[owner] as { regex: RegExp; source: string }[]) {
        if (regex.test(part)) {
          record(owner, source);
          break;
        }
      }
    }
  };

  const match = (type: string, rawValue: string): WarninglistHit[] => {
    plan = planFor(type);
    if (!plan.any) return [];
    const value = normaliseForWarninglists(type, rawValue);
    const bar = type === 'malware-sample' || type.includes('|') ? value.indexOf('|') : -1;
    touched.length = 0;
    part = bar === -1 ? value : value.slice(0, bar);
    checkPart();
    if (bar !== -1) {
      part = value.slice(bar + 1);
      checkPart();
    }
    if (touched.length === 0) return [];
    touched.sort((a, b) => a - b);
    const hits = touched.map((owner) => found[owner] as WarninglistHit);
    for (const owner of touched) found[owner] = undefined;
    touched.length = 0;
    return hits;
  };

  const warningForAll = options.warningForAll ?? false;
  return {
    lists,
    problems,
    match,
    matchMany: (attributes) => attributes.map((a) => (a.to_ids === false && !warningForAll ? [] : match(a.type, a.value))),
  };
}

function forOwners(owners: Owners | undefined, matched: string, record: (owner: number, matched: string) => void): void {
  if (owners === undefined) return;
  if (typeof owners === 'number') record(owners, matched);
  else for (const owner of owners) record(owner, matched);
}

/** Looks up the host, then each parent domain, shortest first (a list's first hit is its shortest suffix, as in MISP). */
function checkHostname(hostnames: ReadonlyMap<string, Owners>, host: string, record: (owner: number, matched: string) => void): void {
  let end = host.length;
  while (end > 0) {
    const dot = host.lastIndexOf('.', end - 1);
    const suffix = host.slice(dot + 1);
    forOwners(hostnames.get(suffix), suffix, record);
    if (dot === -1) break;
    end = dot;
  }
}

function buildPlan(lists: readonly Warninglist[], type: string): TypePlan {
  const applies = new Uint8Array(lists.length);
  const kinds = new Set<string>();
  const regex: number[] = [];
  lists.forEach((list, owner) => {
    if (!list.matching_attributes.includes('ALL') && !list.matching_attributes.includes(type)) return;
    applies[owner] = 1;
    kinds.add(list.type);
    if (list.type === 'regex') regex.push(owner);
  });
  return {
    applies,
    regex,
    string: kinds.has('string'),
    hostname: kinds.has('hostname'),
    cidr: kinds.has('cidr'),
    substring: kinds.has('substring'),
    any: kinds.size > 0,
  };
}
