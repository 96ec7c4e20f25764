import type { WarninglistMatcher } from '@waggle/intel';
import { InputError } from '@waggle/errors';
import { ENRICHMENT_MARK, NOTHING, type EnrichmentModule } from '../module.js';

/** The tag put on a value found on a `false_positive` warninglist (MISP's false-positive taxonomy). */
export const FALSE_POSITIVE_TAG = 'false-positive:risk="high"';

const INPUT_TYPES = ['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port', 'domain', 'hostname', 'domain|ip', 'url', 'uri', 'link', 'email', 'email-src', 'email-dst', 'md5', 'sha1', 'sha256', 'AS', 'user-agent'];

/** Deps of the warninglist module: intel's matcher built over the lists to check. */
export interface WarninglistModuleDeps {
  readonly matcher: WarninglistMatcher;
}

/**
 * `warninglists`: says which warninglists a value is on. A hit on a
 * `false_positive` list tags the attribute `false-positive:risk="high"`; every
 * hit adds a `text` note naming the list and the entry that matched.
 */
export function createWarninglistModule(deps: WarninglistModuleDeps): EnrichmentModule {
  return {
    name: 'warninglists',
    version: '1.0',
    description: `Checks values against ${String(deps.matcher.lists.length)} MISP warninglists (known false positives: public DNS, CDNs, top domains, …).`,
    inputTypes: INPUT_TYPES,
    outputTypes: ['text'],
    enrich(attribute) {
      if (attribute.value.trim() === '') return Promise.reject(new InputError('an empty value cannot be checked', { field: 'value' }));
      const hits = deps.matcher.match(attribute.type, attribute.value);
      if (hits.length === 0) return Promise.resolve(NOTHING);
      return Promise.resolve({
        attributes: hits.map((hit) => ({
          type: 'text',
          category: 'Other',
          value: `${attribute.value} is on warninglist "${hit.list}" (${hit.category}, matched ${hit.matched})`,
          to_ids: false,
          comment: `${ENRICHMENT_MARK}: warninglist hint`,
        })),
        objects: [],
        tags: hits.some((hit) => hit.category === 'false_positive') ? [FALSE_POSITIVE_TAG] : [],
      });
    },
  };
}
