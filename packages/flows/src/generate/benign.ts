import { clampInt, exponential, logNormal, normal, pareto } from './distributions.js';
import type { Network } from './network.js';
import { ephemeralPort } from './network.js';
import type { Rng } from './rng.js';
import { packets, tcpSession, UDP_HEADER, type FlowDraft } from './shapes.js';

/** The kinds of benign traffic the generator draws. */
export type BenignKind = 'web' | 'tls' | 'dns' | 'ntp' | 'ssh' | 'smb' | 'mail';

/** Every benign kind. */
export const BENIGN_KINDS: readonly BenignKind[] = ['web', 'tls', 'dns', 'ntp', 'ssh', 'smb', 'mail'];

/** Base share of each benign kind before drift. */
export const BASE_BENIGN_MIX: Readonly<Record<BenignKind, number>> = {
  web: 0.42,
  tls: 0.12,
  dns: 0.3,
  ntp: 0.03,
  ssh: 0.03,
  smb: 0.06,
  mail: 0.04,
};

/** Parameters of benign traffic in one chunk (drift moves them between chunks). */
export interface BenignProfile {
  readonly mix: Readonly<Record<BenignKind, number>>;
  /** Pareto shape of web response sizes: lower means heavier tail (bigger downloads). */
  readonly webTailAlpha: number;
  /** Added to the log of request sizes and session lengths. */
  readonly sizeShift: number;
}

/** Shared state of one draw. */
export interface DrawContext {
  readonly rng: Rng;
  readonly net: Network;
  readonly ts: number;
}

type BenignDraw = (ctx: DrawContext, profile: BenignProfile) => FlowDraft;

const MAX_RESPONSE = 2e8;

const DRAWS: Readonly<Record<BenignKind, BenignDraw>> = {
  // Web browsing: several requests per keep-alive connection; response sizes Pareto (most pages
  // small, a few huge downloads), request sizes log-normal around ~500 bytes of headers.
  web: ({ rng, net, ts }, p) => {
    const requests = 1 + Math.floor(exponential(rng, 2));
    const fwd = requests * logNormal(rng, 6.2 + p.sizeShift, 0.5);
    const bwd = Math.min(MAX_RESPONSE, requests * pareto(rng, 1200, p.webTailAlpha));
    const duration = logNormal(rng, 5.3, 1.1) + bwd / 2000;
    const dstPort = rng.chance(0.85) ? 443 : 80;
    const base = { ts, srcIp: rng.pick(net.clients), srcPort: ephemeralPort(rng), dstIp: rng.pick(net.popular), dstPort, durationMs: duration, service: dstPort === 443 ? 'https' : 'http' };
    return tcpSession(base, fwd, bwd, requests);
  },
  // Long-lived TLS connections (messaging, APIs, streaming): minutes long, both directions busy.
  tls: ({ rng, net, ts }, p) => {
    const duration = logNormal(rng, 10.8 + p.sizeShift, 1.2);
    const fwd = logNormal(rng, 8.5 + p.sizeShift, 1);
    const bwd = logNormal(rng, 10 + p.sizeShift, 1.5);
    const base = { ts, srcIp: rng.pick(net.clients), srcPort: ephemeralPort(rng), dstIp: rng.pick(net.popular), dstPort: rng.pick([443, 443, 443, 5223, 8443]), durationMs: duration, service: 'tls' };
    return tcpSession(base, fwd, bwd, clampInt(duration / 5000, 1, 500));
  },
  // DNS: one query, one answer, to the internal resolver.
  dns: ({ rng, net, ts }) => {
    const query = rng.int(28, 60);
    const answer = query + rng.int(16, 300);
    const base = { ts, srcIp: rng.pick(net.clients), srcPort: ephemeralPort(rng), dstIp: net.resolver, dstPort: 53, durationMs: logNormal(rng, 1.5, 1), service: 'dns' };
    return packets(base, 'udp', { packets: 1, bytes: query + UDP_HEADER }, { packets: 1, bytes: answer + UDP_HEADER });
  },
  // NTP client mode 3 / server mode 4: 48-byte payloads.
  ntp: ({ rng, net, ts }) => {
    const base = { ts, srcIp: rng.pick(net.clients), srcPort: 123, dstIp: rng.pick(net.ntpServers), dstPort: 123, durationMs: logNormal(rng, 3, 0.5), service: 'ntp' };
    return packets(base, 'udp', { packets: 1, bytes: 76 }, { packets: 1, bytes: 76 });
  },
  // Interactive SSH by administrators: long sessions, many small keystroke packets, output larger.
  ssh: ({ rng, net, ts }, p) => {
    const duration = logNormal(rng, 12 + p.sizeShift, 1);
    const keystrokes = clampInt(duration / 1000 * normal(rng, 1.5, 0.3), 20, 200000);
    const fwd = 3000 + keystrokes * 36;
    const bwd = 4000 + keystrokes * 36 + logNormal(rng, 10, 1.2);
    const base = { ts, srcIp: rng.pick(net.admins), srcPort: ephemeralPort(rng), dstIp: rng.pick(net.sshServers), dstPort: 22, durationMs: duration, service: 'ssh' };
    const flow = tcpSession(base, fwd, bwd, keystrokes);
    // Each keystroke is its own segment, so packets far exceed bytes / MSS.
    return { ...flow, fwdPackets: flow.fwdPackets + keystrokes, bwdPackets: flow.bwdPackets + keystrokes, fwdBytes: flow.fwdBytes + keystrokes * 52, bwdBytes: flow.bwdBytes + keystrokes * 52 };
  },
  // File shares: reads far outweigh writes, sizes heavy-tailed.
  smb: ({ rng, net, ts }, p) => {
    const bwd = Math.min(MAX_RESPONSE, pareto(rng, 20000, p.webTailAlpha + 0.1));
    const fwd = 2000 + bwd * 0.02;
    const base = { ts, srcIp: rng.pick(net.clients), srcPort: ephemeralPort(rng), dstIp: rng.pick(net.fileServers), dstPort: 445, durationMs: logNormal(rng, 7, 1.3) + bwd / 50000, service: 'smb' };
    return tcpSession(base, fwd, bwd, clampInt(bwd / 65536, 1, 10000));
  },
  // Mail clients: IMAPS sync or message submission.
  mail: ({ rng, net, ts }, p) => {
    const submit = rng.chance(0.3);
    const body = logNormal(rng, 9 + p.sizeShift, 1.3);
    const fwd = submit ? body + 1500 : 1500;
    const bwd = submit ? 2500 : body + 2500;
    const base = { ts, srcIp: rng.pick(net.clients), srcPort: ephemeralPort(rng), dstIp: rng.pick(net.mailServers), dstPort: submit ? 587 : 993, durationMs: logNormal(rng, 6.5, 0.8), service: submit ? 'smtp' : 'imaps' };
    return tcpSession(base, fwd, bwd, 8);
  },
};

/** Draws one benign flow of the given kind. */
export function drawBenign(kind: BenignKind, ctx: DrawContext, profile: BenignProfile): FlowDraft {
  return DRAWS[kind](ctx, profile);
}
