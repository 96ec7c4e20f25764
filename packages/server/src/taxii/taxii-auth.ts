import type { FastifyRequest } from 'fastify';
import { TaxiiProtocolError } from './taxii-errors.js';

/**
 * Brings TAXII credentials into the form the rest of the server authenticates:
 * the raw API key in `Authorization`. TAXII clients mostly speak HTTP Basic, so
 * `Basic base64(user:key)` becomes `key` (the user name is ignored); a raw key
 * (`Authorization: <key>`) or `X-MISP-Auth` passes unchanged. The header is
 * replaced through Fastify's request-header override, so `ctx.principal` reads
 * the key without knowing about TAXII. No credentials at all → 401.
 */
export function normaliseTaxiiAuthorization(request: FastifyRequest): void {
  const raw = first(request.headers.authorization);
  if (raw === undefined || raw.trim() === '') {
    if (first(request.headers['x-misp-auth']) !== undefined) return;
    throw new TaxiiProtocolError('unauthenticated', 'Credentials are required: HTTP Basic with the API key as password, or the API key in Authorization');
  }
  const m = /^basic\s+(\S+)\s*$/i.exec(raw);
  if (m === null) return;
  const key = basicPassword(m[1] as string);
  if (key === undefined) throw new TaxiiProtocolError('unauthenticated', 'Malformed HTTP Basic credentials');
  request.headers = { ...request.headers, authorization: key };
}

function basicPassword(encoded: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  const password = decoded.slice(colon + 1);
  return password === '' ? undefined : password;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
