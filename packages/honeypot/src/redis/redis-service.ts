import { startGuardedServer, validateListenConfig, type ListenConfig } from '../limits/guarded-server.js';
import type { RunningService, ServiceDeps } from '../service.js';
import { createRedisState, runRedisCommand } from './redis-commands.js';
import { createRespParser, resp } from './resp.js';

/** Configuration of the Redis honeypot. */
export interface RedisServiceConfig extends ListenConfig {
  /** Bytes of keys and values one connection may store in memory (default 1 MiB). */
  maxStoreBytes?: number | undefined;
  /** Longest logged argument; longer ones are cut in the log (default 4096). */
  maxLoggedArgBytes?: number | undefined;
}

/**
 * Starts the Redis honeypot: an unauthenticated Redis 5 as exposed on the Internet, answering
 * the commands of the usual attacks (cron/SSH-key writes via `CONFIG SET dir`, rogue-master
 * `SLAVEOF` + `MODULE LOAD`) from per-connection memory. Every command is logged as
 * `waggle.redis.command`; replication is acknowledged, never started.
 */
export async function startRedisService(config: RedisServiceConfig, deps: ServiceDeps): Promise<RunningService> {
  validateListenConfig(config, 'redis');
  const maxStoreBytes = config.maxStoreBytes ?? 1_048_576;
  const maxArg = config.maxLoggedArgBytes ?? 4096;
  return startGuardedServer({
    host: config.host,
    port: config.port,
    protocol: 'redis',
    deps,
    onSession(socket, log) {
      const parser = createRespParser(deps.limits.maxInputBytes);
      const state = createRedisState(maxStoreBytes, deps.now);
      socket.on('data', (chunk: Buffer) => {
        const { commands, error } = parser.feed(chunk);
        for (const command of commands) {
          const [nameBuf, ...argBufs] = command;
          const name = (nameBuf ?? Buffer.alloc(0)).toString('latin1');
          const args = argBufs.map((a) => a.toString('latin1'));
          log.emit('waggle.redis.command', { command: name.toUpperCase(), args: args.map((a) => a.slice(0, maxArg)) });
          const { reply, close } = runRedisCommand(state, name, args);
          socket.write(reply, 'latin1');
          if (close === true) {
            socket.end();
            return;
          }
        }
        if (error !== undefined) {
          log.emit('waggle.input.truncated', { limit: deps.limits.maxInputBytes });
          socket.end(resp.error(`ERR ${error}`));
        }
      });
    },
  });
}
