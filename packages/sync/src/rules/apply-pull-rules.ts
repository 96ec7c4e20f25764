import type { JsonObject } from '../model/misp-json.js';
import type { SyncRules } from '../model/sync-rules.js';
import { orgcKeys } from './push-rules.js';
import { carriesTags, tagKeys } from './tags.js';

/** Whether a remote event passes a server's pull rules, and why not. */
export type PullRuleVerdict = { readonly accept: true } | { readonly accept: false; readonly reason: string };

/** The shape of a normalised index row (see `RemoteIndexEntry`); only the org fields are read. */
interface IndexLike {
  readonly orgcUuid?: string;
  readonly orgcName?: string;
}

function orgKeysOf(entry: JsonObject & IndexLike): Set<string> {
  const keys = orgcKeys(entry);
  if (typeof entry.orgcUuid === 'string') keys.add(entry.orgcUuid.toLowerCase());
  if (typeof entry.orgcName === 'string') keys.add(entry.orgcName);
  return keys;
}

/**
 * Checks pull rules on what this side can see of a remote event. MISP sends
 * the rules to the remote as `events/index` filters (`Server::filterRuleToParameter`:
 * `tag`/`org` lists with `!` for NOT) and trusts the answer; waggle sends the
 * same filters and checks again here, so a remote that ignores a filter
 * cannot push unwanted events in. Org rules are judged when the input names
 * the creator org (uuid or name); tag rules when it carries event tags (a
 * minimal index row carries none, a full event does). Tags match by exact
 * name, orgs by UUID (case-insensitive) or name.
 */
export function applyPullRules(entry: JsonObject | IndexLike, rules: SyncRules): PullRuleVerdict {
  const json = entry as JsonObject & IndexLike;
  const orgs = orgKeysOf(json);
  if (orgs.size > 0) {
    const has = (r: string): boolean => orgs.has(r) || orgs.has(r.toLowerCase());
    if (rules.orgs.OR.length > 0 && !rules.orgs.OR.some(has)) return { accept: false, reason: 'Creator organisation is not in the pull rule orgs.OR.' };
    if (rules.orgs.NOT.some(has)) return { accept: false, reason: 'Creator organisation is in the pull rule orgs.NOT.' };
  }
  if (carriesTags(json)) {
    const tags = tagKeys(json);
    if (rules.tags.OR.length > 0 && !rules.tags.OR.some((t) => tags.has(t))) return { accept: false, reason: 'The event has no tag of the pull rule tags.OR.' };
    if (rules.tags.NOT.some((t) => tags.has(t))) return { accept: false, reason: 'The event has a tag of the pull rule tags.NOT.' };
  }
  return { accept: true };
}

/**
 * MISP `Server::filterRuleToParameter`: pull rules as `events/index` filters.
 * `tags`/`orgs` become `tag`/`org` lists with NOT entries prefixed by `!`;
 * `url_params` are merged in. Type rules are applied after download instead.
 */
export function pullRulesToIndexFilters(rules: SyncRules): JsonObject {
  const filters: JsonObject = {};
  const list = (r: { OR: readonly string[]; NOT: readonly string[] }): string[] => [...r.OR, ...r.NOT.map((n) => `!${n}`)];
  if (rules.tags.OR.length + rules.tags.NOT.length > 0) filters.tag = list(rules.tags);
  if (rules.orgs.OR.length + rules.orgs.NOT.length > 0) filters.org = list(rules.orgs);
  // PHP array_merge_recursive: a key present on both sides becomes one list holding both.
  for (const [key, value] of Object.entries(rules.urlParams)) {
    const current = filters[key];
    filters[key] = current === undefined ? value : [...(Array.isArray(current) ? current : [current]), ...(Array.isArray(value) ? value : [value])];
  }
  return filters;
}
