import { InputError } from '@waggle/errors';
import { readFindingObject, type FindingObject } from './object-to-finding.js';
import { SECURITY_EVENT } from './security-event-template.js';

/** A security-event object that could not be read as a finding. */
export interface FindingProblem {
  readonly objectUuid?: string;
  readonly message: string;
}

/** Options of {@link findFindings}. */
export interface FindFindingsOptions {
  /** Called for each security-event object that is not a valid finding (it is skipped). */
  readonly onProblem?: (problem: FindingProblem) => void;
}

/**
 * The findings of a MISP event JSON (`{"Event": …}` or bare): every live
 * `security-event` object of `Event.Object`, read with `readFindingObject`,
 * with the event id filled in. One malformed object is reported through
 * `onProblem` and skipped, so it never hides the others.
 */
export function findFindings(eventJson: unknown, options: FindFindingsOptions = {}): FindingObject[] {
  const root = eventJson as { Event?: unknown } | null;
  const event = typeof root === 'object' && root !== null && typeof root.Event === 'object' && root.Event !== null ? root.Event : eventJson;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new InputError('a MISP event must be a JSON object', { field: 'Event' });
  const e = event as { id?: unknown; Object?: unknown };
  const objects = e.Object === undefined ? [] : e.Object;
  if (!Array.isArray(objects)) throw new InputError('Event.Object must be a list', { field: 'Event.Object' });
  const out: FindingObject[] = [];
  for (const o of objects as unknown[]) {
    const obj = o as { name?: unknown; uuid?: unknown; deleted?: unknown; event_id?: unknown };
    if (typeof o !== 'object' || o === null || obj.name !== SECURITY_EVENT) continue;
    if (obj.deleted === true || obj.deleted === '1') continue;
    try {
      const found = readFindingObject(o);
      const eventId = found.eventId ?? (e.id === undefined ? undefined : String(e.id as string | number));
      out.push(eventId === undefined ? found : { ...found, eventId });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      options.onProblem?.({ ...(typeof obj.uuid === 'string' ? { objectUuid: obj.uuid } : {}), message: error.message });
    }
  }
  return out;
}
