import { EVENT_REPORT_LABEL, referencedElementUuids } from '../common/event-report.js';
import type { StixObject } from '../common/stix-types.js';
import type { EventReportModel } from './event-model.js';
import { baseProperties, rawUuidProperty, type ExportContext } from './export-context.js';

function stixIdOf(context: ExportContext, mispUuid: string): string | undefined {
  return context.stixIdByMispUuid.get(mispUuid) ?? context.stixIdByMispUuid.get(mispUuid.toLowerCase());
}

function reportNote(context: ExportContext, r: EventReportModel): StixObject {
  const refs: string[] = [];
  for (const uuid of referencedElementUuids(r.content)) {
    const id = stixIdOf(context, uuid);
    if (id !== undefined && !refs.includes(id)) refs.push(id);
  }
  return {
    ...baseProperties(context, 'note', r.uuid, r.timestamp),
    abstract: r.name,
    content: r.content,
    // The event's report always, so object_refs is never empty; then what the Markdown refers to.
    object_refs: [`report--${context.event.uuid}`, ...refs],
    labels: [EVENT_REPORT_LABEL],
    ...rawUuidProperty(r.rawUuid),
    x_misp_name: r.name,
    ...(r.distribution !== undefined ? { x_misp_distribution: r.distribution } : {}),
  };
}

/**
 * The event's reports as STIX `note` objects: `abstract` and `x_misp_name` =
 * name, `content` = the Markdown, `object_refs` = the event's report and the
 * exported attributes/objects the Markdown refers to with `@[attribute](uuid)`
 * or `@[object](uuid)`. Call after attributes and objects are registered.
 */
export function eventReportNotes(context: ExportContext): StixObject[] {
  return context.event.reports.map((r) => reportNote(context, r));
}
