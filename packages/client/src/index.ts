export { createMispClient } from './misp-client.js';
export type { MispClient, MispClientOptions } from './misp-client.js';
export { errorForStatus } from './http-errors.js';
export { createSseParser, subscribeEventStream } from './sse-stream.js';
export type { SseMessage, SseOptions, SseSubscription } from './sse-stream.js';
export { followEventStream, reconnectDelay } from './follow-event-stream.js';
export type { EventStreamFollower, FollowOptions, StreamDrop, StreamOpen } from './follow-event-stream.js';
export { eventsChangedSince, newestEventTimestamp } from './changed-events.js';
export type { ChangedEvent } from './changed-events.js';
