export { TAXII_MEDIA_TYPE, STIX_MEDIA_TYPE, acceptsTaxii, isTaxiiContentType, parseMediaType, sameMediaType, stixMediaTypeFor } from './media-types.js';
export type { MediaType } from './media-types.js';
export { parseTaxiiTimestamp, formatTaxiiTimestamp, compareTaxiiTimestamps } from './timestamp.js';
export { parseTaxiiFilter, taxiiFilterQuery, isStixId, isStixType } from './filter.js';
export type { TaxiiFilter, TaxiiFilterEndpoint, TaxiiVersionMatch } from './filter.js';
export { encodeTaxiiCursor, decodeTaxiiCursor } from './cursor.js';
export { selectTaxiiRecords } from './select.js';
export type { TaxiiRecordMeta } from './select.js';
export { versionOf } from './resources.js';
export type {
  StixLike,
  TaxiiDiscovery,
  TaxiiApiRoot,
  TaxiiCollection,
  TaxiiEnvelope,
  TaxiiManifest,
  TaxiiManifestRecord,
  TaxiiVersions,
  TaxiiStatus,
  TaxiiStatusDetails,
  TaxiiErrorMessage,
} from './resources.js';
export { createTaxiiClient } from './client.js';
export type { TaxiiClient, TaxiiClientDeps, TaxiiAuth, TaxiiMatch, TaxiiListOptions } from './client.js';
