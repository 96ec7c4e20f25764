// Public API of @waggle/privacy. Each area re-exports from its own index file.
export * from './techniques/index.js';
export * from './dp/index.js';
export * from './kanon/index.js';
export * from './policy/index.js';
