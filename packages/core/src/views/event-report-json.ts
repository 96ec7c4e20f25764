import type { EventRecord, EventReportRecord, OrganisationRecord, SharingGroupRecord } from '../model/records.js';
import type { MispJson } from './misp-json.js';

/** An event report as MISP writes it (string ids and numbers). */
export function eventReportJson(r: EventReportRecord): MispJson {
  return {
    id: String(r.id),
    uuid: r.uuid,
    event_id: String(r.event_id),
    name: r.name,
    content: r.content,
    distribution: String(r.distribution),
    sharing_group_id: String(r.sharing_group_id),
    timestamp: String(r.timestamp),
    deleted: r.deleted,
  };
}

/**
 * A report with what MISP's `eventReports/view|add|edit|index` contain beside it: its
 * sharing group and a summary of its event with both organisations.
 */
export function eventReportEnvelope(
  r: EventReportRecord,
  event: EventRecord,
  orgs: ReadonlyMap<number, OrganisationRecord>,
  sharingGroup: SharingGroupRecord | undefined,
): MispJson {
  const org = (id: number): MispJson => ({ id: String(id), name: orgs.get(id)?.name ?? '' });
  return {
    EventReport: eventReportJson(r),
    SharingGroup: sharingGroup === undefined ? { id: null, name: null, uuid: null } : { id: String(sharingGroup.id), name: sharingGroup.name, uuid: sharingGroup.uuid },
    Event: {
      id: String(event.id),
      orgc_id: String(event.orgc_id),
      org_id: String(event.org_id),
      info: event.info,
      user_id: String(event.user_id),
      date: event.date,
      Orgc: org(event.orgc_id),
      Org: org(event.org_id),
    },
  };
}
