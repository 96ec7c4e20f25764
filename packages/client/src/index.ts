export { createMispClient } from './misp-client.js';
export type { MispClient, MispClientOptions } from './misp-client.js';
