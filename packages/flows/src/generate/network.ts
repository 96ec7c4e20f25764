import type { Rng } from './rng.js';

/** The simulated organisation: its hosts and the outside world it talks to. Fixed per seed. */
export interface Network {
  /** Workstations, 10.1.0.0/16. */
  readonly clients: readonly string[];
  /** Administrators' machines, the usual SSH clients. */
  readonly admins: readonly string[];
  /** Internal web servers (a DMZ), the targets of web attacks and floods. */
  readonly webServers: readonly string[];
  readonly sshServers: readonly string[];
  readonly fileServers: readonly string[];
  readonly resolver: string;
  /** Popular external services (CDNs, SaaS), visited again and again. */
  readonly popular: readonly string[];
  readonly ntpServers: readonly string[];
  readonly mailServers: readonly string[];
}

// First octets of public unicast space; 10, 100, 127, 169, 172, 192 and multicast are never drawn.
const PUBLIC_FIRST_OCTETS = [13, 17, 23, 31, 34, 35, 45, 52, 54, 64, 66, 78, 81, 91, 93, 104, 142, 151, 157, 176, 185, 193, 198, 203, 212, 216];

/** A random public IPv4 address. */
export function publicIp(rng: Rng): string {
  return `${rng.pick(PUBLIC_FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** An ephemeral source port in Linux's default range. */
export function ephemeralPort(rng: Rng): number {
  return rng.int(32768, 60999);
}

function hosts(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}.${from + i}`);
}

/** Builds the network of a seed. */
export function createNetwork(rng: Rng): Network {
  return {
    clients: Array.from({ length: 250 }, () => `10.1.${rng.int(0, 15)}.${rng.int(2, 254)}`),
    admins: hosts('10.1.255', 10, 3),
    webServers: hosts('10.0.1', 10, 6),
    sshServers: hosts('10.0.2', 10, 5),
    fileServers: hosts('10.0.3', 10, 2),
    resolver: '10.0.0.53',
    popular: Array.from({ length: 400 }, () => publicIp(rng)),
    ntpServers: Array.from({ length: 4 }, () => publicIp(rng)),
    mailServers: Array.from({ length: 3 }, () => publicIp(rng)),
  };
}
