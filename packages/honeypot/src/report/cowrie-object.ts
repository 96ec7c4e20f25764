import type { MispAttributePayload, MispObjectPayload } from './misp-payload.js';
import type { SessionSummary } from './session-summary.js';
import { stableUuid } from './stable-uuid.js';

/** MISP attribute type of each `cowrie` template relation (packages/misp/data/objects/cowrie, version 3). */
export const COWRIE_RELATION_TYPES: Readonly<Record<string, string>> = {
  compCS: 'text',
  dst_ip: 'ip-dst',
  dst_port: 'port',
  encCS: 'text',
  eventid: 'text',
  hassh: 'hassh-md5',
  input: 'text',
  isError: 'text',
  keyAlgs: 'text',
  macCS: 'text',
  message: 'text',
  password: 'text',
  protocol: 'text',
  sensor: 'text',
  session: 'text',
  src_ip: 'ip-src',
  src_port: 'port',
  system: 'text',
  timestamp: 'datetime',
  username: 'text',
};

const COWRIE_TEMPLATE = { uuid: 'ae085d32-6534-4d52-b3eb-063fccb753e7', version: '3' };

/** The most telling event of a session, used for the object's `eventid`/`message` like Cowrie's own MISP output. */
function headline(s: SessionSummary): { eventid: string; message: string; username?: string } {
  const ok = s.logins.find((l) => l.success);
  if (ok !== undefined) return { eventid: 'cowrie.login.success', message: `login attempt [${ok.username}/${ok.password}] succeeded`, username: ok.username };
  const last = s.logins.at(-1);
  // An exploit says more than the failed logins that may precede it (libssh scanners try both).
  if (s.cves.length > 0) {
    const eventid = s.protocol === 'ssh' ? 'waggle.ssh.exploit' : 'waggle.http.exploit';
    return { eventid, message: `Exploit attempt ${s.cves.join(', ')}`, ...(last === undefined ? {} : { username: last.username }) };
  }
  if (last !== undefined) return { eventid: 'cowrie.login.failed', message: `login attempt [${last.username}/${last.password}] failed (${String(s.logins.length)} attempts)`, username: last.username };
  return { eventid: 'cowrie.session.connect', message: `New connection: ${s.src_ip}:${String(s.src_port)} (${s.dst_ip}:${String(s.dst_port)}) [session: ${s.session}]` };
}

/**
 * Maps one session to a MISP `cowrie` object: each relation carries the Cowrie
 * field of the same name (as Cowrie's MISP output does), `timestamp` is the
 * session start without the trailing `Z`, `password` lists the passwords tried
 * with `username`, and `input` the commands, one per line.
 */
export function cowrieObject(s: SessionSummary): MispObjectPayload {
  const uuid = stableUuid('cowrie-object', s.sensor, s.session);
  const attrs: MispAttributePayload[] = [];
  const add = (relation: string, value: string | number | undefined): void => {
    if (value === undefined || value === '') return;
    const type = COWRIE_RELATION_TYPES[relation] as string;
    const v = String(value);
    attrs.push({ uuid: stableUuid(uuid, relation, v), object_relation: relation, type, value: v, ...(relation === 'src_ip' ? { to_ids: true } : { to_ids: false }) });
  };
  const h = headline(s);
  add('session', s.session);
  add('eventid', h.eventid);
  add('message', h.message);
  add('timestamp', s.start.replace(/Z$/, ''));
  add('sensor', s.sensor);
  add('protocol', s.protocol);
  add('src_ip', s.src_ip);
  add('src_port', s.src_port || undefined);
  add('dst_ip', s.dst_ip);
  add('dst_port', s.dst_port || undefined);
  if (h.username !== undefined) {
    add('username', h.username);
    for (const p of new Set(s.logins.filter((l) => l.username === h.username).map((l) => l.password))) add('password', p);
  }
  if (s.commands.length > 0) add('input', s.commands.join('\n'));
  add('hassh', s.hassh);
  if (s.kex !== undefined) {
    for (const [relation, list] of [['keyAlgs', s.kex.keyAlgs], ['encCS', s.kex.encCS], ['macCS', s.kex.macCS], ['compCS', s.kex.compCS]] as const) for (const v of new Set(list)) add(relation, v);
  }
  return {
    uuid,
    name: 'cowrie',
    'meta-category': 'network',
    template_uuid: COWRIE_TEMPLATE.uuid,
    template_version: COWRIE_TEMPLATE.version,
    description: 'Cowrie honeypot object template',
    comment: `${s.protocol} session ${s.session} on ${s.sensor}`,
    Attribute: attrs,
  };
}
