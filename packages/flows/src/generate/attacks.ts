import { clampInt, logNormal, normal } from './distributions.js';
import type { DrawContext } from './benign.js';
import { ephemeralPort, publicIp } from './network.js';
import type { Rng } from './rng.js';
import { packets, tcpSession, type FlowDraft } from './shapes.js';

/** The attack mechanics the generator knows. */
export type AttackType = 'port-scan' | 'ssh-bruteforce' | 'http-bruteforce' | 'web-exploit' | 'syn-flood' | 'c2-beacon' | 'exfiltration';

/** Every attack type. */
export const ATTACK_TYPES: readonly AttackType[] = ['port-scan', 'ssh-bruteforce', 'http-bruteforce', 'web-exploit', 'syn-flood', 'c2-beacon', 'exfiltration'];

/** Base share of attack flows per type before drift. */
export const BASE_ATTACK_MIX: Readonly<Record<AttackType, number>> = {
  'port-scan': 0.3,
  'ssh-bruteforce': 0.18,
  'http-bruteforce': 0.14,
  'web-exploit': 0.08,
  'syn-flood': 0.2,
  'c2-beacon': 0.07,
  exfiltration: 0.03,
};

/** Typical campaign length (flows) per type: [min, max] before intensity scaling. */
export const CAMPAIGN_SIZE: Readonly<Record<AttackType, readonly [number, number]>> = {
  'port-scan': [50, 1000],
  'ssh-bruteforce': [20, 300],
  'http-bruteforce': [20, 200],
  'web-exploit': [1, 25],
  'syn-flood': [200, 2000],
  'c2-beacon': [5, 60],
  exfiltration: [1, 3],
};

type Campaign = (ctx: DrawContext, size: number) => FlowDraft[];

const TOP_PORTS = [21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1723, 3306, 3389, 5900, 8080];

function attacker(rng: Rng): string {
  return publicIp(rng);
}

