// Public API of @waggle/risk. Each area re-exports from its own index file.
export * from './host/index.js';
export * from './apt/index.js';
