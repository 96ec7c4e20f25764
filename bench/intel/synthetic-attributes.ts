import type { Prng } from '../core/prng.js';
import type { Warninglist } from '@waggle/intel';

/** One attribute to check, as the matcher takes it. */
export interface SyntheticAttribute {
  readonly type: string;
  readonly value: string;
}

const TLDS = ['com', 'net', 'org', 'io', 'ru', 'cn', 'de', 'xyz', 'info', 'co.uk'];

/**
 * A realistic mix of IDS attribute values: mostly random (misses, like most
 * real indicators), with a share drawn from the loaded lists themselves so the
 * hit paths (subdomain walk, CIDR containment, substring, regex) are measured
 * too. Shares follow what MISP instances typically hold: IPs and domains
 * first, then hashes, URLs, e-mail addresses and composites.
 */
export function syntheticAttributes(prng: Prng, count: number, lists: readonly Warninglist[]): SyntheticAttribute[] {
  const hostnames = lists.filter((l) => l.type === 'hostname').flatMap((l) => l.list.slice(0, 2000));
  const strings = lists.filter((l) => l.type === 'string' && l.matching_attributes.includes('domain')).flatMap((l) => l.list.slice(0, 2000));
  const label = (): string => prng.hex(prng.int(4, 12)).replace(/[0-9]/g, (d) => 'ghijklmnop'.charAt(Number(d)));
  const domain = (): string => {
    if (prng.chance(0.1) && hostnames.length > 0) return `${label()}.${prng.pick(hostnames).replace(/^\.+/, '')}`;
    if (prng.chance(0.05) && strings.length > 0) return prng.pick(strings).replace(/^\.+/, '');
    return `${prng.chance(0.3) ? `${label()}.` : ''}${label()}.${prng.pick(TLDS)}`;
  };
  const ipv4 = (): string => {
    if (prng.chance(0.1)) return `192.168.${prng.int(0, 255)}.${prng.int(1, 254)}`;
    return `${prng.int(1, 223)}.${prng.int(0, 255)}.${prng.int(0, 255)}.${prng.int(1, 254)}`;
  };
  const ipv6 = (): string => (prng.chance(0.1) ? `fe80::${prng.hex(4)}` : `2${prng.hex(3)}:${prng.hex(4)}:${prng.hex(4)}::${prng.hex(4)}`);
  const makers: readonly [number, () => SyntheticAttribute][] = [
    [22, () => ({ type: prng.chance(0.5) ? 'ip-dst' : 'ip-src', value: ipv4() })],
    [3, () => ({ type: 'ip-dst', value: ipv6() })],
    [18, () => ({ type: 'domain', value: domain() })],
    [6, () => ({ type: 'hostname', value: domain() })],
    [10, () => ({ type: 'url', value: `https://${domain()}/${label()}/${label()}.php?id=${prng.int(1, 9999)}` })],
    [9, () => ({ type: 'md5', value: prng.chance(0.02) ? 'd41d8cd98f00b204e9800998ecf8427e' : prng.hex(32) })],
    [4, () => ({ type: 'sha1', value: prng.hex(40) })],
    [9, () => ({ type: 'sha256', value: prng.hex(64) })],
    [6, () => ({ type: prng.chance(0.5) ? 'email-src' : 'email-dst', value: `${prng.chance(0.1) ? 'abuse' : label()}@${domain()}` })],
    [5, () => ({ type: 'domain|ip', value: `${domain()}|${ipv4()}` })],
    [3, () => ({ type: 'ip-dst|port', value: `${ipv4()}|${prng.pick([22, 80, 443, 8080, 4444])}` })],
    [3, () => ({ type: 'filename|md5', value: `${label()}.exe|${prng.hex(32)}` })],
    [2, () => ({ type: 'phone-number', value: `+1${prng.int(200, 999)}555${prng.int(1000, 9999)}` })],
  ];
  const total = makers.reduce((sum, [weight]) => sum + weight, 0);
  const out: SyntheticAttribute[] = [];
  for (let i = 0; i < count; i++) {
    let roll = prng.int(0, total - 1);
    for (const [weight, make] of makers) {
      if (roll < weight) {
        out.push(make());
        break;
      }
      roll -= weight;
    }
  }
  return out;
}
