import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { IpLocationFiles } from './ip-location-db.js';

/**
 * The CSV files of the installed `@ip-location-db/asn` and
 * `@ip-location-db/geo-whois-asn-country` packages (the composition root's
 * default when the user names no other files).
 */
export function installedIpLocationFiles(): IpLocationFiles {
  const require = createRequire(import.meta.url);
  const asn = dirname(require.resolve('@ip-location-db/asn/package.json'));
  const country = dirname(require.resolve('@ip-location-db/geo-whois-asn-country/package.json'));
  return {
    asnIpv4: join(asn, 'asn-ipv4-num.csv'),
    asnIpv6: join(asn, 'asn-ipv6-num.csv'),
    countryIpv4: join(country, 'geo-whois-asn-country-ipv4-num.csv'),
    countryIpv6: join(country, 'geo-whois-asn-country-ipv6-num.csv'),
  };
}