const CAMPAIGNS: Readonly<Record<AttackType, Campaign>> = {
  // SYN probes to many ports of one host from one source port (as nmap -sS does): closed ports
  // answer RST, filtered ones nothing, open ones SYN-ACK which the scanner resets. ≤ 3 packets.
  'port-scan': ({ rng, net, ts }, size) => {
    const src = rng.chance(0.8) ? attacker(rng) : rng.pick(net.clients);
    const target = rng.pick([...net.webServers, ...net.sshServers, ...net.fileServers]);
    const srcPort = ephemeralPort(rng);
    const sequential = rng.chance(0.5);
    const first = rng.int(1, 1024);
    const gap = logNormal(rng, 0.5, 0.8);
    return Array.from({ length: size }, (_, i) => {
      const dstPort = i < TOP_PORTS.length && !sequential ? (TOP_PORTS[i] as number) : sequential ? ((first + i - 1) % 65535) + 1 : rng.int(1, 65535);
      const base = { ts: ts + i * gap, srcIp: src, srcPort, dstIp: target, dstPort, durationMs: 0 };
      const reply = rng.next();
      if (reply < 0.04) {
        return packets({ ...base, durationMs: normal(rng, 0.4, 0.05) }, 'tcp', { packets: 2, bytes: 84 }, { packets: 1, bytes: 44 }, { syn: 2, ack: 1, rst: 1 });
      }
      if (reply < 0.7) return packets({ ...base, durationMs: Math.abs(normal(rng, 0.3, 0.05)) }, 'tcp', { packets: 1, bytes: 44 }, { packets: 1, bytes: 40 }, { syn: 1, rst: 1, ack: 1 });
      // Filtered: no answer; scanners retransmit the probe once now and then.
      const probes = rng.chance(0.2) ? 2 : 1;
      return packets(base, 'tcp', { packets: probes, bytes: probes * 44 }, { packets: 0, bytes: 0 }, { syn: probes });
    });
  },
  // Password guessing against SSH: many short sessions from one source to port 22, each a key
  // exchange plus a few failed attempts, so their sizes barely vary within a campaign.
  'ssh-bruteforce': ({ rng, net, ts }, size) => {
    const src = attacker(rng);
    const target = rng.pick(net.sshServers);
    const fwdBase = normal(rng, 1900, 150);
    const bwdBase = normal(rng, 2600, 200);
    let port = ephemeralPort(rng);
    let t = ts;
    return Array.from({ length: size }, () => {
      t += logNormal(rng, 7, 0.4);
      port = port >= 60999 ? 32768 : port + rng.int(1, 3);
      const attempts = rng.int(1, 3);
      const base = { ts: t, srcIp: src, srcPort: port, dstIp: target, dstPort: 22, durationMs: normal(rng, 900 + attempts * 400, 60), service: 'ssh' };
      return tcpSession(base, fwdBase + attempts * normal(rng, 180, 8), bwdBase + attempts * normal(rng, 90, 5), 6 + attempts * 2);
    });
  },
  // Credential stuffing on a web login: near-identical POSTs from one source, small responses.
  'http-bruteforce': ({ rng, net, ts }, size) => {
    const src = attacker(rng);
    const dstPort = rng.pick([80, 443, 8080]);
    const target = rng.pick(net.webServers);
    const post = normal(rng, 720, 60);
    const reply = normal(rng, 900, 200);
    let t = ts;
    return Array.from({ length: size }, () => {
      t += logNormal(rng, 5.5, 0.5);
      const base = { ts: t, srcIp: src, srcPort: ephemeralPort(rng), dstIp: target, dstPort, durationMs: logNormal(rng, 4.5, 0.3), service: dstPort === 443 ? 'https' : 'http' };
      return tcpSession(base, post + normal(rng, 0, 10), reply + normal(rng, 0, 15), 1);
    });
  },
  // Exploit attempts (injections, deserialisation payloads, uploads): large requests, short error
  // responses — the reverse of the usual web byte ratio.
  'web-exploit': ({ rng, net, ts }, size) => {
    const src = attacker(rng);
    const target = rng.pick(net.webServers);
    return Array.from({ length: size }, (_, i) => {
      const dstPort = rng.pick([80, 443, 8080, 8443]);
      const base = { ts: ts + i * logNormal(rng, 8, 1), srcIp: src, srcPort: ephemeralPort(rng), dstIp: target, dstPort, durationMs: logNormal(rng, 4, 0.8), service: dstPort === 443 || dstPort === 8443 ? 'https' : 'http' };
      return tcpSession(base, logNormal(rng, 8.3, 0.8), rng.int(150, 700), 1);
    });
  },
  // SYN flood: spoofed random sources and ports, one SYN each (sometimes a retransmission); the
  // victim's SYN-ACK goes to the spoofed address, so most flows see no reply at all.
  'syn-flood': ({ rng, net, ts }, size) => {
    const target = rng.pick(net.webServers);
    const dstPort = rng.pick([80, 443]);
    return Array.from({ length: size }, (_, i) => {
      const base = { ts: ts + i * 0.05, srcIp: publicIp(rng), srcPort: rng.int(1024, 65535), dstIp: target, dstPort, durationMs: 0 };
      const synAck = rng.chance(0.3);
      const fwd = rng.chance(0.1) ? 2 : 1;
      return packets(base, 'tcp', { packets: fwd, bytes: fwd * 40 }, { packets: synAck ? 1 : 0, bytes: synAck ? 44 : 0 }, { syn: fwd + (synAck ? 1 : 0), ack: synAck ? 1 : 0 });
    });
  },
  // Malware beaconing: one infected host calls one external server at a fixed period with a
  // little jitter; small, regular check-ins, now and then a larger tasking reply.
  'c2-beacon': ({ rng, net, ts }, size) => {
    const host = rng.pick(net.clients);
    const server = publicIp(rng);
    const dstPort = rng.pick([443, 8080, 8443, 4444]);
    const period = rng.int(30, 300) * 1000;
    const jitter = rng.next() * 0.2;
    const fwd = normal(rng, 320, 30);
    let t = ts;
    return Array.from({ length: size }, (_, i) => {
      if (i > 0) t += period * (1 + (rng.next() * 2 - 1) * jitter);
      const base = { ts: t, srcIp: host, srcPort: ephemeralPort(rng), dstIp: server, dstPort, durationMs: logNormal(rng, 5.3, 0.3) };
      const tasking = rng.chance(0.05);
      return tcpSession(base, fwd + normal(rng, 0, 8), tasking ? rng.int(2000, 20000) : normal(rng, 160, 10), 1);
    });
  },
  // Data theft: an internal host uploads tens of megabytes to an address nobody else talks to.
  exfiltration: ({ rng, net, ts }, size) => {
    const host = rng.pick(net.clients);
    const server = publicIp(rng);
    const dstPort = rng.pick([443, 22, 21, 8443, rng.int(1025, 65535)]);
    return Array.from({ length: size }, (_, i) => {
      const bytes = logNormal(rng, 17.5, 0.9);
      const rate = logNormal(rng, 14.5, 0.5);
      const base = { ts: ts + i * 60000, srcIp: host, srcPort: ephemeralPort(rng), dstIp: server, dstPort, durationMs: (bytes / rate) * 1000 };
      return tcpSession(base, bytes, clampInt(bytes / 500, 500, 1e6), 4);
    });
  },
};

/** Draws one campaign of `size` flows of an attack type, starting at `ctx.ts`. */
export function drawCampaign(type: AttackType, ctx: DrawContext, size: number): FlowDraft[] {
  return CAMPAIGNS[type](ctx, size);
}
