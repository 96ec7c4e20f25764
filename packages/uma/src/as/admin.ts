import { randomBytes } from 'node:crypto';
import { InputError, NotFoundError, Secret } from '@waggle/errors';
import type { RequesterClaims } from '../common/uma-types.js';
import { hashPassword, randomToken, tokenHash } from './keys/secrets.js';
import type { ClientRecord } from './store/records.js';
import type { UmaStore } from './store/uma-store.js';

/** A new client's credentials; the secret is shown once and stored only as a hash. */
export interface NewClient {
  readonly clientId: string;
  readonly clientSecret: Secret;
}

/** Client as shown to the administrator (no secret hash). */
export interface ClientInfo {
  readonly clientId: string;
  readonly name: string;
  readonly owner: string | null;
  readonly redirectUris: readonly string[];
  readonly createdAt: number;
}

const show = (c: ClientRecord): ClientInfo => ({ clientId: c.clientId, name: c.name, owner: c.owner, redirectUris: c.redirectUris, createdAt: c.createdAt });

/** Registers a client. With `owner`, it is a resource server acting for that owner (may get PATs). */
export function addClient(store: UmaStore, input: { name: string; owner?: string; redirectUris?: readonly string[]; clientId?: string }, now = Date.now()): NewClient {
  if (input.name.trim() === '') throw new InputError('a client needs a name', { field: 'name' });
  for (const uri of input.redirectUris ?? []) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new InputError(`redirect URI ${uri} is not a URL`, { field: 'redirectUris' });
    }
    if (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new InputError(`redirect URI ${uri} must use https (or loopback)`, { field: 'redirectUris' });
  }
  const clientId = input.clientId ?? `c-${randomBytes(9).toString('base64url')}`;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(clientId)) throw new InputError('client ids use letters, digits, . _ - (at most 64)', { field: 'clientId' });
  const secret = randomToken();
  store.addClient({ clientId, secretHash: tokenHash(secret), name: input.name.trim(), owner: input.owner ?? null, redirectUris: [...(input.redirectUris ?? [])], createdAt: now });
  return { clientId, clientSecret: new Secret(secret) };
}

/** Lists clients without secrets. */
export const listClients = (store: UmaStore): ClientInfo[] => store.listClients().map(show);

/** Removes a client (its PATs go with it). */
export function removeClient(store: UmaStore, clientId: string): void {
  if (!store.removeClient(clientId)) throw new NotFoundError(`no client ${clientId}`);
}

/** Adds a requesting party who can sign in at the claims interaction endpoint. */
export function addUser(store: UmaStore, input: { username: string; password: Secret; claims?: RequesterClaims }, now = Date.now()): void {
  if (!/^[A-Za-z0-9._@-]{1,128}$/.test(input.username)) throw new InputError('user names use letters, digits, . _ @ -', { field: 'username' });
  if (input.password.reveal().length < 8) throw new InputError('passwords need at least 8 characters', { field: 'password' });
  store.addUser({ username: input.username, passwordHash: hashPassword(input.password.reveal()), claims: input.claims ?? {}, createdAt: now });
}

/** Removes a user. */
export function removeUser(store: UmaStore, username: string): void {
  if (!store.removeUser(username)) throw new NotFoundError(`no user ${username}`);
}
