import { ENRICHMENT_MARK, NOTHING, type EnrichmentModule } from '../module.js';
import { IP_ATTRIBUTE_TYPES, ipOf } from '../values/ip-address.js';
import { isNonPublic } from '../values/private-ranges.js';
import type { ReverseResolver } from './reverse-resolver.js';

/** Deps of the reverse-DNS module. */
export interface ReverseDnsDeps {
  readonly resolver: ReverseResolver;
  /**
   * Also ask about private, loopback, link-local and other non-public
   * addresses. Off by default: their PTR names only exist on internal
   * resolvers, and asking an outside resolver leaks internal addressing.
   */
  readonly allowNonPublic?: boolean;
}

/** `reverse-dns`: PTR names of an IP as `hostname` attributes. Built only when resolvers are configured. */
export function createReverseDnsModule(deps: ReverseDnsDeps): EnrichmentModule {
  return {
    name: 'reverse-dns',
    version: '1.0',
    description: 'PTR names of an IP address, asked of the configured resolvers only; non-public ranges are skipped unless allowed.',
    inputTypes: IP_ATTRIBUTE_TYPES,
    outputTypes: ['hostname'],
    async enrich(attribute) {
      const ip = ipOf(attribute.type, attribute.value);
      if (deps.allowNonPublic !== true && isNonPublic(ip)) return NOTHING;
      const names = await deps.resolver.reverse(ip.text);
      const unique = [...new Set(names.map((n) => n.replace(/\.$/, '').toLowerCase()).filter((n) => n !== ''))];
      return {
        attributes: unique.map((name) => ({ type: 'hostname', category: 'Network activity', value: name, to_ids: false, comment: `${ENRICHMENT_MARK}: PTR of ${ip.text}` })),
        objects: [],
        tags: [],
      };
    },
  };
}
