export * from './policy/index.js';
export * from './pairing/index.js';
export * from './fame/index.js';
export * from './envelope/index.js';
export { systemRandom, seededRandom } from './random/random.js';
export type { RandomSource } from './random/random.js';
export { ed25519KeyFromSeed } from './envelope/ed25519-seed.js';
export { createAbeWorkerPool } from './worker/pool.js';
export type { AbeWorkerPool, AbeWorkerPoolOptions } from './worker/pool.js';
