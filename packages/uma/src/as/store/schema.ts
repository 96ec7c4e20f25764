/** SQLite schema of the AS store. Secrets (client secrets, PATs, tickets, PCTs) are stored only as hashes. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS clients (
  client_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, name TEXT NOT NULL,
  owner TEXT, redirect_uris TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pats (
  token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(client_id) ON DELETE CASCADE,
  owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS signing_keys (
  kid TEXT PRIMARY KEY, alg TEXT NOT NULL, private_jwk TEXT NOT NULL, public_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL, retired_at INTEGER, expires_at INTEGER);
CREATE TABLE IF NOT EXISTS resources (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, client_id TEXT NOT NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS policies (
  resource_id TEXT PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE, policy TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tickets (
  ticket_hash TEXT PRIMARY KEY, permissions TEXT NOT NULL, claims TEXT, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, client_id TEXT NOT NULL, subject TEXT, claims TEXT NOT NULL,
  permissions TEXT NOT NULL, status TEXT NOT NULL, ticket_hash TEXT, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS requests_ticket ON requests(ticket_hash);
CREATE TABLE IF NOT EXISTS pcts (
  pct_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, claims TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  username TEXT PRIMARY KEY, password_hash TEXT NOT NULL, claims TEXT NOT NULL, created_at INTEGER NOT NULL);
`;
