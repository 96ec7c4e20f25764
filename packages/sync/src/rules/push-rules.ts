import { isJsonObject, toText, type JsonObject } from '../model/misp-json.js';
import type { SyncRules } from '../model/sync-rules.js';
import { tagKeys } from './tags.js';

/** Ways of naming the creator organisation of an event: id, uuid, name. */
export function orgcKeys(event: JsonObject): Set<string> {
  const keys = new Set<string>();
  const add = (v: unknown, lower = false): void => {
    const text = toText(v);
    if (text !== undefined && text !== '') keys.add(lower ? text.toLowerCase() : text);
  };
  add(event.orgc_id);
  add(event.orgc_uuid, true);
  add(event.orgc_name);
  if (isJsonObject(event.Orgc)) {
    add(event.Orgc.id);
    add(event.Orgc.uuid, true);
    add(event.Orgc.name);
  }
  return keys;
}

function matchesAny(rule: readonly string[], keys: Set<string>, caseInsensitiveUuid = false): boolean {
  return rule.some((r) => keys.has(r) || (caseInsensitiveUuid && keys.has(r.toLowerCase())));
}

/**
 * MISP `Server::eventFilterPushableServers`: an event goes to a server only
 * when it carries one of the `tags.OR` tags (if any are set), none of the
 * `tags.NOT` tags, its creator organisation is in `orgs.OR` (if set) and not
 * in `orgs.NOT`. MISP compares local tag and organisation ids; waggle also
 * accepts tag names and organisation UUIDs or names, because ids differ
 * between instances. Returns the reason when the event is refused.
 */
export function checkPushRules(event: JsonObject, rules: SyncRules): string | undefined {
  const tags = tagKeys(event);
  if (rules.tags.OR.length > 0 && !matchesAny(rules.tags.OR, tags)) return 'The server rules blocks it from being pushed (no tag of the tags.OR rule).';
  if (rules.tags.NOT.length > 0 && matchesAny(rules.tags.NOT, tags)) return 'The server rules blocks it from being pushed (tag in the tags.NOT rule).';
  const orgs = orgcKeys(event);
  if (rules.orgs.OR.length > 0 && !matchesAny(rules.orgs.OR, orgs, true)) return 'The server rules blocks it from being pushed (creator org not in orgs.OR).';
  if (rules.orgs.NOT.length > 0 && matchesAny(rules.orgs.NOT, orgs, true)) return 'The server rules blocks it from being pushed (creator org in orgs.NOT).';
  return undefined;
}

/** True when an attribute carries a tag of the push `tags.NOT` rule (MISP's `blockedAttributeTags`). */
export function hasBlockedTag(attribute: JsonObject, rules: SyncRules): boolean {
  if (rules.tags.NOT.length === 0) return false;
  return matchesAny(rules.tags.NOT, tagKeys(attribute));
}

/** True when the object is excluded by `type_objects.NOT` (template UUID as in MISP, or object name). */
export function isBlockedObjectType(object: JsonObject, rules: SyncRules): boolean {
  if (rules.typeObjects.NOT.length === 0) return false;
  const keys = new Set<string>();
  const template = toText(object.template_uuid);
  const name = toText(object.name);
  if (template !== undefined) keys.add(template.toLowerCase());
  if (name !== undefined) keys.add(name);
  return rules.typeObjects.NOT.some((r) => keys.has(r) || keys.has(r.toLowerCase()));
}

/** True when the attribute's type is excluded by `type_attributes.NOT`. */
export function isBlockedAttributeType(attribute: JsonObject, rules: SyncRules): boolean {
  const type = toText(attribute.type);
  return type !== undefined && rules.typeAttributes.NOT.includes(type);
}
