export { aServer, anEvent, anAttribute, anObject, aSharingGroup, uuidFor, LOCAL_ORG, REMOTE_ORG } from './builders.js';
export { createMemoryLocalSide } from './memory-local-side.js';
export type { MemoryLocalSide } from './memory-local-side.js';
export { createMemoryStateStore } from './memory-state-store.js';
export type { MemoryStateStore } from './memory-state-store.js';
export { startFakeRemote } from './fake-remote.js';
export type { FakeRemote, Fault, RecordedRequest } from './fake-remote.js';
export { mergeEvent } from './merge-event.js';
