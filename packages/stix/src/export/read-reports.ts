import { InputError } from '@waggle/errors';
import { readMispTime } from '../common/timestamps.js';
import type { EventReportModel } from './event-model.js';
import { stixUuid } from './stix-uuid.js';
import { describe, flag, listOf, optionalText, requiredText, type Json } from './read-fields.js';

function readEventReport(r: Json, path: string, seed: string): EventReportModel {
  const name = requiredText(r, 'name', path);
  const content = r.content;
  if (content === undefined || content === null) throw new InputError(`${path}.content is required (a string, possibly empty)`, { field: `${path}.content` });
  if (typeof content !== 'string') throw new InputError(`${path}.content must be a string, got ${describe(content)}`, { field: `${path}.content` });
  return {
    ...stixUuid(optionalText(r, 'uuid', path), seed),
    name,
    content,
    distribution: optionalText(r, 'distribution', path),
    timestamp: readMispTime(r.timestamp),
  };
}

/**
 * The event's `EventReport` entries (MISP's Markdown reports) that are not
 * deleted. InputError naming the field for an entry that is not an object,
 * has no non-empty `name`, or whose `content` is not a string.
 */
export function readEventReports(event: Json, path: string, eventUuid: string): EventReportModel[] {
  return listOf(event, 'EventReport', path).flatMap((r, i) => {
    const rPath = `${path}.EventReport[${i}]`;
    const report = readEventReport(r, rPath, `${eventUuid}|report|${i}`);
    return flag(r, 'deleted', rPath, false) ? [] : [report];
  });
}
