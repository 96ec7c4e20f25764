/** An IP address as a number: IPv4 in 32 bits, IPv6 in 128. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): bigint | undefined {
  const m = V4.exec(text);
  if (m === null) return undefined;
  let v = 0n;
  for (const part of m.slice(1)) {
    const n = Number(part);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      if (i === parts.length - 1 && p.includes('.')) {
        // An embedded IPv4 tail (::ffff:192.0.2.1) fills the last two groups.
        const v4 = parseV4(p);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let v = 0n;
  for (const g of [...head, ...new Array<number>(missing).fill(0), ...tail]) v = (v << 16n) | BigInt(g);
  return v;
}

/** Parses a dotted IPv4 or an IPv6 address (RFC 4291 text forms); `undefined` if it is neither. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const t = text.trim();
  const v4 = parseV4(t);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = t.includes(':') ? parseV6(t) : undefined;
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** Bits in an address of the family. */
export function ipBits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

/** Canonical text: dotted quad, or RFC 5952 for IPv6 (lower case, longest zero run as `::`). */
export function formatIpAddress(ip: IpAddress): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  const g = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1; // a single zero group is not compressed (RFC 5952 §4.2.2)
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

/** Length of the longest common bit prefix of two addresses of one family. */
export function commonPrefixLength(a: bigint, b: bigint, family: 4 | 6): number {
  const diff = a ^ b;
  return ipBits(family) - (diff === 0n ? 0 : diff.toString(2).length);
}

/** `network/len` of the smallest CIDR block holding both addresses (the address itself when they are equal). */
export function commonPrefix(lo: bigint, hi: bigint, family: 4 | 6): string {
  if (lo === hi) return formatIpAddress({ family, value: lo });
  const len = commonPrefixLength(lo, hi, family);
  const hostBits = BigInt(ipBits(family) - len);
  const network = (lo >> hostBits) << hostBits;
  return `${formatIpAddress({ family, value: network })}/${len}`;
}
