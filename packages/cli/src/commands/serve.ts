import type { FastifyInstance } from 'fastify';
import { bootstrapAdmin, ensureDefaults } from '@waggle/core';
import { connectNatsPublisher } from '@waggle/bus';
import { createApp, startAudienceBridge, startFeedScheduler, startSyncScheduler, umaProducers } from '@waggle/server';
import { adminPrincipal } from './principal.js';
import { openUmaGate } from './uma-gate.js';
import type { Config } from '../config.js';
import { openRuntime, type Runtime } from '../runtime.js';
import type { Output } from '../output.js';

/** A running server: the HTTP app, the runtime and how to stop both. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly runtime: Runtime;
  readonly url: string;
  stop(): Promise<void>;
}

/** Opens the runtime, creates the admin on first start, and listens. */
export async function startServer(config: Config, out: Output, version: string): Promise<RunningServer> {
  const runtime = await openRuntime(config, (m) => out.warn(m));
  try {
    await ensureDefaults(runtime.deps);
    const boot = await bootstrapAdmin(runtime.deps, { orgName: config.orgName, email: config.adminEmail, ...(config.adminKey !== undefined ? { authKey: config.adminKey.reveal() } : {}) });
    const uma = openUmaGate(config.umaConfig);
    const app = createApp({ services: runtime.services, version, bodyLimit: config.bodyLimitBytes, logger: out.logger, stream: runtime.deps, ...(uma !== undefined ? { uma } : {}) });
    await app.listen({ host: config.host, port: config.port });
    const hostPart = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${hostPart}:${String((app.server.address() as { port: number }).port)}`;
    if (boot.created) {
      out.info(`Created organisation "${boot.org.name}" and admin user ${boot.user.email}.`);
      if (boot.authKey !== undefined) out.info(`Admin API key (shown once, keep it): ${boot.authKey}`);
    }
    out.info(`waggle ${version} listening on ${url} (store: ${runtime.store.engine}, bus: ${config.bus === undefined ? 'in-process' : 'nats'}, data: ${config.home})`);
    const stopSync = config.syncIntervalSeconds > 0
      ? startSyncScheduler({ sync: runtime.services.sync, actor: () => adminPrincipal(runtime), intervalSeconds: config.syncIntervalSeconds, log: (m) => out.warn(m) })
      : async () => undefined;
    const stopFeeds = config.feedIntervalSeconds > 0
      ? startFeedScheduler({ service: runtime.services.feeds, intervalSeconds: config.feedIntervalSeconds, log: { info: (m) => out.info(m), warn: (m) => out.warn(m) } })
      : async () => undefined;
    // With NATS, consumers also get the stream on per-audience subjects (see startAudienceBridge).
    const publisher = config.bus === undefined ? undefined : await connectNatsPublisher(config.bus.reveal());
    const bridge = publisher === undefined ? undefined : await startAudienceBridge({ bus: runtime.deps.bus, store: runtime.store, publisher, privacy: runtime.services.privacy, umaProducers: umaProducers(runtime.umaProducers), onError: (e) => out.warn(`stream fan-out: ${String(e)}`) });
    return {
      app,
      runtime,
      url,
      async stop() {
        await stopSync();
        await stopFeeds();
        await bridge?.unsubscribe();
        await publisher?.close();
        await app.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

/** Runs until SIGINT/SIGTERM, then shuts down cleanly (in-flight requests finish). */
export async function serveForever(config: Config, out: Output, version: string): Promise<void> {
  const server = await startServer(config, out, version);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      out.info('shutting down');
      server.stop().then(resolve, (e: unknown) => {
        out.warn(`shutdown: ${String(e)}`);
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
