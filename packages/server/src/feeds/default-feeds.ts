/**
 * Public OSINT feeds that `feeds/loadDefaultFeeds` adds (PyMISP `load_default_feeds`), a selection of
 * the ones MISP lists by default: name, provider, URL and format are the facts MISP publishes about
 * them. They are added **disabled**: enabling one makes the scheduler fetch it from the internet,
 * which is the operator's decision, not waggle's.
 */
export const DEFAULT_FEEDS: readonly Readonly<Record<string, unknown>>[] = [
  { name: 'CIRCL OSINT Feed', provider: 'CIRCL', url: 'https://www.circl.lu/doc/misp/feed-osint/', source_format: 'misp', distribution: 3 },
  { name: 'The Botvrij.eu Data', provider: 'Botvrij.eu', url: 'https://www.botvrij.eu/data/feed-osint', source_format: 'misp', distribution: 3 },
  {
    name: 'blockrules of rules.emergingthreats.net', provider: 'rules.emergingthreats.net', url: 'https://rules.emergingthreats.net/blockrules/compromised-ips.txt',
    source_format: 'csv', distribution: 0, delta_merge: true, settings: { csv: { value: '1' } },
  },
  {
    name: 'Feodo IP Blocklist', provider: 'abuse.ch', url: 'https://feodotracker.abuse.ch/downloads/ipblocklist.csv',
    source_format: 'csv', distribution: 3, settings: { csv: { value: '2', delimiter: ',' } },
  },
  { name: 'OpenPhish url list', provider: 'openphish.com', url: 'https://openphish.com/feed.txt', source_format: 'freetext', distribution: 3, delta_merge: true },
  { name: 'firehol_level1', provider: 'iplists.firehol.org', url: 'https://raw.githubusercontent.com/ktsaou/blocklist-ipsets/master/firehol_level1.netset', source_format: 'freetext', distribution: 3, delta_merge: true },
  { name: 'ci-badguys.txt', provider: 'cinsscore.com', url: 'https://cinsscore.com/list/ci-badguys.txt', source_format: 'freetext', distribution: 3, delta_merge: true },
  { name: 'blocklist.de/lists/all.txt', provider: 'blocklist.de', url: 'https://lists.blocklist.de/lists/all.txt', source_format: 'freetext', distribution: 3 },
].map((f) => ({ input_source: 'network', enabled: false, caching_enabled: false, fixed_event: true, ...f }));
