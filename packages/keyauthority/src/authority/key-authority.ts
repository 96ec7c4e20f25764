import { ForbiddenError, InputError } from '@waggle/errors';
import type { SecretKeyJson } from '@waggle/abe';
import { deriveAttributes, validateOrgAttributes, validateOrgName } from '../attributes/derive-attributes.js';
import type { VerifiedClaims } from '../claims/claims.js';
import { epochAt, epochBefore, parseEpoch, type Epoch, type EpochPeriod } from '../epoch/epoch.js';
import type { AuthorityStore, LogEntry, LogRecord, OrgRecord, Revocation } from '../store/authority-store.js';
import { keyIdOf, type IssuedKey } from './issued-key.js';

/** Dependencies of the key authority core. */
export interface KeyAuthorityDeps {
  readonly store: AuthorityStore;
  /** Derives a user key from the master secret (in-process or on a worker pool). */
  readonly keygen: (attributes: readonly string[]) => Promise<SecretKeyJson>;
  readonly now: () => Date;
  readonly epochPeriod: EpochPeriod;
  /** How many past epochs a requester may still ask a key for (to read older data). */
  readonly maxPastEpochs: number;
}

/** What a requester may put in a key request: only which (current or recent) epoch. */
export interface KeyRequest {
  readonly epoch?: string;
}

/** The key authority: issuance from verified claims, revocation, org attributes, the log. */
export interface KeyAuthority {
  currentEpoch(): Epoch;
  /** Validates a request body; anything but `epoch` (attributes above all) is refused. */
  parseRequest(body: unknown): KeyRequest;
  /** Issues a key, or throws `ForbiddenError`/`InputError`; both outcomes are logged. */
  issue(claims: VerifiedClaims, request: KeyRequest): Promise<IssuedKey>;
  /** Logs a refusal that happened before any identity was established. */
  refuse(reason: string, claims?: VerifiedClaims): LogEntry;
  setOrgAttributes(org: string, attributes: readonly string[]): OrgRecord;
  removeOrg(org: string): boolean;
  listOrgs(): OrgRecord[];
  revoke(kind: Revocation['kind'], value: string, reason?: string): Revocation;
  listRevocations(): Revocation[];
}

/** Builds the key authority core over its store and key generator. */
export function createKeyAuthority(deps: KeyAuthorityDeps): KeyAuthority {
  const { store, now, epochPeriod } = deps;
  const iso = (): string => now().toISOString();
  const log = (r: Omit<LogRecord, 'at'>): LogEntry => store.appendLog({ at: iso(), ...r });
  const refused = (reason: string, claims: VerifiedClaims | undefined, epoch: string | null = null): LogEntry =>
    log({ outcome: 'refused', sub: claims?.sub ?? null, org: claims?.org ?? null, attributes: [], keyId: null, epoch, expiresAt: null, reason });

  const pickEpoch = (current: Epoch, requested: string | undefined): Epoch => {
    if (requested === undefined) return current;
    const e = parseEpoch(epochPeriod, requested);
    if (e.startsAt > current.startsAt) throw new InputError(`epoch: ${requested} has not started; keys are issued for the current epoch ${current.label} or earlier`, { field: 'epoch' });
    const oldest = epochBefore(epochPeriod, current, deps.maxPastEpochs);
    if (e.startsAt < oldest.startsAt) throw new InputError(`epoch: ${requested} is older than ${oldest.label}, the oldest epoch this authority issues keys for`, { field: 'epoch' });
    return e;
  };

  return {
    currentEpoch: () => epochAt(epochPeriod, now()),

    parseRequest: (body) => {
      if (body === undefined || body === null || body === '') return {};
      if (typeof body !== 'object' || Array.isArray(body)) throw new InputError('key request: expected a JSON object', { field: 'body' });
      const extra = Object.keys(body).filter((k) => k !== 'epoch');
      if (extra.length > 0) {
        throw new InputError(`key request: ${extra.map((k) => JSON.stringify(k)).join(', ')} not accepted; attributes come only from verified claims and organisation settings`, { field: extra[0] ?? 'body' });
      }
      const { epoch } = body as { epoch?: unknown };
      if (epoch !== undefined && typeof epoch !== 'string') throw new InputError('epoch: must be a string', { field: 'epoch' });
      return epoch === undefined ? {} : { epoch };
    },

    issue: async (claims, request) => {
      const current = epochAt(epochPeriod, now());
      const sub = store.revoked('sub', claims.sub);
      const org = claims.org === undefined ? undefined : store.revoked('org', claims.org);
      const revocation = sub ?? org;
      if (revocation !== undefined) {
        const reason = `${revocation.kind === 'sub' ? 'subject' : 'organisation'} ${JSON.stringify(revocation.value)} was revoked at ${revocation.revokedAt}`;
        refused(reason, claims, current.label);
        throw new ForbiddenError(`key request refused: ${reason}`);
      }
      let epoch: Epoch;
      try {
        epoch = pickEpoch(current, request.epoch);
      } catch (error) {
        refused(error instanceof Error ? error.message : String(error), claims, current.label);
        throw error;
      }
      const orgAttributes = claims.org === undefined ? [] : store.orgAttributes(claims.org);
      const attributes = deriveAttributes(claims, orgAttributes, epoch.attribute);
      const key = await deps.keygen(attributes);
      const keyId = keyIdOf(key);
      const issuedAt = iso();
      const expiresAt = current.endsAt.toISOString();
      log({ outcome: 'issued', sub: claims.sub, org: claims.org ?? null, attributes, keyId, epoch: epoch.label, expiresAt, reason: null });
      return { ...key, issuance: { key_id: keyId, subject: claims.sub, org: claims.org ?? null, epoch: epoch.label, issued_at: issuedAt, expires_at: expiresAt } };
    },

    refuse: (reason, claims) => refused(reason, claims),

    setOrgAttributes: (org, attributes) => store.setOrgAttributes(validateOrgName(org), validateOrgAttributes(attributes), iso()),
    removeOrg: (org) => store.removeOrg(validateOrgName(org)),
    listOrgs: () => store.listOrgs(),
    revoke: (kind, value, reason) => {
      if (value === '' || value.length > 256) throw new InputError(`${kind}: 1 to 256 characters`, { field: kind });
      return store.revoke({ kind, value, revokedAt: iso(), reason: reason ?? null });
    },
    listRevocations: () => store.listRevocations(),
  };
}
