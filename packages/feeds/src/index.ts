export { MANIFEST_FILE, HASHES_FILE, isUuid, eventFileName } from './shared/feed-files.js';
export { parseManifest, serializeManifest } from './shared/feed-manifest.js';
export type { FeedManifest, ManifestEntry, FeedTag } from './shared/feed-manifest.js';

export type { FeedSink, StagedFile } from './feed-writer/feed-sink.js';
export { folderSink } from './feed-writer/folder-sink.js';
export { toFeedEvent } from './feed-writer/to-feed-event.js';
export type { FeedShapeOptions, FeedEventParts } from './feed-writer/to-feed-event.js';
export { createFeedWriter, feedValueHashes } from './feed-writer/create-feed-writer.js';
export type { FeedWriter, AddedFeedEvent, FeedWriteSummary } from './feed-writer/create-feed-writer.js';
export { writeFeedIncremental } from './feed-writer/write-feed-incremental.js';
export type { FeedListing, IncrementalFeedInput, IncrementalFeedResult } from './feed-writer/write-feed-incremental.js';

export type { FeedSource } from './feed-reader/feed-source.js';
export { folderSource } from './feed-reader/folder-source.js';
export type { FolderSourceOptions } from './feed-reader/folder-source.js';
export { httpSource } from './feed-reader/http-source.js';
export type { HttpSourceOptions } from './feed-reader/http-source.js';
export { readManifest } from './feed-reader/read-manifest.js';
export { planFeedUpdate } from './feed-reader/plan-feed-update.js';
export type { FeedUpdatePlan } from './feed-reader/plan-feed-update.js';
export { fetchFeedEvent, validateFeedEvent } from './feed-reader/fetch-feed-event.js';
export type { FeedEvent, FeedEventBody, FeedAttribute, FeedObject } from './feed-reader/fetch-feed-event.js';
export { pullFeed } from './feed-reader/pull-feed.js';
export type { PulledFeedEvent, PullFeedOptions } from './feed-reader/pull-feed.js';
export { readFeedHashes } from './feed-reader/feed-hash-index.js';
export type { FeedHashIndex } from './feed-reader/feed-hash-index.js';

export { parseCsvFeed } from './csv/parse-csv-feed.js';
export type { CsvFeedAttribute, CsvRejectedLine, CsvFeedResult, ParseCsvOptions } from './csv/parse-csv-feed.js';
export type { CsvFeedMapping, CsvColumn } from './csv/csv-feed-mapping.js';

export { extractIndicators } from './freetext/extract-indicators.js';
export type { ExtractedIndicator, ExtractOptions } from './freetext/extract-indicators.js';
export { resolveIndicatorType, DEFAULT_SECURITY_VENDOR_DOMAINS } from './freetext/resolve-indicator-type.js';
export type { ResolvedIndicator, ResolveOptions } from './freetext/resolve-indicator-type.js';
export { TLD_LIST_VERSION, isTld } from './freetext/tlds.js';
