import { InputError } from '@waggle/errors';

/** A socket listening for connections, and (when known) who listens. */
export interface ListeningService {
  readonly protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  /** Local address: `0.0.0.0` / `::` mean every interface. */
  readonly address: string;
  readonly port: number;
  readonly process?: string;
  readonly pid?: number;
  /** The installed package that provides the listener, when known. */
  readonly package?: string;
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback: only this host can connect. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  return /^127\./.test(a) || a === '::1' || a === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(a) || a === 'localhost';
}

const PROTOCOLS = new Set(['tcp', 'tcp6', 'udp', 'udp6']);

/**
 * Reads a JSON list of listening services (the alternative to reading /proc):
 * `[{ "port": 22, "address": "0.0.0.0", "process": "sshd", "package": "openssh-server" }]`.
 * `address` defaults to `0.0.0.0` and `protocol` to `tcp`.
 * @throws InputError listing every bad entry.
 */
export function parseListeningServices(text: string): ListeningService[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`listening services: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(json)) throw new InputError('listening services: expected a JSON array of { port, address, process, package }');
  const problems: string[] = [];
  const services: ListeningService[] = [];
  json.forEach((item: unknown, i) => {
    const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const port = o.port;
    const protocol = o.protocol ?? 'tcp';
    const address = o.address ?? '0.0.0.0';
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) problems.push(`[${i}]: port must be an integer 0-65535`);
    else if (typeof protocol !== 'string' || !PROTOCOLS.has(protocol)) problems.push(`[${i}]: protocol must be tcp, tcp6, udp or udp6`);
    else if (typeof address !== 'string' || address === '') problems.push(`[${i}]: address must be a string`);
    else if ((o.process !== undefined && typeof o.process !== 'string') || (o.package !== undefined && typeof o.package !== 'string')) problems.push(`[${i}]: process and package must be strings`);
    else {
      services.push({
        protocol: protocol as ListeningService['protocol'],
        address,
        port,
        ...(typeof o.process === 'string' ? { process: o.process } : {}),
        ...(typeof o.pid === 'number' ? { pid: o.pid } : {}),
        ...(typeof o.package === 'string' ? { package: o.package } : {}),
      });
    }
  });
  if (problems.length > 0) throw new InputError(`listening services: ${problems.join('; ')}`, { problems });
  return services;
}
