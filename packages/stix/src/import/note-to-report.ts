import { EVENT_REPORT_LABEL } from '../common/event-report.js';
import { parseStixId } from '../common/ids.js';
import type { MispEventReport } from '../common/misp-event.js';
import type { StixObject } from '../common/stix-types.js';
import { unixSeconds } from '../common/timestamps.js';
import { objectTime, text } from './drafts.js';
import type { StixImportWarning } from './warnings.js';

/** Whether `o` is a `note` labelled as a MISP event report (by waggle or misp-stix). */
export function isEventReportNote(o: StixObject): boolean {
  return o.type === 'note' && Array.isArray(o.labels) && o.labels.includes(EVENT_REPORT_LABEL);
}

/**
 * An event-report note as a MISP `EventReport`: name from `abstract`, else
 * `x_misp_name`, else "STIX note"; content from `content`; uuid from the id;
 * timestamp from `modified`. Undefined, with a warning, when it has no content.
 */
export function noteToEventReport(note: StixObject, warnings: StixImportWarning[]): MispEventReport | undefined {
  if (typeof note.content !== 'string') {
    warnings.push({ code: 'invalid_object', objectId: note.id, message: `note ${note.id} has no content; the event report was left out` });
    return undefined;
  }
  const name = [text(note, 'abstract'), text(note, 'x_misp_name')].find((n) => n !== undefined && n.trim() !== '') ?? 'STIX note';
  return {
    uuid: parseStixId(note.id)?.uuid as string,
    name,
    content: note.content,
    distribution: text(note, 'x_misp_distribution') ?? '5',
    timestamp: unixSeconds(objectTime(note)),
    deleted: false,
  };
}
