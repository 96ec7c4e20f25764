import Database from 'better-sqlite3';
import { UnavailableError } from '@waggle/errors';
import { GENESIS_HASH, logHash } from '../log/log-chain.js';
import type { AuthorityStore, LogEntry, LogRecord, OrgRecord, Revocation } from './authority-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS org_attributes (org TEXT PRIMARY KEY, attributes TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS revocations (kind TEXT NOT NULL, value TEXT NOT NULL, revoked_at TEXT NOT NULL, reason TEXT, PRIMARY KEY (kind, value));
CREATE TABLE IF NOT EXISTS issuance_log (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, outcome TEXT NOT NULL, sub TEXT, org TEXT, attributes TEXT NOT NULL,
  key_id TEXT, epoch TEXT, expires_at TEXT, reason TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);`;

interface LogRow { seq: number; at: string; outcome: 'issued' | 'refused'; sub: string | null; org: string | null; attributes: string; key_id: string | null; epoch: string | null; expires_at: string | null; reason: string | null; prev_hash: string; hash: string }
interface RevRow { kind: 'sub' | 'org'; value: string; revoked_at: string; reason: string | null }

const toEntry = (r: LogRow): LogEntry => ({
  seq: r.seq, at: r.at, outcome: r.outcome, sub: r.sub, org: r.org, attributes: JSON.parse(r.attributes) as string[], keyId: r.key_id, epoch: r.epoch, expiresAt: r.expires_at, reason: r.reason, prevHash: r.prev_hash, hash: r.hash,
});
const toRevocation = (r: RevRow): Revocation => ({ kind: r.kind, value: r.value, revokedAt: r.revoked_at, reason: r.reason });

/** Translates SQLite's busy/locked errors into a retryable `UnavailableError`. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw new UnavailableError('key authority store is busy', error);
    throw error;
  }
}

/**
 * Opens (creating if needed) the authority's SQLite store. WAL mode lets the CLI
 * (`org set`, `revoke`) write while the service runs; log appends take the write lock
 * first (`BEGIN IMMEDIATE`) so two processes cannot fork the chain.
 */
export function openSqliteAuthorityStore(file: string): AuthorityStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const q = {
    org: db.prepare<[string], { attributes: string }>('SELECT attributes FROM org_attributes WHERE org = ?'),
    setOrg: db.prepare('INSERT INTO org_attributes (org, attributes, updated_at) VALUES (?, ?, ?) ON CONFLICT(org) DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at'),
    delOrg: db.prepare('DELETE FROM org_attributes WHERE org = ?'),
    orgs: db.prepare<[], { org: string; attributes: string; updated_at: string }>('SELECT org, attributes, updated_at FROM org_attributes ORDER BY org'),
    revoke: db.prepare('INSERT INTO revocations (kind, value, revoked_at, reason) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    revoked: db.prepare<[string, string], RevRow>('SELECT * FROM revocations WHERE kind = ? AND value = ?'),
    revocations: db.prepare<[], RevRow>('SELECT * FROM revocations ORDER BY revoked_at, rowid'),
    last: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM issuance_log ORDER BY seq DESC LIMIT 1'),
    append: db.prepare('INSERT INTO issuance_log (seq, at, outcome, sub, org, attributes, key_id, epoch, expires_at, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    read: db.prepare<[number, number], LogRow>('SELECT * FROM issuance_log WHERE seq >= ? ORDER BY seq LIMIT ?'),
    setting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?'),
    setSetting: db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
  };
  const append = db.transaction((r: LogRecord): LogEntry => {
    const last = q.last.get();
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const entry: LogEntry = { ...r, attributes: [...r.attributes], seq, prevHash, hash: logHash(seq, prevHash, r) };
    q.append.run(seq, r.at, r.outcome, r.sub, r.org, JSON.stringify(entry.attributes), r.keyId, r.epoch, r.expiresAt, r.reason, prevHash, entry.hash);
    return entry;
  });
  return {
    orgAttributes: (org) => guard(() => {
      const row = q.org.get(org);
      return row === undefined ? [] : (JSON.parse(row.attributes) as string[]);
    }),
    setOrgAttributes: (org, attributes, at): OrgRecord => guard(() => {
      q.setOrg.run(org, JSON.stringify(attributes), at);
      return { org, attributes: [...attributes], updatedAt: at };
    }),
    removeOrg: (org) => guard(() => q.delOrg.run(org).changes > 0),
    listOrgs: () => guard(() => q.orgs.all().map((r) => ({ org: r.org, attributes: JSON.parse(r.attributes) as string[], updatedAt: r.updated_at }))),
    revoke: (r) => guard(() => {
      q.revoke.run(r.kind, r.value, r.revokedAt, r.reason);
      return toRevocation(q.revoked.get(r.kind, r.value) as RevRow);
    }),
    revoked: (kind, value) => guard(() => {
      const row = q.revoked.get(kind, value);
      return row === undefined ? undefined : toRevocation(row);
    }),
    listRevocations: () => guard(() => q.revocations.all().map(toRevocation)),
    appendLog: (r) => guard(() => append.immediate(r)),
    readLog: (o = {}) => guard(() => q.read.all(o.fromSeq ?? 1, o.limit ?? Number.MAX_SAFE_INTEGER).map(toEntry)),
    setting: (name) => guard(() => q.setting.get(name)?.value),
    setSetting: (name, value) => guard(() => void q.setSetting.run(name, value)),
    close: () => db.close(),
  };
}
