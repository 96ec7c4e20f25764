import { InputError } from '@waggle/errors';
import { optBool, optInt, optString, optTimestamp } from '../../input/coerce.js';
import { unwrap } from '../../input/parse-misp.js';

/** A user as given by a client (every field optional; `add` requires an e-mail address). */
export interface UserInput {
  readonly email?: string;
  readonly org_id?: number;
  readonly role_id?: number;
  readonly password?: string;
  readonly disabled?: boolean;
  readonly autoalert?: boolean;
  readonly contactalert?: boolean;
  readonly termsaccepted?: boolean;
  readonly change_pw?: boolean;
  readonly nids_sid?: number;
  readonly gpgkey?: string;
  readonly certif_public?: string;
  /** Unix time; null removes the expiry. */
  readonly expiration?: number | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Parses `{"User": {...}}` or a bare user; read-only keys (id, authkey, date_created…) are ignored. */
export function parseUserInput(body: unknown): UserInput {
  const u = unwrap(body ?? {}, 'User');
  const email = optString(u.email, 'User.email', 255)?.trim();
  if (email !== undefined && !EMAIL.test(email)) throw new InputError('User.email must be an e-mail address', { field: 'User.email' });
  const password = optString(u.password, 'User.password', 1024);
  const out: Record<string, unknown> = {
    email,
    org_id: optInt(u.org_id, 'User.org_id', 1),
    role_id: optInt(u.role_id, 'User.role_id', 1),
    // "*****" is how the password is shown; a client sending it back changes nothing.
    password: password === undefined || /^\*+$/.test(password) || password === '' ? undefined : password,
    disabled: optBool(u.disabled, 'User.disabled'),
    autoalert: optBool(u.autoalert, 'User.autoalert'),
    contactalert: optBool(u.contactalert, 'User.contactalert'),
    termsaccepted: optBool(u.termsaccepted, 'User.termsaccepted'),
    change_pw: optBool(u.change_pw, 'User.change_pw'),
    nids_sid: optInt(u.nids_sid, 'User.nids_sid', 0),
    gpgkey: optString(u.gpgkey, 'User.gpgkey'),
    certif_public: optString(u.certif_public, 'User.certif_public'),
    expiration: u.expiration === null ? null : optTimestamp(u.expiration, 'User.expiration'),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as UserInput;
}
