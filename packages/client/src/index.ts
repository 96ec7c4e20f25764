export { createMispClient } from './misp-client.js';
export type { MispClient, MispClientOptions } from './misp-client.js';
export { createSseParser, subscribeEventStream } from './sse-stream.js';
export type { SseMessage, SseOptions, SseSubscription } from './sse-stream.js';
