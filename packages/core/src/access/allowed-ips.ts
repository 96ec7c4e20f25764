import { ipRange } from '@waggle/misp';

/** An address as Node reports it on a dual-stack socket (`::ffff:192.0.2.1`) in its plain form. */
function plain(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip.trim());
  return m?.[1] ?? ip.trim();
}

/**
 * Whether `ip` is one of the allowed addresses or inside one of the allowed CIDR blocks, as
 * MISP checks an auth key's `allowed_ips`. Entries that are neither never match.
 */
export function isIpAllowed(ip: string, allowed: readonly string[]): boolean {
  const address = ipRange(plain(ip));
  if (address === undefined) return false;
  return allowed.some((entry) => {
    const block = ipRange(entry);
    return block !== undefined && block.family === address.family && address.start >= block.start && address.end <= block.end;
  });
}

/** Whether an `allowed_ips` entry is an address or a CIDR block. */
export function isAllowedIpEntry(entry: string): boolean {
  return ipRange(entry) !== undefined;
}
