export type { JsonObject, MispEventJson } from './model/misp-json.js';
export { parseSyncRules, emptySyncRules, serializeSyncRules } from './model/sync-rules.js';
export type { SyncRules, OrNotRule, NotRule } from './model/sync-rules.js';
export { parseSyncServer } from './model/sync-server.js';
export type { SyncServer } from './model/sync-server.js';
export type { SyncCursor, SyncDirection, SyncFailure, SyncLogEntry, SyncReport } from './model/sync-report.js';

export { Distribution } from './rules/distribution.js';
export { prepareEventForPush } from './rules/prepare-event-for-push.js';
export type { PushContext, PushVerdict } from './rules/prepare-event-for-push.js';
export { downgradeOnReceive, prepareEventForPull } from './rules/downgrade-on-receive.js';
export type { PullVerdict } from './rules/downgrade-on-receive.js';
export { applyPullRules, pullRulesToIndexFilters } from './rules/apply-pull-rules.js';
export type { PullRuleVerdict } from './rules/apply-pull-rules.js';
export { checkPushRules } from './rules/push-rules.js';
export { isServerInSharingGroup, canPushSharingGroupEvent } from './rules/sharing-group-membership.js';
export type { SharingGroupMembership } from './rules/sharing-group-membership.js';

export { createMispRemote } from './remote/misp-remote.js';
export type { MispRemote, MispRemoteOptions, RemoteVersion, EventIndexQuery, RemoteSightingInput, PushOutcome } from './remote/misp-remote.js';
export type { RemoteIndexEntry } from './remote/parse-index.js';
export type { RemoteRequestLog } from './remote/http-request.js';
export { RemoteProtocolError } from './remote/remote-protocol-error.js';

export { pull } from './engine/pull.js';
export type { PullDeps } from './engine/pull.js';
export { push } from './engine/push.js';
export type { PushDeps } from './engine/push.js';
export type { LocalSide, SyncStateStore } from './engine/ports.js';
export { compareCursor } from './engine/cursor.js';
