import type { AuthKeyRecord, UserRecord } from '../../model/records.js';
import type { MispJson } from '../../views/misp-json.js';
import { sqlDateTime } from './admin-options.js';

/** A user as MISP shows it; the password hash never leaves the server (`password` is "*****"). */
export function userJson(u: UserRecord): MispJson {
  return {
    id: String(u.id),
    password: '*****',
    org_id: String(u.org_id),
    server_id: '0',
    email: u.email,
    autoalert: u.autoalert,
    invited_by: String(u.invited_by),
    gpgkey: u.gpgkey,
    certif_public: u.certif_public,
    nids_sid: String(u.nids_sid),
    termsaccepted: u.termsaccepted,
    newsread: '0',
    role_id: String(u.role_id),
    change_pw: u.change_pw,
    contactalert: u.contactalert,
    disabled: u.disabled,
    expiration: u.expiration === null || u.expiration === 0 ? null : sqlDateTime(u.expiration),
    current_login: String(u.current_login),
    last_login: String(u.last_login),
    last_api_access: '0',
    force_logout: false,
    date_created: String(u.date_created),
    date_modified: String(u.date_modified),
    last_pw_change: String(u.date_modified),
    sub: null,
    external_auth_required: false,
    external_auth_key: '',
    notification_daily: false,
    notification_weekly: false,
    notification_monthly: false,
    totp: '*****',
    hotp_counter: null,
  };
}

/** An auth key as MISP shows it: the hash is never shown; `authkey_raw` only right after creation. */
export function authKeyJson(k: AuthKeyRecord, raw?: string): MispJson {
  const out: MispJson = {
    id: String(k.id),
    uuid: k.uuid,
    authkey_start: k.authkey_start,
    authkey_end: k.authkey_end,
    created: String(k.created),
    expiration: String(k.expiration),
    read_only: k.read_only,
    user_id: String(k.user_id),
    comment: k.comment,
    allowed_ips: k.allowed_ips === '' ? null : k.allowed_ips.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    unique_ips: [],
  };
  if (raw !== undefined) out.authkey_raw = raw;
  return out;
}
