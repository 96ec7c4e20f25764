import { ipVersion, isInternalIp, parseIp } from '../techniques/index.js';

/** An IP attribute value split into address and optional network length (`10.0.0.0/8`). */
export interface IpValue {
  readonly address: string;
  readonly version: 4 | 6;
  readonly prefix?: number;
}

/** The value as an IP address or network, or undefined when it is neither. */
export function ipValue(value: string): IpValue | undefined {
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const version = ipVersion(address);
  if (version === null) return undefined;
  if (slash === -1) return { address, version };
  const prefix = value.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > (version === 4 ? 32 : 128)) return undefined;
  return { address, version, prefix: Number(prefix) };
}

/** Whether the value is an internal (private, loopback, link-local…) address or network. */
export function isInternalValue(value: string): boolean {
  const ip = ipValue(value);
  return ip !== undefined && isInternalIp(ip.address);
}

function bitsEqual(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if (((a[byte] as number) & mask) !== ((b[byte] as number) & mask)) return false;
  }
  return true;
}

/** Whether the address (or the whole network) of `value` lies inside `cidr`. */
export function inCidr(value: string, cidr: string): boolean {
  const ip = ipValue(value);
  const net = ipValue(cidr);
  if (ip === undefined || net === undefined || ip.version !== net.version) return false;
  const netBits = net.prefix ?? (net.version === 4 ? 32 : 128);
  if (ip.prefix !== undefined && ip.prefix < netBits) return false;
  return bitsEqual(parseIp(ip.address).bytes, parseIp(net.address).bytes, netBits);
}
