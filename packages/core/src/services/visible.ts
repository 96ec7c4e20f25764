import { NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { canSeeElement, canSeeEvent } from '../access/visibility.js';
import type { AttributeRecord, EventRecord, EventReportRecord, ObjectRecord } from '../model/records.js';
import type { Ref, Repositories } from '../ports/store.js';

/** The event if the principal may see it; otherwise not_found (never forbidden: existence stays hidden). */
export async function visibleEvent(repos: Repositories, p: Principal, ref: Ref): Promise<EventRecord> {
  const event = await repos.getEvent(ref);
  if (event === undefined || !canSeeEvent(p.viewer, event)) throw new NotFoundError('Invalid event.');
  return event;
}

/** The attribute and its event if the principal may see both. */
export async function visibleAttribute(repos: Repositories, p: Principal, ref: Ref): Promise<{ attribute: AttributeRecord; event: EventRecord }> {
  const attribute = await repos.getAttribute(ref);
  if (attribute === undefined) throw new NotFoundError('Invalid attribute.');
  const event = await repos.getEvent(attribute.event_id);
  if (event === undefined || !canSeeEvent(p.viewer, event) || !canSeeElement(p.viewer, attribute, event)) throw new NotFoundError('Invalid attribute.');
  if (attribute.object_id !== 0) {
    const object = await repos.getObject(attribute.object_id);
    if (object === undefined || !canSeeElement(p.viewer, object, event)) throw new NotFoundError('Invalid attribute.');
  }
  return { attribute, event };
}

/** The object and its event if the principal may see both. */
export async function visibleObject(repos: Repositories, p: Principal, ref: Ref): Promise<{ object: ObjectRecord; event: EventRecord }> {
  const object = await repos.getObject(ref);
  if (object === undefined) throw new NotFoundError('Invalid object.');
  const event = await repos.getEvent(object.event_id);
  if (event === undefined || !canSeeEvent(p.viewer, event) || !canSeeElement(p.viewer, object, event)) throw new NotFoundError('Invalid object.');
  return { object, event };
}

/** The event report and its event if the principal may see both (by the event's rule, then the report's own distribution). */
export async function visibleReport(repos: Repositories, p: Principal, ref: Ref): Promise<{ report: EventReportRecord; event: EventRecord }> {
  const report = await repos.getEventReport(ref);
  const event = report === undefined ? undefined : await repos.getEvent(report.event_id);
  if (report === undefined || event === undefined || !canSeeEvent(p.viewer, event) || !canSeeElement(p.viewer, report, event)) {
    throw new NotFoundError('Invalid report.');
  }
  return { report, event };
}
