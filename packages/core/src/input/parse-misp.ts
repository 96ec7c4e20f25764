import { InputError } from '@waggle/errors';
import type { Distribution } from '../model/records.js';
import { attachmentData, carriesData } from './attachment-data.js';
import { asList, asObject, compact, optBool, optDate, optInt, optString, optTimestamp, optUuid, reqString } from './coerce.js';
import type { AttributeInput, EventInput, EventReportInput, ObjectInput, OrgInput, ReferenceInput, TagInput } from './inputs.js';
import { encryptMalwareSample } from './malware-sample.js';

/** Unwraps `{"Event": {...}}` (or any single named wrapper) into its body. */
export function unwrap(body: unknown, key: string): Record<string, unknown> {
  const o = asObject(body, key);
  const inner = o[key];
  return inner !== undefined && typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : o;
}

function distribution(value: unknown, field: string, allowInherit: boolean): Distribution | undefined {
  const d = optInt(value, field, 0, allowInherit ? 5 : 4);
  return d as Distribution | undefined;
}

function seen(value: unknown, field: string): string | null | undefined {
  if (value === null) return null;
  const s = optString(value, field);
  if (s === undefined || s === '') return undefined;
  const t = /^[0-9]+(\.[0-9]+)?$/.test(s) ? Number(s) * 1000 : Date.parse(s);
  if (Number.isNaN(t)) throw new InputError(`${field} must be an ISO 8601 date-time`, { field });
  // MISP keeps microseconds; millisecond precision is what JavaScript dates hold.
  return new Date(t).toISOString().replace('Z', '+00:00');
}

/** Parses one tag (`{"name": …}` or a bare string). */
export function parseTag(raw: unknown, field: string): TagInput {
  if (typeof raw === 'string') return { name: reqString(raw, field, 255) };
  const o = asObject(raw, field);
  const t = o.Tag !== undefined ? asObject(o.Tag, `${field}.Tag`) : o;
  return compact({
    name: reqString(t.name, `${field}.name`, 255),
    colour: optString(t.colour, `${field}.colour`, 7),
    local: optBool(t.local ?? o.local, `${field}.local`),
    exportable: optBool(t.exportable, `${field}.exportable`),
    deleted: optBool(t.deleted ?? o.deleted, `${field}.deleted`),
  });
}

function parseTags(raw: unknown, field: string): TagInput[] {
  return asList(raw, field).map((t, i) => parseTag(t, `${field}[${i}]`));
}

/** Parses one attribute in MISP JSON. */
export function parseAttribute(raw: unknown, field = 'Attribute'): AttributeInput {
  const o = asObject(raw, field);
  const type = reqString(o.type, `${field}.type`, 100);
  const value = o.value === undefined || o.value === null ? '' : typeof o.value === 'number' ? String(o.value) : o.value;
  if (typeof value !== 'string') throw new InputError(`${field}.value must be a string`, { field: `${field}.value` });
  if (value.length > 131_072) throw new InputError(`${field}.value is too long`, { field: `${field}.value` });
  if (o.data !== undefined && o.data !== null && typeof o.data !== 'string' && carriesData(type)) {
    throw new InputError(`${field}.data must be a base64 string`, { field: `${field}.data` });
  }
  // MISP's capture of a new sample sent with "encrypt": the file name becomes `<name>|<md5>`, the
  // content the password-protected archive MISP stores (malware-sample.ts).
  const sample = type === 'malware-sample' && optBool(o.encrypt, `${field}.encrypt`) === true && !value.includes('|')
    ? attachmentData(type, o.data, field)
    : undefined;
  const encrypted = sample === undefined ? undefined : encryptMalwareSample(value, sample, new Date());
  return compact({
    uuid: optUuid(o.uuid, `${field}.uuid`),
    type,
    category: optString(o.category, `${field}.category`, 255) || undefined,
    value: encrypted?.value ?? value,
    to_ids: optBool(o.to_ids, `${field}.to_ids`),
    distribution: distribution(o.distribution, `${field}.distribution`, true),
    sharing_group_id: optInt(o.sharing_group_id, `${field}.sharing_group_id`, 0),
    comment: optString(o.comment, `${field}.comment`),
    timestamp: optTimestamp(o.timestamp, `${field}.timestamp`),
    deleted: optBool(o.deleted, `${field}.deleted`),
    disable_correlation: optBool(o.disable_correlation, `${field}.disable_correlation`),
    first_seen: seen(o.first_seen, `${field}.first_seen`),
    last_seen: seen(o.last_seen, `${field}.last_seen`),
    object_relation: optString(o.object_relation, `${field}.object_relation`, 255) || undefined,
    data: encrypted?.data ?? (typeof o.data === 'string' && o.data !== '' ? o.data : undefined),
    tags: parseTags(o.Tag, `${field}.Tag`),
  }) as AttributeInput;
}

/**
 * The fields an edit sends (attributes/edit, shadow_attributes/edit): edits may leave out
 * type and value, so the body is checked with placeholders for them and only the fields it
 * names are kept. `tags` is returned apart (what the body's `Tag` parses to, `[]` without one).
 */
export function parseAttributeEdit(inner: Record<string, unknown>, field: string): { patch: Partial<AttributeInput>; tags: AttributeInput['tags'] } {
  const parsed = parseAttribute({ type: 'text', value: 'x', ...inner }, field);
  const patch: Partial<AttributeInput> = {};
  for (const k of Object.keys(parsed) as (keyof AttributeInput)[]) {
    if (k !== 'tags' && k in inner) (patch as Record<string, unknown>)[k] = parsed[k];
  }
  return { patch, tags: parsed.tags };
}

