export { ENCODED_LENGTH } from './backend.js';
export type { G1, G2, GT, BackendName, PairingBackend } from './backend.js';
export { createNobleBackend } from './noble-backend.js';
export { createMclBackend } from './mcl-backend.js';
export { createBackend } from './create-backend.js';
