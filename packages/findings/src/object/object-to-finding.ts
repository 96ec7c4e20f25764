import { InputError } from '@waggle/errors';
import type { Finding } from '../finding.js';
import { parseAttackTypeRecord } from '../record/attack-type-record.js';
import type { MispObjectAttributeJson } from './misp-object-json.js';
import { SECURITY_EVENT } from './security-event-template.js';
import { FINDING_PROTOCOLS } from './validate-finding.js';

/** A finding read from an object, with the ids needed to edit that object on a server. */
export interface FindingObject {
  readonly finding: Finding;
  readonly objectUuid?: string;
  readonly objectId?: string;
  readonly eventId?: string;
  /** The live (not deleted) attributes of each relation, in object order. */
  readonly attributes: ReadonlyMap<string, readonly MispObjectAttributeJson[]>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTrue = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';
const optString = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

function attributeOf(raw: unknown, i: number): MispObjectAttributeJson {
  if (!isObject(raw)) throw new InputError(`Object.Attribute[${String(i)}] must be an object`, { field: `Attribute[${String(i)}]` });
  const relation = raw.object_relation;
  const value = raw.value;
  if (typeof relation !== 'string' || relation === '') throw new InputError(`Object.Attribute[${String(i)}].object_relation is missing`, { field: `Attribute[${String(i)}].object_relation` });
  if (typeof value !== 'string' && typeof value !== 'number') throw new InputError(`Object.Attribute[${String(i)}].value is missing`, { field: `Attribute[${String(i)}].value` });
  const id = optString(raw.id);
  const uuid = optString(raw.uuid);
  const data = optString(raw.data);
  return { object_relation: relation, type: String(raw.type ?? ''), value: String(value), ...(id === undefined ? {} : { id }), ...(uuid === undefined ? {} : { uuid }), ...(data === undefined ? {} : { data }), ...(isTrue(raw.deleted) ? { deleted: true } : {}) };
}

function isoTime(value: string | undefined, field: string): string {
  const ms = value === undefined ? Number.NaN : Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (!Number.isFinite(ms)) throw new InputError(`security-event ${field} is missing or not a time (got ${JSON.stringify(value)})`, { field });
  return new Date(ms).toISOString();
}

function portOf(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new InputError(`security-event ${field} is not a port (got ${JSON.stringify(value)})`, { field });
  return n;
}

/**
 * Reads a MISP `security-event` object (bare, or wrapped as `{"Object": …}`)
 * into a finding, ignoring deleted attributes. Times come back as ISO 8601 in
 * UTC with milliseconds; several `dst-port` values give `dstPort` (the first)
 * and `dstPorts` (all). Throws `InputError` naming the relation when the object
 * is not a security-event or lacks src-ip, dst-ip, protocol, first-seen,
 * last-seen, flow-count or attack-type.
 */
export function readFindingObject(raw: unknown): FindingObject {
  const obj = isObject(raw) && isObject(raw.Object) ? raw.Object : raw;
  if (!isObject(obj)) throw new InputError('a security-event object must be a JSON object', { field: 'Object' });
  if (obj.name !== SECURITY_EVENT) throw new InputError(`object is a ${JSON.stringify(obj.name)}, not a ${SECURITY_EVENT}`, { field: 'Object.name' });
  if (!Array.isArray(obj.Attribute)) throw new InputError('security-event object has no Attribute list', { field: 'Object.Attribute' });
  const attributes = new Map<string, MispObjectAttributeJson[]>();
  obj.Attribute.forEach((a, i) => {
    const attr = attributeOf(a, i);
    if (attr.deleted === true) return;
    const list = attributes.get(attr.object_relation) ?? [];
    list.push(attr);
    attributes.set(attr.object_relation, list);
  });
  const one = (relation: string): string | undefined => attributes.get(relation)?.[0]?.value;
  const required = (relation: string): string => {
    const v = one(relation);
    if (v === undefined || v.trim() === '') throw new InputError(`security-event object lacks ${relation}`, { field: relation });
    return v;
  };
  const protocol = required('protocol') as Finding['protocol'];
  if (!FINDING_PROTOCOLS.includes(protocol)) throw new InputError(`security-event protocol ${JSON.stringify(protocol)} is not one of ${FINDING_PROTOCOLS.join(', ')}`, { field: 'protocol' });
  const count = Number(required('flow-count'));
  if (!Number.isSafeInteger(count) || count < 1) throw new InputError(`security-event flow-count is not a positive integer (got ${JSON.stringify(one('flow-count'))})`, { field: 'flow-count' });
  const ports = (attributes.get('dst-port') ?? []).map((a) => portOf(a.value, 'dst-port'));
  const srcPort = one('src-port');
  const signature = one('signature');
  const signatureId = one('signature-id');
  const verified = one('verified');
  const pcap = attributes.get('pcap')?.find((a) => a.data !== undefined && a.data !== '');
  const finding: Finding = {
    srcIp: required('src-ip'),
    ...(srcPort === undefined ? {} : { srcPort: portOf(srcPort, 'src-port') }),
    dstIp: required('dst-ip'),
    ...(ports.length === 0 ? {} : { dstPort: ports[0] as number }),
    ...(ports.length > 1 ? { dstPorts: ports } : {}),
    protocol,
    firstSeen: isoTime(one('first-seen') ?? optString(obj.first_seen), 'first-seen'),
    lastSeen: isoTime(one('last-seen') ?? optString(obj.last_seen), 'last-seen'),
    ...(signature === undefined ? {} : { signature }),
    ...(signatureId === undefined ? {} : { signatureId }),
    count,
    attackType: parseAttackTypeRecord(required('attack-type')),
    ...(verified === undefined ? {} : { verified: isTrue(verified) }),
    ...(pcap === undefined ? {} : { pcap: { filename: pcap.value, base64: pcap.data as string } }),
  };
  const objectUuid = optString(obj.uuid);
  const objectId = optString(obj.id);
  const eventId = optString(obj.event_id);
  return { finding, attributes, ...(objectUuid === undefined ? {} : { objectUuid }), ...(objectId === undefined ? {} : { objectId }), ...(eventId === undefined ? {} : { eventId }) };
}

/** Reads a `security-event` object into a finding; see {@link readFindingObject}. */
export function objectToFinding(raw: unknown): Finding {
  return readFindingObject(raw).finding;
}
