export { main, buildProgram, waggleVersion } from './main.js';
export { readConfig } from './config.js';
export type { Config, ConfigInput } from './config.js';
export { openRuntime } from './runtime.js';
export type { Runtime } from './runtime.js';
export { startServer } from './commands/serve.js';
export type { RunningServer } from './commands/serve.js';
