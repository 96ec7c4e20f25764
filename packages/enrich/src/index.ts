// Public API of @waggle/enrich.
export { ENRICHMENT_MARK, NOTHING } from './module.js';
export type { EnrichAttribute, EnrichContext, Enrichment, EnrichmentModule, NewAttribute, NewObject } from './module.js';
export { createModuleRegistry, mergeEnrichments } from './registry.js';
export type { EnrichResult, ModuleOutcome, ModuleRegistry } from './registry.js';

export { parseIp, ipOf, ipv4Text, ipv6Text, rangeToCidrs, IP_ATTRIBUTE_TYPES } from './values/ip-address.js';
export type { IpAddress } from './values/ip-address.js';
export { isNonPublic } from './values/private-ranges.js';
export { guessType } from './values/guess-type.js';

export { buildRangeTable } from './geo/range-table.js';
export type { RangeTable, PayloadReader } from './geo/range-table.js';
export { createIpLocationDb } from './geo/ip-location-db.js';
export type { IpLocationDb, IpLocationFiles, IpRange, AsnAnswer, CountryAnswer } from './geo/ip-location-db.js';
export { installedIpLocationFiles } from './geo/ip-location-files.js';
export { createAsnModule, createGeolocationModule } from './geo/geo-modules.js';
export type { GeoModuleDeps } from './geo/geo-modules.js';

export { createNodeReverseResolver, reverseName } from './dns/reverse-resolver.js';
export type { ReverseResolver, NodeResolverOptions } from './dns/reverse-resolver.js';
export { createReverseDnsModule } from './dns/reverse-dns-module.js';
export type { ReverseDnsDeps } from './dns/reverse-dns-module.js';

export { createWarninglistModule, FALSE_POSITIVE_TAG } from './warninglist/warninglist-module.js';
export type { WarninglistModuleDeps } from './warninglist/warninglist-module.js';

export { ATTACK_TYPE_TECHNIQUES, normaliseAttackType, attackTypesIn } from './galaxy/attack-types.js';
export { createGalaxyContextModule, DEFAULT_GALAXY_TYPES } from './galaxy/galaxy-context-module.js';
export type { GalaxyContextDeps } from './galaxy/galaxy-context-module.js';

export { cvss3BaseScore } from './cve/cvss3.js';
export { createVulnerabilitySource } from './cve/vulnerability-source.js';
export type { VulnerabilityData, VulnerabilityInfo, VulnerabilitySource } from './cve/vulnerability-source.js';
export { createCveModule, exploitationNote } from './cve/cve-module.js';
export type { CveModuleDeps } from './cve/cve-module.js';

export { createEventApi } from './correlation/event-api.js';
export type { EventApi, ServerAttribute, ServerEvent, ServerObject } from './correlation/event-api.js';
export { createCorrelationModule } from './correlation/correlation-module.js';
export type { CorrelationDeps } from './correlation/correlation-module.js';

export { attributesToEnrich, planAdditions } from './apply/plan-additions.js';
export type { EventAttribute, PlannedAdditions } from './apply/plan-additions.js';
export { enrichEvent } from './apply/enrich-event.js';
export type { EnrichEventDeps, EnrichEventReport } from './apply/enrich-event.js';
export { watchAndEnrich } from './apply/enrich-watch.js';
export type { Watch, WatchOptions } from './apply/enrich-watch.js';

export { moduleList, answerQuery } from './protocol/misp-modules.js';
export type { MispModuleInfo, QueryAnswer } from './protocol/misp-modules.js';
export { startMispModulesServer } from './protocol/misp-modules-server.js';
export type { MispModulesServer, MispModulesServerOptions } from './protocol/misp-modules-server.js';

export { openEnrichment } from './setup/open-modules.js';
export type { EnrichmentSetup, OpenedEnrichment } from './setup/open-modules.js';
