/** An organisation's administrator-set attributes. */
export interface OrgRecord {
  readonly org: string;
  readonly attributes: readonly string[];
  readonly updatedAt: string;
}

/** A revoked subject (`sub` claim) or organisation (`org` claim). */
export interface Revocation {
  readonly kind: 'sub' | 'org';
  readonly value: string;
  readonly revokedAt: string;
  readonly reason: string | null;
}

/** What one issuance-log row records (never the key itself: `keyId` is its SHA-256). */
export interface LogRecord {
  readonly at: string;
  readonly outcome: 'issued' | 'refused';
  readonly sub: string | null;
  readonly org: string | null;
  readonly attributes: readonly string[];
  readonly keyId: string | null;
  readonly epoch: string | null;
  readonly expiresAt: string | null;
  readonly reason: string | null;
}

/** A stored log row: its position and its link in the hash chain. */
export interface LogEntry extends LogRecord {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * Port: the key authority's own store (organisation attributes, revocations, the
 * hash-chained issuance log, settings). The SQLite adapter is in `sqlite-authority-store.ts`.
 */
export interface AuthorityStore {
  orgAttributes(org: string): readonly string[];
  setOrgAttributes(org: string, attributes: readonly string[], at: string): OrgRecord;
  /** True when the organisation had attributes. */
  removeOrg(org: string): boolean;
  listOrgs(): OrgRecord[];
  /** Records a revocation; revoking twice keeps the first record and returns it. */
  revoke(revocation: Revocation): Revocation;
  revoked(kind: Revocation['kind'], value: string): Revocation | undefined;
  listRevocations(): Revocation[];
  /** Appends a row, chaining it to the previous one, atomically. */
  appendLog(record: LogRecord): LogEntry;
  /** Rows in order, from `fromSeq` (default 1), at most `limit`. */
  readLog(options?: { fromSeq?: number; limit?: number }): LogEntry[];
  setting(name: string): string | undefined;
  setSetting(name: string, value: string): void;
  close(): void;
}