function parseReference(raw: unknown, field: string): ReferenceInput {
  const o = asObject(raw, field);
  const referenced = optUuid(o.referenced_uuid, `${field}.referenced_uuid`);
  if (referenced === undefined) throw new InputError(`${field}.referenced_uuid is required`, { field: `${field}.referenced_uuid` });
  return compact({
    uuid: optUuid(o.uuid, `${field}.uuid`),
    referenced_uuid: referenced,
    relationship_type: reqString(o.relationship_type, `${field}.relationship_type`, 255),
    comment: optString(o.comment, `${field}.comment`),
    timestamp: optTimestamp(o.timestamp, `${field}.timestamp`),
    deleted: optBool(o.deleted, `${field}.deleted`),
  });
}

/** Parses one object in MISP JSON, with its attributes and references. */
export function parseObject(raw: unknown, field = 'Object'): ObjectInput {
  const o = asObject(raw, field);
  return compact({
    uuid: optUuid(o.uuid, `${field}.uuid`),
    name: reqString(o.name, `${field}.name`, 255),
    meta_category: optString(o['meta-category'] ?? o.meta_category, `${field}.meta-category`, 255),
    description: optString(o.description, `${field}.description`),
    template_uuid: optUuid(o.template_uuid, `${field}.template_uuid`),
    template_version: optString(o.template_version, `${field}.template_version`, 20),
    distribution: distribution(o.distribution, `${field}.distribution`, true),
    sharing_group_id: optInt(o.sharing_group_id, `${field}.sharing_group_id`, 0),
    comment: optString(o.comment, `${field}.comment`),
    timestamp: optTimestamp(o.timestamp, `${field}.timestamp`),
    deleted: optBool(o.deleted, `${field}.deleted`),
    first_seen: seen(o.first_seen, `${field}.first_seen`),
    last_seen: seen(o.last_seen, `${field}.last_seen`),
    attributes: asList(o.Attribute, `${field}.Attribute`).map((a, i) => parseAttribute(a, `${field}.Attribute[${i}]`)),
    references: asList(o.ObjectReference, `${field}.ObjectReference`).map((r, i) => parseReference(r, `${field}.ObjectReference[${i}]`)),
  }) as ObjectInput;
}

/** An event report's content may be long (MISP keeps it in a LONGTEXT); 8 MiB is plenty for Markdown. */
const MAX_REPORT_CONTENT = 8 * 1024 * 1024;

/** Parses one event report in MISP JSON (`{"EventReport": …}` or bare); `name` is checked by the caller that creates one. */
export function parseEventReport(raw: unknown, field = 'EventReport'): EventReportInput {
  const o = unwrap(raw, 'EventReport');
  const name = optString(o.name, `${field}.name`, 255);
  if (name !== undefined && name.trim() === '') throw new InputError(`${field}.name must not be empty`, { field: `${field}.name` });
  const content = o.content === null ? '' : optString(o.content, `${field}.content`, MAX_REPORT_CONTENT);
  return compact({
    uuid: optUuid(o.uuid, `${field}.uuid`),
    name: name?.trim(),
    content,
    distribution: distribution(o.distribution, `${field}.distribution`, true),
    sharing_group_id: optInt(o.sharing_group_id, `${field}.sharing_group_id`, 0),
    timestamp: optTimestamp(o.timestamp, `${field}.timestamp`),
    deleted: optBool(o.deleted, `${field}.deleted`),
  });
}

function parseOrg(raw: unknown, field: string): OrgInput | undefined {
  if (raw === undefined || raw === null) return undefined;
  const o = asObject(raw, field);
  return compact({ uuid: optUuid(o.uuid, `${field}.uuid`), name: optString(o.name, `${field}.name`, 255) });
}

/** Parses an event in MISP JSON (wrapped in `{"Event": …}` or bare). */
export function parseEvent(body: unknown): EventInput {
  const o = unwrap(body, 'Event');
  const f = 'Event';
  return compact({
    uuid: optUuid(o.uuid, `${f}.uuid`),
    info: optString(o.info, `${f}.info`),
    date: optDate(o.date, `${f}.date`),
    threat_level_id: optInt(o.threat_level_id, `${f}.threat_level_id`, 1, 4),
    analysis: optInt(o.analysis, `${f}.analysis`, 0, 2),
    distribution: distribution(o.distribution, `${f}.distribution`, false),
    sharing_group_id: optInt(o.sharing_group_id, `${f}.sharing_group_id`, 0),
    published: optBool(o.published, `${f}.published`),
    timestamp: optTimestamp(o.timestamp, `${f}.timestamp`),
    publish_timestamp: optTimestamp(o.publish_timestamp, `${f}.publish_timestamp`),
    extends_uuid: optUuid(o.extends_uuid, `${f}.extends_uuid`),
    disable_correlation: optBool(o.disable_correlation, `${f}.disable_correlation`),
    orgc: parseOrg(o.Orgc, `${f}.Orgc`),
    attributes: asList(o.Attribute, `${f}.Attribute`).map((a, i) => parseAttribute(a, `${f}.Attribute[${i}]`)),
    objects: asList(o.Object, `${f}.Object`).map((x, i) => parseObject(x, `${f}.Object[${i}]`)),
    tags: [...parseTags(o.Tag, `${f}.Tag`), ...asList(o.EventTag, `${f}.EventTag`).map((t, i) => parseTag(t, `${f}.EventTag[${i}]`))],
    reports: asList(o.EventReport, `${f}.EventReport`).map((r, i) => {
      const report = parseEventReport(r, `${f}.EventReport[${i}]`);
      if (report.name === undefined) throw new InputError(`${f}.EventReport[${i}].name is required`, { field: `${f}.EventReport[${i}].name` });
      return report;
    }),
  }) as EventInput;
}
