import Database from 'better-sqlite3';
import { ConflictError, UnavailableError } from '@waggle/errors';
import type { ClientRecord, PatRecord, PctRecord, RequestRecord, ResourceRecord, SigningKeyRecord, TicketRecord, UserRecord } from './records.js';
import { SCHEMA } from './schema.js';
import type { UmaStore } from './uma-store.js';

type Row = Record<string, unknown>;
const json = (v: unknown): string => JSON.stringify(v);
const parse = <T>(v: unknown): T => JSON.parse(String(v)) as T;
const num = (v: unknown): number => Number(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const toClient = (r: Row): ClientRecord => ({ clientId: String(r.client_id), secretHash: String(r.secret_hash), name: String(r.name), owner: strOrNull(r.owner), redirectUris: parse<string[]>(r.redirect_uris), createdAt: num(r.created_at) });
const toKey = (r: Row): SigningKeyRecord => ({ kid: String(r.kid), alg: String(r.alg), privateJwk: String(r.private_jwk), publicJwk: String(r.public_jwk), createdAt: num(r.created_at), retiredAt: r.retired_at === null ? null : num(r.retired_at), expiresAt: r.expires_at === null ? null : num(r.expires_at) });
const toResource = (r: Row): ResourceRecord => ({ id: String(r.id), owner: String(r.owner), clientId: String(r.client_id), description: parse(r.description), createdAt: num(r.created_at) });
const toRequest = (r: Row): RequestRecord => ({ id: String(r.id), owner: String(r.owner), clientId: String(r.client_id), subject: strOrNull(r.subject), claims: parse(r.claims), permissions: parse(r.permissions), status: String(r.status) as RequestRecord['status'], ticketHash: strOrNull(r.ticket_hash), createdAt: num(r.created_at) });
const toUser = (r: Row): UserRecord => ({ username: String(r.username), passwordHash: String(r.password_hash), claims: parse(r.claims), createdAt: num(r.created_at) });

function translate(error: unknown): never {
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CONSTRAINT')) throw new ConflictError('that record already exists');
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new UnavailableError('the UMA store is busy', error);
  throw error;
}

/** Opens (creating if needed) the AS store in a SQLite file; pass `:memory:` for a throwaway store. */
export function openSqliteUmaStore(path: string): UmaStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const q = (sql: string): Database.Statement => db.prepare(sql);
  const run = (sql: string, ...params: unknown[]): Database.RunResult => {
    try {
      return q(sql).run(...params);
    } catch (error) {
      return translate(error);
    }
  };
  const get = (sql: string, ...params: unknown[]): Row | undefined => q(sql).get(...params) as Row | undefined;
  const all = (sql: string, ...params: unknown[]): Row[] => q(sql).all(...params) as Row[];

  return {
    addClient: (c) => void run('INSERT INTO clients VALUES (?,?,?,?,?,?)', c.clientId, c.secretHash, c.name, c.owner, json(c.redirectUris), c.createdAt),
    getClient: (id) => {
      const r = get('SELECT * FROM clients WHERE client_id = ?', id);
      return r === undefined ? undefined : toClient(r);
    },
    listClients: () => all('SELECT * FROM clients ORDER BY client_id').map(toClient),
    removeClient: (id) => run('DELETE FROM clients WHERE client_id = ?', id).changes > 0,

    addPat: (p) => void run('INSERT INTO pats VALUES (?,?,?,?)', p.tokenHash, p.clientId, p.owner, p.expiresAt),
    getPat: (hash) => {
      const r = get('SELECT * FROM pats WHERE token_hash = ?', hash);
      return r === undefined ? undefined : { tokenHash: String(r.token_hash), clientId: String(r.client_id), owner: String(r.owner), expiresAt: num(r.expires_at) } satisfies PatRecord;
    },

    addSigningKey: (k) => void run('INSERT INTO signing_keys VALUES (?,?,?,?,?,?,?)', k.kid, k.alg, k.privateJwk, k.publicJwk, k.createdAt, k.retiredAt, k.expiresAt),
    listSigningKeys: () => all('SELECT * FROM signing_keys ORDER BY created_at, kid').map(toKey),
    retireSigningKey: (kid, retiredAt, expiresAt) => void run('UPDATE signing_keys SET retired_at = ?, expires_at = ? WHERE kid = ?', retiredAt, expiresAt, kid),

    putResource: (r) => void run('INSERT INTO resources VALUES (?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET description = excluded.description', r.id, r.owner, r.clientId, json(r.description), r.createdAt),
    getResource: (id) => {
      const r = get('SELECT * FROM resources WHERE id = ?', id);
      return r === undefined ? undefined : toResource(r);
    },
    listResources: (owner) => all('SELECT * FROM resources WHERE owner = ? ORDER BY created_at, id', owner).map(toResource),
    deleteResource: (id) => run('DELETE FROM resources WHERE id = ?', id).changes > 0,

    setPolicy: (id, policy, at) => void run('INSERT INTO policies VALUES (?,?,?) ON CONFLICT(resource_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at', id, json(policy), at),
    getPolicy: (id) => {
      const r = get('SELECT policy FROM policies WHERE resource_id = ?', id);
      return r === undefined ? undefined : parse<unknown>(r.policy);
    },

    addTicket: (t) => void run('INSERT INTO tickets VALUES (?,?,?,?)', t.ticketHash, json(t.permissions), t.claims === null ? null : json(t.claims), t.expiresAt),
    takeTicket: (hash) => {
      const r = get('DELETE FROM tickets WHERE ticket_hash = ? RETURNING *', hash);
      return r === undefined ? undefined : { ticketHash: String(r.ticket_hash), permissions: parse(r.permissions), claims: r.claims === null ? null : parse(r.claims), expiresAt: num(r.expires_at) } satisfies TicketRecord;
    },

    addRequest: (r) => void run('INSERT INTO requests VALUES (?,?,?,?,?,?,?,?,?)', r.id, r.owner, r.clientId, r.subject, json(r.claims), json(r.permissions), r.status, r.ticketHash, r.createdAt),
    getRequest: (id) => {
      const r = get('SELECT * FROM requests WHERE id = ?', id);
      return r === undefined ? undefined : toRequest(r);
    },
    findRequestByTicket: (hash) => {
      const r = get('SELECT * FROM requests WHERE ticket_hash = ?', hash);
      return r === undefined ? undefined : toRequest(r);
    },
    findRequest: (clientId, subject, permissions) => {
      const r = get('SELECT * FROM requests WHERE client_id = ? AND subject IS ? AND permissions = ? ORDER BY created_at DESC LIMIT 1', clientId, subject, permissions);
      return r === undefined ? undefined : toRequest(r);
    },
    updateRequest: (id, change) => {
      if (change.status !== undefined) run('UPDATE requests SET status = ? WHERE id = ?', change.status, id);
      if (change.ticketHash !== undefined) run('UPDATE requests SET ticket_hash = ? WHERE id = ?', change.ticketHash, id);
    },
    listRequests: (owner) => all('SELECT * FROM requests WHERE owner = ? ORDER BY created_at, id', owner).map(toRequest),

    addPct: (p) => void run('INSERT INTO pcts VALUES (?,?,?,?)', p.pctHash, p.clientId, json(p.claims), p.expiresAt),
    getPct: (hash) => {
      const r = get('SELECT * FROM pcts WHERE pct_hash = ?', hash);
      return r === undefined ? undefined : { pctHash: String(r.pct_hash), clientId: String(r.client_id), claims: parse(r.claims), expiresAt: num(r.expires_at) } satisfies PctRecord;
    },

    addUser: (u) => void run('INSERT INTO users VALUES (?,?,?,?)', u.username, u.passwordHash, json(u.claims), u.createdAt),
    getUser: (name) => {
      const r = get('SELECT * FROM users WHERE username = ?', name);
      return r === undefined ? undefined : toUser(r);
    },
    listUsers: () => all('SELECT * FROM users ORDER BY username').map(toUser),
    removeUser: (name) => run('DELETE FROM users WHERE username = ?', name).changes > 0,

    purgeExpired: (now) => ['tickets', 'pats', 'pcts'].reduce((n, table) => n + run(`DELETE FROM ${table} WHERE expires_at <= ?`, now).changes, 0),

    transaction: (fn) => db.transaction(fn)(),
    close: () => db.close(),
  };
}
