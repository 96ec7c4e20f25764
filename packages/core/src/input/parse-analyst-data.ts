import { InputError } from '@waggle/errors';
import type { AnalystKind, Distribution } from '../model/records.js';
import { compact, optBool, optInt, optString, optUuid } from './coerce.js';
import { unwrap } from './parse-misp.js';

/** The analyst data kinds, as MISP names them in URLs and JSON. */
export const ANALYST_KINDS: readonly AnalystKind[] = ['Note', 'Opinion', 'Relationship'];

/** Element types analyst data can be attached to here (MISP also names galaxies, organisations and sharing groups). */
export const ANALYST_TARGETS: readonly string[] = ['Event', 'Attribute', 'Object', 'EventReport', 'Note', 'Opinion', 'Relationship'];

/** Types a relationship may point at: MISP's list of targets (the related element is not looked up). */
export const RELATED_TARGETS: readonly string[] = [...ANALYST_TARGETS, 'GalaxyCluster', 'Galaxy', 'Organisation', 'SharingGroup'];

/** Analyst data as given by a client; which fields count depends on the kind. */
export interface AnalystDataInput {
  readonly uuid?: string;
  readonly object_uuid?: string;
  readonly object_type?: string;
  readonly authors?: string;
  readonly orgc_uuid?: string;
  readonly distribution?: Distribution;
  readonly sharing_group_id?: number;
  readonly locked?: boolean;
  readonly language?: string;
  readonly note?: string;
  readonly opinion?: number;
  readonly comment?: string;
  readonly related_object_uuid?: string;
  readonly related_object_type?: string;
  readonly relationship_type?: string;
}

/** The kind named in a URL (`Note`, `Opinion`, `Relationship`; MISP is case-sensitive, so are we). */
export function analystKind(raw: string | undefined): AnalystKind {
  if (raw !== undefined && (ANALYST_KINDS as readonly string[]).includes(raw)) return raw as AnalystKind;
  throw new InputError(`Invalid type: analyst data is one of ${ANALYST_KINDS.join(', ')}`, { field: 'type' });
}

/** A type among those allowed, or an error naming the field. */
function optType(value: unknown, field: string, allowed: readonly string[]): string | undefined {
  const s = optString(value, field, 32)?.trim();
  if (s === undefined || s === '') return undefined;
  if (!allowed.includes(s)) throw new InputError(`${field} must be one of ${allowed.join(', ')}`, { field });
  return s;
}

/** Texts of analyst data may be long (MISP keeps them in TEXT/MEDIUMTEXT); 1 MiB is plenty. */
const MAX_TEXT = 1024 * 1024;

/**
 * Parses analyst data of one kind in MISP JSON (`{"Note": …}` or bare). Required fields are
 * checked by the caller that creates one; what does not belong to the kind is ignored.
 */
export function parseAnalystData(kind: AnalystKind, raw: unknown): AnalystDataInput {
  const o = unwrap(raw ?? {}, kind);
  const f = (name: string): string => `${kind}.${name}`;
  const note = kind === 'Note' ? optString(o.note, f('note'), MAX_TEXT) : undefined;
  if (note !== undefined && note.trim() === '') throw new InputError(`${f('note')} must not be empty`, { field: f('note') });
  return compact({
    uuid: optUuid(o.uuid, f('uuid')),
    object_uuid: optUuid(o.object_uuid, f('object_uuid')),
    object_type: optType(o.object_type, f('object_type'), ANALYST_TARGETS),
    authors: optString(o.authors, f('authors'), 65_535),
    orgc_uuid: optUuid(o.orgc_uuid, f('orgc_uuid')),
    distribution: optInt(o.distribution, f('distribution'), 0, 5) as Distribution | undefined,
    sharing_group_id: optInt(o.sharing_group_id, f('sharing_group_id'), 0),
    locked: optBool(o.locked, f('locked')),
    language: optString(o.language, f('language'), 16),
    note,
    opinion: kind === 'Opinion' ? optInt(o.opinion, f('opinion'), 0, 100) : undefined,
    comment: kind === 'Opinion' ? optString(o.comment, f('comment'), MAX_TEXT) : undefined,
    related_object_uuid: kind === 'Relationship' ? optUuid(o.related_object_uuid, f('related_object_uuid')) : undefined,
    related_object_type: kind === 'Relationship' ? optType(o.related_object_type, f('related_object_type'), RELATED_TARGETS) : undefined,
    relationship_type: kind === 'Relationship' ? optString(o.relationship_type, f('relationship_type'), 255) : undefined,
  });
}
