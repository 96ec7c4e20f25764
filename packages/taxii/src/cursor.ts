import { createHash } from 'node:crypto';
import { InputError } from '@waggle/errors';

/*
 * The `next` token a server hands out: base64url of {position, scope}, plus a
 * checksum. The position is the data source's own marker; the scope binds the
 * token to the query it came from (collection, endpoint, filters) so that a token
 * replayed against another query is refused rather than silently misused. The
 * checksum catches edits and truncation. It is not a secret MAC: a forged
 * position can only move within results the source lets the caller read anyway.
 */

const VERSION = 1;
const FIELD = 'next';

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}

/** Encodes a paging position for the query identified by `scope` into an opaque `next` token. */
export function encodeTaxiiCursor(position: string, scope: string): string {
  const body = Buffer.from(JSON.stringify({ v: VERSION, p: position, s: digest(scope, 12) }), 'utf8').toString('base64url');
  return `${body}.${digest(body, 16)}`;
}

/**
 * Decodes a `next` token made by encodeTaxiiCursor for the same `scope` and
 * returns the position. Throws InputError (field `next`) for garbage, edited
 * tokens and tokens from another query.
 */
export function decodeTaxiiCursor(token: string, scope: string): string {
  const dot = token.indexOf('.');
  const body = dot === -1 ? '' : token.slice(0, dot);
  const sum = dot === -1 ? '' : token.slice(dot + 1);
  if (body === '' || !/^[A-Za-z0-9_-]+$/.test(body) || sum !== digest(body, 16)) {
    throw new InputError('next is not a paging token issued by this server (malformed or altered)', { field: FIELD });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('next is not a paging token issued by this server (malformed or altered)', { field: FIELD });
  }
  const rec = parsed as { v?: unknown; p?: unknown; s?: unknown } | null;
  if (rec === null || typeof rec !== 'object' || rec.v !== VERSION || typeof rec.p !== 'string' || typeof rec.s !== 'string') {
    throw new InputError('next is not a paging token issued by this server (unknown format)', { field: FIELD });
  }
  if (rec.s !== digest(scope, 12)) {
    throw new InputError('next belongs to a different query (collection, endpoint or filters changed); start again without next', { field: FIELD });
  }
  return rec.p;
}
