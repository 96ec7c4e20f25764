import { isAllowedIpEntry } from '../../access/allowed-ips.js';
import { InputError } from '@waggle/errors';
import { optBool, optString, optTimestamp } from '../../input/coerce.js';
import { unwrap } from '../../input/parse-misp.js';

/** An auth key's settings as given by a client. */
export interface AuthKeyInput {
  readonly comment?: string;
  /** Unix time; 0 = never expires. */
  readonly expiration?: number;
  readonly read_only?: boolean;
  /** Addresses the key may be used from; empty = anywhere. */
  readonly allowed_ips?: readonly string[];
}

function ips(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value.map((v, i) => optString(v, `AuthKey.allowed_ips[${i}]`) ?? '') : (optString(value, 'AuthKey.allowed_ips') ?? '').split(/[\s,]+/);
  const out = list.map((s) => s.trim()).filter((s) => s !== '');
  // Addresses or CIDR blocks, as MISP takes them.
  const bad = out.find((ip) => !isAllowedIpEntry(ip));
  if (bad !== undefined) throw new InputError(`AuthKey.allowed_ips: "${bad}" is not an IP address or CIDR block`, { field: 'AuthKey.allowed_ips' });
  return out;
}

/** Parses `{"AuthKey": {...}}` or a bare key body ({} is fine). */
export function parseAuthKeyInput(body: unknown): AuthKeyInput {
  const k = unwrap(body ?? {}, 'AuthKey');
  const out: Record<string, unknown> = {
    comment: optString(k.comment, 'AuthKey.comment'),
    expiration: k.expiration === '' || k.expiration === null ? 0 : optTimestamp(k.expiration, 'AuthKey.expiration'),
    read_only: optBool(k.read_only, 'AuthKey.read_only'),
    allowed_ips: ips(k.allowed_ips),
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out as AuthKeyInput;
}
