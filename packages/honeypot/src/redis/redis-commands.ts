import { resp } from './resp.js';

/** The emulated server's in-memory state (per connection: nothing persists or leaks between attackers). */
export interface RedisState {
  data: Map<string, string>;
  config: Map<string, string>;
  /** Bytes held in `data`, capped. */
  bytes: number;
  maxBytes: number;
  now: () => Date;
  startedAt: Date;
}

/** Creates the state of one connection. */
export function createRedisState(maxBytes: number, now: () => Date): RedisState {
  return {
    data: new Map(),
    config: new Map([
      ['dir', '/var/lib/redis'],
      ['dbfilename', 'dump.rdb'],
      ['requirepass', ''],
      ['protected-mode', 'no'],
      ['bind', '0.0.0.0'],
      ['port', '6379'],
      ['save', '900 1 300 10 60 10000'],
      ['appendonly', 'no'],
    ]),
    bytes: 0,
    maxBytes,
    now,
    startedAt: now(),
  };
}

function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

function info(state: RedisState): string {
  const uptime = Math.floor((state.now().getTime() - state.startedAt.getTime()) / 1000) + 1_206_781;
  return [
    '# Server', 'redis_version:5.0.7', 'redis_git_sha1:00000000', 'redis_mode:standalone', 'os:Linux 5.10.0-28-amd64 x86_64',
    'arch_bits:64', 'multiplexing_api:epoll', 'gcc_version:9.2.1', 'process_id:812', 'tcp_port:6379',
    `uptime_in_seconds:${uptime}`, `uptime_in_days:${Math.floor(uptime / 86_400)}`, 'executable:/usr/bin/redis-server',
    'config_file:/etc/redis/redis.conf', '', '# Clients', 'connected_clients:1', '', '# Memory',
    `used_memory:${866_552 + state.bytes}`, 'used_memory_human:846.24K', 'maxmemory:0', '', '# Persistence',
    'loading:0', 'rdb_changes_since_last_save:0', 'rdb_last_save_time:1701388800', '', '# Replication', 'role:master',
    'connected_slaves:0', '', '# Keyspace', state.data.size > 0 ? `db0:keys=${state.data.size},expires=0,avg_ttl=0` : '', '',
  ].join('\r\n');
}

/** Answers one command from emulation; `close` asks the connection to end after the reply. */
export function runRedisCommand(state: RedisState, name: string, args: string[]): { reply: string; close?: boolean } {
  const arity = (n: number): string | undefined => (args.length < n ? resp.error(`ERR wrong number of arguments for '${name.toLowerCase()}' command`) : undefined);
  switch (name.toUpperCase()) {
    case 'PING':
      return { reply: args[0] === undefined ? resp.simple('PONG') : resp.bulk(args[0]) };
    case 'ECHO':
      return { reply: arity(1) ?? resp.bulk(args[0] ?? '') };
    case 'QUIT':
      return { reply: resp.simple('OK'), close: true };
    case 'AUTH':
      return { reply: resp.error('ERR Client sent AUTH, but no password is set') };
    case 'INFO':
      return { reply: resp.bulk(info(state)) };
    case 'SELECT':
    case 'CLIENT':
    case 'SLAVEOF':
    case 'REPLICAOF':
    case 'FLUSHDB':
    case 'FLUSHALL':
      if (/^FLUSH/i.test(name)) {
        state.data.clear();
        state.bytes = 0;
      }
      // Replication is acknowledged but never started: the honeypot opens no outbound connection.
      return { reply: resp.simple('OK') };
    case 'SAVE':
      return { reply: resp.simple('OK') };
    case 'BGSAVE':
      return { reply: resp.simple('Background saving started') };
    case 'DBSIZE':
      return { reply: resp.integer(state.data.size) };
    case 'CONFIG': {
      const sub = (args[0] ?? '').toUpperCase();
      if (sub === 'GET') {
        const re = glob(args[1] ?? '');
        return { reply: resp.array([...state.config].filter(([k]) => re.test(k)).flat()) };
      }
      if (sub === 'SET') {
        if (args.length < 3) return { reply: resp.error("ERR Unknown subcommand or wrong number of arguments for 'SET'. Try CONFIG HELP.") };
        state.config.set((args[1] ?? '').toLowerCase(), args[2] ?? '');
        return { reply: resp.simple('OK') };
      }
      if (sub === 'RESETSTAT' || sub === 'REWRITE') return { reply: resp.simple('OK') };
      return { reply: resp.error(`ERR Unknown subcommand or wrong number of arguments for '${args[0] ?? ''}'. Try CONFIG HELP.`) };
    }
    case 'SET': {
      const bad = arity(2);
      if (bad !== undefined) return { reply: bad };
      const [key = '', value = ''] = args;
      const old = state.data.get(key);
      const grow = key.length + value.length - (old === undefined ? 0 : key.length + old.length);
      if (state.bytes + grow > state.maxBytes) return { reply: resp.error("OOM command not allowed when used memory > 'maxmemory'.") };
      state.bytes += grow;
      state.data.set(key, value);
      return { reply: resp.simple('OK') };
    }
    case 'GET':
      return { reply: arity(1) ?? resp.bulk(state.data.get(args[0] ?? '') ?? null) };
    case 'DEL':
    case 'UNLINK': {
      let n = 0;
      for (const k of args) {
        const v = state.data.get(k);
        if (v !== undefined) {
          state.bytes -= k.length + v.length;
          state.data.delete(k);
          n += 1;
        }
      }
      return { reply: resp.integer(n) };
    }
    case 'EXISTS':
      return { reply: resp.integer(args.filter((k) => state.data.has(k)).length) };
    case 'KEYS': {
      const re = glob(args[0] ?? '*');
      return { reply: resp.array([...state.data.keys()].filter((k) => re.test(k))) };
    }
    case 'TYPE':
      return { reply: resp.simple(state.data.has(args[0] ?? '') ? 'string' : 'none') };
    case 'EXPIRE':
    case 'PEXPIRE':
      return { reply: resp.integer(state.data.has(args[0] ?? '') ? 1 : 0) };
    case 'TTL':
      return { reply: resp.integer(state.data.has(args[0] ?? '') ? -1 : -2) };
    case 'MODULE':
      if ((args[0] ?? '').toUpperCase() === 'LIST') return { reply: '*0\r\n' };
      return { reply: resp.error('ERR Error loading the extension. Please check the server logs.') };
    case 'COMMAND':
      return { reply: '*0\r\n' };
    default:
      return {
        reply: resp.error(`ERR unknown command \`${name}\`, with args beginning with: ${args.slice(0, 3).map((a) => `\`${a.slice(0, 64)}\`, `).join('')}`),
      };
  }
}
