import { createHash } from 'node:crypto';
import type { LogEntry, LogRecord } from '../store/authority-store.js';

/** The `prevHash` of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of one log row: SHA-256 over the previous row's hash and a JSON array of the
 * row's fields in a fixed order, so changing, reordering or removing a row inside the
 * chain breaks every later link.
 */
export function logHash(seq: number, prevHash: string, r: LogRecord): string {
  const body = JSON.stringify([seq, r.at, r.outcome, r.sub, r.org, [...r.attributes], r.keyId, r.epoch, r.expiresAt, r.reason]);
  return createHash('sha256').update(`waggle-keyauthority-log/v1\n${prevHash}\n${body}`).digest('hex');
}

/** The result of checking a chain: the head hash to anchor elsewhere, or the first bad row. */
export type ChainVerdict =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | { readonly ok: false; readonly entries: number; readonly badSeq: number; readonly problem: string };

/**
 * Re-computes every link. Detects a modified, inserted or deleted row; truncation of the
 * tail is only detectable against a head hash recorded elsewhere (compare `head`).
 */
export function verifyChain(entries: Iterable<LogEntry>): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let n = 0;
  for (const e of entries) {
    n += 1;
    if (e.seq !== expectedSeq) return { ok: false, entries: n, badSeq: e.seq, problem: `expected row ${String(expectedSeq)}, found ${String(e.seq)} (a row was removed)` };
    if (e.prevHash !== prev) return { ok: false, entries: n, badSeq: e.seq, problem: 'link to the previous row does not match' };
    if (logHash(e.seq, e.prevHash, e) !== e.hash) return { ok: false, entries: n, badSeq: e.seq, problem: 'row content does not match its hash (modified)' };
    prev = e.hash;
    expectedSeq += 1;
  }
  return { ok: true, entries: n, head: prev };
}
