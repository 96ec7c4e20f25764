import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { parseIp } from '../values/ip-address.js';
import { InputError, UnavailableError } from '@waggle/errors';

/** The PTR query name of an address (`4.3.2.1.in-addr.arpa`, nibbles under `ip6.arpa`). */
export function reverseName(ip: string): string {
  const parsed = parseIp(ip);
  if (parsed === undefined) throw new InputError(`"${ip}" is not an IP address`, { field: 'value' });
  if (parsed.family === 4) return `${parsed.text.split('.').reverse().join('.')}.in-addr.arpa`;
  return `${parsed.value.toString(16).padStart(32, '0').split('').reverse().join('.')}.ip6.arpa`;
}

/** Port: PTR names of an address. Resolves to [] when there is no PTR record. */
export interface ReverseResolver {
  reverse(ip: string): Promise<string[]>;
}

/** Options of {@link createNodeReverseResolver}. */
export interface NodeResolverOptions {
  /** Resolver addresses: `ip`, `ip:port` or `[ipv6]:port`. At least one. */
  readonly servers: readonly string[];
  /** Per-query timeout in ms (one try). */
  readonly timeoutMs: number;
}

const NO_ANSWER = new Set(['ENOTFOUND', 'ENODATA']);

function checkServer(server: string): void {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(server) ?? /^([^:]+):(\d{1,5})$/.exec(server);
  const host = m === null ? server : (m[1] as string);
  const port = m === null ? 53 : Number(m[2]);
  if (isIP(host) === 0 || port < 1 || port > 65535) throw new InputError(`DNS resolver "${server}" must be an IP address, optionally with :port`, { field: 'resolver' });
}

/**
 * The reverse-DNS adapter over Node's resolver, bound to the given servers
 * only (never the system's), with one try per query and a timeout.
 * @throws InputError for an empty server list or a server that is not an IP address.
 */
export function createNodeReverseResolver(options: NodeResolverOptions): ReverseResolver {
  if (options.servers.length === 0) throw new InputError('reverse DNS needs at least one resolver address', { field: 'resolver' });
  for (const s of options.servers) checkServer(s);
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs < 1) throw new InputError(`DNS timeout must be a positive number of ms, got ${String(options.timeoutMs)}`, { field: 'timeout' });
  const resolver = new dns.Resolver({ timeout: options.timeoutMs, tries: 1 });
  resolver.setServers([...options.servers]);
  return {
    async reverse(ip) {
      try {
        // resolvePtr, not reverse: c-ares reports a timeout of getHostByAddr as ENOTFOUND.
        return await resolver.resolvePtr(reverseName(ip));
      } catch (e) {
        if (e instanceof InputError) throw e;
        const code = (e as { code?: string }).code ?? '';
        if (NO_ANSWER.has(code)) return [];
        throw new UnavailableError(`reverse DNS of ${ip} failed: ${code === '' ? (e as Error).message : code}`, e);
      }
    },
  };
}
