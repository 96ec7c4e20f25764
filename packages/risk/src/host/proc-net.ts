import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { ListeningService } from './listening-service.js';

/** File-system access the /proc reader needs; injectable so tests can feed a fake /proc. */
export interface ProcFs {
  readFile(path: string): string;
  readdir(path: string): string[];
  readlink(path: string): string;
}

/** What could be read from /proc, and what could not. */
export interface ProcListeners {
  readonly services: ListeningService[];
  /** Human-readable limits: unreadable files, processes whose sockets could not be attributed. */
  readonly notes: string[];
}

const nodeFs: ProcFs = {
  readFile: (p) => readFileSync(p, 'utf8'),
  readdir: (p) => readdirSync(p),
  readlink: (p) => readlinkSync(p),
};

/** `0100007F` → `127.0.0.1`: /proc prints each 32-bit word in host (little-endian) order. */
function ipv4(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

function ipv6(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(Number.parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  const groups = Array.from({ length: 8 }, (_, i) => (((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0)).toString(16));
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') return `::ffff:${bytes.slice(12).join('.')}`;
  // Compress the longest run of zero groups (RFC 5952).
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > (best[1] as number) && j - i > 1) best = [i, j - i];
    i = j;
  }
  const [start, len] = best as [number, number];
  if (start < 0) return groups.join(':');
  return `${groups.slice(0, start).join(':')}::${groups.slice(start + len).join(':')}`;
}

/** Parses /proc/net/tcp or tcp6 text: the listening sockets (state 0A) with their inodes. */
export function parseProcNetTcp(text: string, protocol: 'tcp' | 'tcp6'): { address: string; port: number; inode: string }[] {
  const out: { address: string; port: number; inode: string }[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10 || cols[3] !== '0A') continue;
    const [addr, port] = (cols[1] ?? '').split(':');
    if (addr === undefined || port === undefined) continue;
    out.push({ address: protocol === 'tcp' ? ipv4(addr) : ipv6(addr), port: Number.parseInt(port, 16), inode: cols[9] as string });
  }
  return out;
}

/**
 * Reads the TCP listeners of this host from /proc/net/tcp and tcp6, and names
 * their processes through /proc/<pid>/fd (socket inode → pid → comm) where
 * permitted. Without root, other users' processes cannot be inspected: their
 * listeners are still returned, unnamed, and `notes` says so.
 */
export function readProcListeners(deps: { fs?: ProcFs; procRoot?: string } = {}): ProcListeners {
  const fs = deps.fs ?? nodeFs;
  const root = deps.procRoot ?? '/proc';
  const notes: string[] = [];
  const sockets: { protocol: 'tcp' | 'tcp6'; address: string; port: number; inode: string }[] = [];
  for (const protocol of ['tcp', 'tcp6'] as const) {
    try {
      for (const s of parseProcNetTcp(fs.readFile(`${root}/net/${protocol}`), protocol)) sockets.push({ protocol, ...s });
    } catch (error) {
      notes.push(`could not read ${root}/net/${protocol}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const wanted = new Set(sockets.map((s) => s.inode));
  const owner = new Map<string, { pid: number; process: string }>();
  let denied = 0;
  let pids: string[] = [];
  try {
    pids = fs.readdir(root).filter((d) => /^\d+$/.test(d));
  } catch (error) {
    notes.push(`could not list ${root}: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const pid of wanted.size === 0 ? [] : pids) {
    let fds: string[];
    try {
      fds = fs.readdir(`${root}/${pid}/fd`);
    } catch {
      denied++;
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlink(`${root}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m?.[1] === undefined || !wanted.has(m[1]) || owner.has(m[1])) continue;
      let comm = '';
      try {
        comm = fs.readFile(`${root}/${pid}/comm`).trim();
      } catch {
        comm = '';
      }
      owner.set(m[1], { pid: Number(pid), process: comm });
    }
  }
  const services: ListeningService[] = sockets.map((s) => {
    const o = owner.get(s.inode);
    return { protocol: s.protocol, address: s.address, port: s.port, ...(o !== undefined ? { pid: o.pid, ...(o.process !== '' ? { process: o.process } : {}) } : {}) };
  });
  const unnamed = services.filter((s) => s.process === undefined).length;
  if (denied > 0) notes.push(`${denied} process(es) could not be inspected (permission denied); run as root to name every listener`);
  if (unnamed > 0) notes.push(`${unnamed} listening socket(s) could not be attributed to a process`);
  return { services, notes };
}
