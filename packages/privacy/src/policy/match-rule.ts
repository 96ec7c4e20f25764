import { ipValue, inCidr, isInternalValue } from './ip-value.js';
import type { PolicyField, RuleMatch } from './policy-schema.js';
import type { Subject } from './subject.js';
import { anyTagMatches } from './tag-pattern.js';

/** A rule's match with its lists turned into sets and its regex compiled, once per rule. */
interface CompiledMatch {
  readonly fields: ReadonlySet<PolicyField>;
  readonly types: ReadonlySet<string> | undefined;
  readonly categories: ReadonlySet<string> | undefined;
  readonly objectNames: ReadonlySet<string> | undefined;
  readonly relations: ReadonlySet<string> | undefined;
  readonly distributions: ReadonlySet<number> | undefined;
  readonly regex: RegExp | undefined;
}

const VALUE_ONLY: ReadonlySet<PolicyField> = new Set(['value']);
const compiled = new WeakMap<RuleMatch, CompiledMatch>();

const setOf = <T>(list: readonly T[] | undefined): ReadonlySet<T> | undefined => (list === undefined ? undefined : new Set(list));

function compile(match: RuleMatch): CompiledMatch {
  let c = compiled.get(match);
  if (c === undefined) {
    const object = match.object === false ? undefined : match.object;
    c = {
      fields: match.field === undefined ? VALUE_ONLY : new Set(match.field),
      types: setOf(match.type),
      categories: setOf(match.category),
      objectNames: setOf(object?.name),
      relations: setOf(object?.relation),
      distributions: setOf(match.distribution),
      regex: match.value?.regex === undefined ? undefined : new RegExp(match.value.regex, 'u'),
    };
    compiled.set(match, c);
  }
  return c;
}

function valueMatches(match: NonNullable<RuleMatch['value']>, regex: RegExp | undefined, value: string): boolean {
  if (match.internal_ip !== undefined) {
    // internal_ip: false means "an address, and not an internal one".
    if (ipValue(value) === undefined || isInternalValue(value) !== match.internal_ip) return false;
  }
  if (match.ip_version !== undefined && ipValue(value)?.version !== match.ip_version) return false;
  if (match.cidr !== undefined && !match.cidr.some((cidr) => inCidr(value, cidr))) return false;
  if (regex !== undefined && !regex.test(value)) return false;
  return true;
}

/**
 * Whether every criterion of `match` holds for `subject`. A rule without
 * `field` looks at attribute values only; a criterion about something the
 * subject does not have (a `type` for the event's `info`) does not hold.
 * `type` lists may name a half's type (`ip-dst` matches the address of an
 * `ip-dst|port`) or the composite type itself (then both halves match).
 */
export function matchRule(match: RuleMatch, subject: Subject): boolean {
  const c = compile(match);
  if (!c.fields.has(subject.field)) return false;
  if (c.types !== undefined && !((subject.type !== undefined && c.types.has(subject.type)) || (subject.compositeType !== undefined && c.types.has(subject.compositeType)))) return false;
  if (c.categories !== undefined && (subject.category === undefined || !c.categories.has(subject.category))) return false;
  if (match.object === false && subject.object !== undefined) return false;
  if (match.object !== undefined && match.object !== false) {
    const object = subject.object;
    if (object === undefined) return false;
    if (c.objectNames !== undefined && !c.objectNames.has(object.name)) return false;
    if (c.relations !== undefined && (object.relation === undefined || !c.relations.has(object.relation))) return false;
  }
  if (match.tag !== undefined && !anyTagMatches(match.tag, subject.tags)) return false;
  if (match.event_tag !== undefined && !anyTagMatches(match.event_tag, subject.eventTags)) return false;
  if (c.distributions !== undefined && (subject.distribution === undefined || !c.distributions.has(subject.distribution))) return false;
  if (match.to_ids !== undefined && subject.toIds !== match.to_ids) return false;
  if (match.value !== undefined && !valueMatches(match.value, c.regex, subject.value)) return false;
  return true;
}
