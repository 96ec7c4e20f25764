import { ENRICHMENT_MARK, NOTHING, type EnrichmentModule, type NewAttribute } from '../module.js';
import { IP_ATTRIBUTE_TYPES, ipOf, rangeToCidrs } from '../values/ip-address.js';
import type { IpLocationDb } from './ip-location-db.js';

/** MISP object template facts (misp-objects `asn` and `geolocation`) so MISP links the objects to their templates. */
const ASN_TEMPLATE = { uuid: '4ec55cc6-9e49-4c64-b794-03c25c1a6587', version: '6' };
const GEO_TEMPLATE = { uuid: 'cd6f2238-ba55-4888-82c4-104e6e1acf21', version: '8' };

let regionNames: Intl.DisplayNames | undefined;
function countryName(code: string): string | undefined {
  regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  try {
    return regionNames.of(code);
  } catch {
    return undefined;
  }
}

/** The deps of the offline geolocation and ASN modules. */
export interface GeoModuleDeps {
  readonly db: IpLocationDb;
}

/** `asn`: the announcing autonomous system of an IP, as a MISP `asn` object (asn, subnet-announced, description). */
export function createAsnModule(deps: GeoModuleDeps): EnrichmentModule {
  return {
    name: 'asn',
    version: '1.0',
    description: 'Autonomous system announcing an IP address, from the offline ip-location-db ASN database (RouteViews, DB-IP, NRO; CC BY 4.0).',
    inputTypes: IP_ATTRIBUTE_TYPES,
    outputTypes: ['AS', 'ip-src', 'text'],
    async enrich(attribute) {
      const ip = ipOf(attribute.type, attribute.value);
      const hit = deps.db.asnOf(ip);
      if (hit === undefined || hit.asn === 0) return NOTHING;
      const subnets: NewAttribute[] = rangeToCidrs(hit.family, hit.start, hit.end).map((cidr) => ({ type: 'ip-src', object_relation: 'subnet-announced', value: cidr, to_ids: false }));
      return {
        attributes: [],
        tags: [],
        objects: [
          {
            name: 'asn',
            meta_category: 'network',
            template_uuid: ASN_TEMPLATE.uuid,
            template_version: ASN_TEMPLATE.version,
            comment: `${ENRICHMENT_MARK}: asn of ${ip.text}`,
            Attribute: [
              { type: 'AS', object_relation: 'asn', value: String(hit.asn), to_ids: false },
              ...subnets,
              ...(hit.organization === '' ? [] : [{ type: 'text', object_relation: 'description', value: hit.organization, to_ids: false }]),
            ],
          },
        ],
      };
    },
  };
}

/** `geolocation`: the registration country of an IP, as a MISP `geolocation` object (countrycode, country). */
export function createGeolocationModule(deps: GeoModuleDeps): EnrichmentModule {
  return {
    name: 'geolocation',
    version: '1.0',
    description: 'Registration country of an IP address, from the offline ip-location-db geo-whois-asn-country database (CC0).',
    inputTypes: IP_ATTRIBUTE_TYPES,
    outputTypes: ['text'],
    async enrich(attribute) {
      const ip = ipOf(attribute.type, attribute.value);
      const hit = deps.db.countryOf(ip);
      if (hit === undefined) return NOTHING;
      const name = countryName(hit.countryCode);
      return {
        attributes: [],
        tags: [],
        objects: [
          {
            name: 'geolocation',
            meta_category: 'misc',
            template_uuid: GEO_TEMPLATE.uuid,
            template_version: GEO_TEMPLATE.version,
            comment: `${ENRICHMENT_MARK}: geolocation of ${ip.text}`,
            Attribute: [
              { type: 'text', object_relation: 'countrycode', value: hit.countryCode, to_ids: false },
              ...(name === undefined ? [] : [{ type: 'text', object_relation: 'country', value: name, to_ids: false }]),
            ],
          },
        ],
      };
    },
  };
}
