import type { MispEvent } from '../common/misp-event.js';
import type { StixObject } from '../common/stix-types.js';
import { readStixTime } from '../common/timestamps.js';
import { assembleEvent, orphanHeader, reportHeader } from './assemble-event.js';
import { CONTENT_TYPES } from './content-to-misp.js';
import { GALAXY_TYPES } from './galaxy-to-misp.js';
import { isEventReportNote } from './note-to-report.js';
import { validateBundle } from './validate-bundle.js';
import type { StixImportWarning } from './warnings.js';

/** Options of the STIX → MISP import. */
export interface StixToEventsOptions {
  /** `info` of the event that collects objects no report refers to (default `STIX bundle <bundle id>`). */
  readonly orphanEventInfo?: string;
}

/** Events made from a bundle, and what could not be imported exactly. */
export interface StixToEventsResult {
  readonly events: MispEvent[];
  readonly warnings: StixImportWarning[];
}

// STIX versioning: several objects may share an id; the latest `modified` is the current one.
function latestVersions(objects: readonly StixObject[]): Map<string, StixObject> {
  const index = new Map<string, StixObject>();
  for (const o of objects) {
    const seen = index.get(o.id);
    const newer = seen === undefined || (readStixTime(o.modified)?.getTime() ?? 0) >= (readStixTime(seen.modified)?.getTime() ?? 0);
    if (newer) index.set(o.id, o);
  }
  return index;
}

function linksInto(o: StixObject, ids: ReadonlySet<string>): boolean {
  if (o.type === 'relationship') return typeof o.source_ref === 'string' && ids.has(o.source_ref);
  if (o.type === 'sighting') return typeof o.sighting_of_ref === 'string' && ids.has(o.sighting_of_ref);
  if (o.type === 'opinion') return Array.isArray(o.object_refs) && o.object_refs.some((r) => typeof r === 'string' && ids.has(r));
  return false;
}

// An event-report note that refers to the report belongs to it even when the report does not list it.
function reportNoteOf(o: StixObject, reportId: string): boolean {
  return isEventReportNote(o) && Array.isArray(o.object_refs) && o.object_refs.includes(reportId);
}

const isImportable = (o: StixObject): boolean =>
  CONTENT_TYPES.has(o.type) || GALAXY_TYPES.has(o.type) || o.type === 'relationship' || o.type === 'sighting' || o.type === 'opinion' || isEventReportNote(o);

/**
 * A STIX 2.1 bundle as MISP events in the JSON shape `events/add` accepts.
 * Each report becomes an event with what its object_refs hold; objects no
 * report refers to go into one more event. Patterns and observables become
 * typed attributes; what has no MISP form is reported in `warnings`. UUIDs
 * come from STIX ids, so importing the same bundle twice gives the same events.
 * Throws InputError when the input is not a well-formed bundle.
 */
export function stixToEvents(bundle: unknown, options: StixToEventsOptions = {}): StixToEventsResult {
  const { id, uuid, objects } = validateBundle(bundle);
  const index = latestVersions(objects);
  const warnings: StixImportWarning[] = [];
  const referenced = new Set<string>();
  const events: MispEvent[] = [];
  for (const report of index.values()) {
    if (report.type !== 'report') continue;
    const refs = Array.isArray(report.object_refs) ? report.object_refs.filter((r): r is string => typeof r === 'string') : [];
    const contents: StixObject[] = [];
    for (const ref of refs) {
      const found = index.get(ref);
      if (found === undefined) warnings.push({ code: 'missing_reference', objectId: report.id, message: `report ${report.id} refers to ${ref}, which is not in the bundle` });
      else {
        referenced.add(ref);
        contents.push(found);
      }
    }
    // Relationships and sightings about the report's objects belong to it even when it does not list them.
    const inReport = new Set(contents.map((o) => o.id));
    for (const o of index.values()) {
      if (inReport.has(o.id) || !(linksInto(o, inReport) || reportNoteOf(o, report.id))) continue;
      referenced.add(o.id);
      contents.push(o);
    }
    events.push(assembleEvent(reportHeader(report), contents, index, warnings));
  }
  const orphans = [...index.values()].filter((o) => !referenced.has(o.id) && isImportable(o));
  if (orphans.some((o) => CONTENT_TYPES.has(o.type) || GALAXY_TYPES.has(o.type) || isEventReportNote(o))) {
    const header = orphanHeader(id, uuid, orphans);
    events.push(assembleEvent(options.orphanEventInfo === undefined ? header : { ...header, info: options.orphanEventInfo }, orphans, index, warnings));
  }
  return { events, warnings };
}
