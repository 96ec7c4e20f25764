import { tlpMarkingForTag } from '../common/tlp.js';
import { stixTimestamp } from '../common/timestamps.js';
import type { StixObject } from '../common/stix-types.js';
import type { EventModel, OrgModel } from './event-model.js';

/** State shared while one event is exported: the objects made so far and what they refer to. */
export interface ExportContext {
  readonly event: EventModel;
  /** `identity--<orgc uuid>`, the `created_by_ref` of everything the event's creator wrote. */
  readonly creatorRef: string | undefined;
  readonly objects: StixObject[];
  readonly markings: Set<string>;
  readonly identities: Map<string, StixObject>;
  /** MISP uuid (raw, as sent, and normalised) → the STIX id that stands for the attribute or object. */
  readonly stixIdByMispUuid: Map<string, string>;
}

/** Creates the context of one export. */
export function createExportContext(event: EventModel): ExportContext {
  const context: ExportContext = {
    event,
    creatorRef: undefined,
    objects: [],
    markings: new Set(),
    identities: new Map(),
    stixIdByMispUuid: new Map(),
  };
  if (event.orgc === undefined) return context;
  return { ...context, creatorRef: identityRef(context, event.orgc) };
}

/** Adds the identity of `org` once and returns its id. */
export function identityRef(context: ExportContext, org: OrgModel): string {
  const id = `identity--${org.uuid}`;
  if (!context.identities.has(id)) {
    const time = stixTimestamp(context.event.timestamp);
    context.identities.set(id, { type: 'identity', spec_version: '2.1', id, created: time, modified: time, name: org.name, identity_class: 'organization' });
  }
  return id;
}

/** The properties every SDO/SRO of the event shares. */
export function baseProperties(context: ExportContext, type: string, uuid: string, time: Date | undefined, withCreator = true): Record<string, unknown> & { type: string; id: string } {
  const at = stixTimestamp(time ?? context.event.timestamp);
  return {
    type,
    spec_version: '2.1',
    id: `${type}--${uuid}`,
    ...(withCreator && context.creatorRef !== undefined ? { created_by_ref: context.creatorRef } : {}),
    created: at,
    modified: at,
  };
}

/**
 * Tags as STIX: `tlp:*` tags become the standard TLP markings, everything
 * else (taxonomies, galaxy tags, free tags) a label, after the `misp:` metadata labels.
 */
export function tagProperties(context: ExportContext, tags: readonly string[], metaLabels: readonly string[] = []): Record<string, unknown> {
  const labels = [...metaLabels];
  const markings: string[] = [];
  for (const tag of tags) {
    const tlp = tlpMarkingForTag(tag);
    if (tlp !== undefined && !markings.includes(tlp.markingId)) {
      markings.push(tlp.markingId);
      context.markings.add(tlp.markingId);
    }
    if ((tlp === undefined || tlp.keepAsLabel) && !labels.includes(tag)) labels.push(tag);
  }
  return { ...(labels.length > 0 ? { labels } : {}), ...(markings.length > 0 ? { object_marking_refs: markings } : {}) };
}

/** `x_misp_uuid` when MISP's uuid could not be used in the STIX id, so import can restore it. */
export function rawUuidProperty(rawUuid: string | undefined): Record<string, unknown> {
  return rawUuid === undefined ? {} : { x_misp_uuid: rawUuid };
}
