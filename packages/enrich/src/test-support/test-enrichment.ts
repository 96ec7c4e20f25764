import { CVE_FIXTURES } from './cve-fixtures.js';
import { copyInto, scratchDir, sharedData } from './scratch.js';
import { openEnrichment, type EnrichmentSetup, type OpenedEnrichment } from '../setup/open-modules.js';

/** Small IP databases: 1.0.0.0/24 is AS13335 in AU, 2001:200::/32 is AS2500 in JP. */
export const IP_FIXTURES: Readonly<Record<string, string>> = {
  'ip/asn4.csv': '16777216,16777471,13335,"Cloudflare, Inc."\n',
  'ip/asn6.csv': '42540528726795050063891204319802818560,42540528806023212578155541913346768895,2500,WIDE Project\n',
  'ip/cc4.csv': '16777216,16777471,AU\n',
  'ip/cc6.csv': '42540528726795050063891204319802818560,42540528806023212578155541913346768895,JP\n',
};

/** A scratch folder with IP, CVE, warninglist and galaxy data, and the modules opened over it. */
export function testEnrichment(extra: Partial<EnrichmentSetup> = {}): OpenedEnrichment & { readonly dir: string; readonly remove: () => void } {
  const scratch = scratchDir({ ...IP_FIXTURES, ...CVE_FIXTURES });
  copyInto(sharedData('misp-warninglists/lists'), `${scratch.dir}/warninglists`, ['public-dns-v4']);
  copyInto(sharedData('misp-galaxy'), `${scratch.dir}/galaxy`, ['mitre-attack-pattern', 'threat-actor'].flatMap((f) => [`galaxies/${f}.json`, `clusters/${f}.json`]));
  const d = scratch.dir;
  const opened = openEnrichment({
    ipFiles: { asnIpv4: `${d}/ip/asn4.csv`, asnIpv6: `${d}/ip/asn6.csv`, countryIpv4: `${d}/ip/cc4.csv`, countryIpv6: `${d}/ip/cc6.csv` },
    warninglistsDir: `${d}/warninglists`,
    galaxiesDir: `${d}/galaxy`,
    osvPath: `${d}/osv`,
    kevFile: `${d}/kev.json`,
    epssFile: `${d}/epss.csv`,
    ...extra,
  });
  return { ...opened, dir: d, remove: scratch.remove };
}
