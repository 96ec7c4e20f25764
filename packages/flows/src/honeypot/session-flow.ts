import type { FlowRecord } from '../flow-record.js';
import type { SessionTally } from './session-summary.js';

/** IPv4 + TCP header bytes per packet (with the timestamp option). */
const HEADER = 52;

/** A side of a connection being estimated. */
interface Side {
  packets: number;
  payload: number;
}

function add(side: Side, packets: number, payload: number): void {
  side.packets += packets;
  side.payload += payload;
}

/**
 * The honeypot's view of attack behaviour as a class name: an exploit detector firing wins, then
 * what the attacker did after connecting (commands → intrusion, credentials → brute force, Redis
 * commands that change the server → exploit); a session that never got past the connection is a scan.
 */
export function sessionAttackType(t: SessionTally): string {
  const p = t.protocol;
  if (t.exploits > 0) return `${p}-exploit`;
  switch (p) {
    case 'ssh':
    case 'telnet':
      if (t.commands > 0 || t.uploadBytes > 0) return `${p}-intrusion`;
      if (t.loginsFailed + t.loginsSucceeded > 0) return `${p}-bruteforce`;
      return 'scan';
    case 'ftp':
      if (t.loginsFailed + t.loginsSucceeded > 0) return 'ftp-bruteforce';
      return t.commands > 0 ? 'ftp-probe' : 'scan';
    case 'redis':
      if (t.dangerousRedis > 0) return 'redis-exploit';
      return t.commands > 0 ? 'redis-probe' : 'scan';
    case 'http':
      return t.httpRequests > 0 ? 'http-probe' : 'scan';
    default:
      return 'scan';
  }
}

/**
 * Estimates a session's packets and bytes from its events (the honeypot logs what was said, not the
 * packets): TCP handshake and teardown; for SSH the version exchange and key exchange (about 1.6 KB
 * up, 1.9 KB down) and one encrypted packet per login attempt and per command plus a reply; for
 * Telnet option negotiation and one line per username, password and command; HTTP, FTP and Redis
 * requests by their logged size with a short reply each. Each packet adds 52 header bytes. The
 * constants are listed in the package README.
 */
export function sessionToFlow(t: SessionTally): FlowRecord {
  const fwd: Side = { packets: 3, payload: 0 };
  const bwd: Side = { packets: 2, payload: 0 };
  const attempts = t.loginsFailed + t.loginsSucceeded;
  if (t.rejected) {
    fwd.packets = 2;
  } else if (t.protocol === 'ssh') {
    add(fwd, 1, 40);
    add(bwd, 1, 40);
    if (t.kex || attempts > 0 || t.commands > 0) {
      add(fwd, 3, 1600);
      add(bwd, 3, 1900);
      add(fwd, 1, 64);
      add(bwd, 1, 64);
    }
    add(fwd, attempts, attempts * 96 + t.credentialBytes);
    add(bwd, attempts, attempts * 64);
    add(fwd, t.commands, t.commands * 52 + t.commandBytes);
    add(bwd, t.commands * 2, t.commands * 300);
  } else if (t.protocol === 'telnet') {
    add(fwd, 2, 30);
    add(bwd, 2, 40);
    add(fwd, attempts * 2, attempts * 4 + t.credentialBytes);
    add(bwd, attempts * 2, attempts * 30);
    add(fwd, t.commands, t.commands * 2 + t.commandBytes);
    add(bwd, t.commands, t.commands * 200);
  } else {
    const requests = Math.max(t.httpRequests, t.exploits > 0 && t.httpRequests === 0 ? 1 : 0);
    add(fwd, Math.ceil(t.httpRequestBytes / 1448) + (t.httpRequestBytes === 0 ? requests : 0), t.httpRequestBytes);
    add(bwd, requests, requests * 600);
    const exchanges = t.commands + attempts * 2;
    add(fwd, exchanges, t.commandBytes + t.credentialBytes + attempts * 12 + exchanges * 2);
    add(bwd, exchanges, exchanges * 40);
  }
  if (t.uploadBytes > 0) {
    const segments = Math.ceil(t.uploadBytes / 1448);
    add(fwd, segments, t.uploadBytes);
    add(bwd, Math.ceil(segments / 2), 0);
  }
  const durationMs = t.closedAfter !== undefined ? t.closedAfter * 1000 : t.last - t.start;
  return {
    ts: t.start,
    srcIp: t.srcIp,
    srcPort: t.srcPort,
    dstIp: t.dstIp,
    dstPort: t.dstPort,
    protocol: 'tcp',
    durationMs: Math.max(0, durationMs),
    fwdPackets: fwd.packets,
    bwdPackets: bwd.packets,
    fwdBytes: fwd.payload + fwd.packets * HEADER,
    bwdBytes: bwd.payload + bwd.packets * HEADER,
    label: 1,
    attackType: sessionAttackType(t),
    service: t.protocol,
    flowId: t.session,
  };
}
