import { bootstrapAdmin, ensureDefaults } from '@waggle/core';
import { readConfig, type ConfigInput } from '../config.js';
import { terminalOutput, type Output } from '../output.js';
import { openRuntime, type Runtime } from '../runtime.js';

/**
 * Runs one command on the store: opens the runtime, makes sure the defaults
 * and the first admin exist (printing the admin's key if it was just created,
 * so it is not lost), and closes the runtime afterwards.
 */
export async function withRuntime(opts: ConfigInput, fn: (rt: Runtime, out: Output) => Promise<void>): Promise<void> {
  const config = readConfig(opts, process.env);
  const out = terminalOutput(config.logLevel);
  const rt = await openRuntime(config, (m) => out.warn(m));
  try {
    await ensureDefaults(rt.deps);
    const boot = await bootstrapAdmin(rt.deps, { orgName: config.orgName, email: config.adminEmail, ...(config.adminKey !== undefined ? { authKey: config.adminKey.reveal() } : {}) });
    // A first command on a new store creates the admin: its key must not be lost.
    if (boot.created && boot.authKey !== undefined) out.info(`Created admin user ${boot.user.email}; API key (shown once, keep it): ${boot.authKey}`);
    await fn(rt, out);
  } finally {
    await rt.close();
  }
}
