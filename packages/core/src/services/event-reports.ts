import { InputError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { requireModifyEvent } from '../access/permissions.js';
import { canSeeElement, canSeeEvent } from '../access/visibility.js';
import type { EventReportInput } from '../input/inputs.js';
import type { EventRecord, EventReportRecord } from '../model/records.js';
import type { Ref, Repositories } from '../ports/store.js';
import { eventReportEnvelope, eventReportJson } from '../views/event-report-json.js';
import { orgMap } from '../views/event-view.js';
import type { MispJson } from '../views/misp-json.js';
import { deleteAnalystDataOn } from './analyst-data-access.js';
import { audit } from './audit.js';
import { publishAll, type CoreDeps } from './deps.js';
import { insertReport, updateReport } from './event-report-writer.js';
import type { WriteContext } from './event-writer.js';
import { createTagResolver } from './tag-resolver.js';
import { visibleEvent, visibleReport } from './visible.js';

/** Which reports an index lists: live ones (MISP's default), deleted ones, or both. */
export type ReportContext = 'default' | 'deleted' | 'all';

/** Filters of `eventReports/index`. */
export interface ReportIndexFilters {
  /** Reports of this event (id or UUID). */
  readonly eventId?: string;
  /** Case-insensitive substring of the name or the content. */
  readonly value?: string;
  readonly context?: ReportContext;
}

async function envelope(repos: Repositories, report: EventReportRecord, event: EventRecord): Promise<MispJson> {
  const orgs = await orgMap(repos, [event.org_id, event.orgc_id]);
  const sg = report.distribution === 4 ? await repos.getSharingGroup(report.sharing_group_id) : undefined;
  return eventReportEnvelope(report, event, orgs, sg);
}

/** MISP's event reports: add, view, index, edit, soft/hard delete, restore. */
export function createEventReportService(deps: CoreDeps) {
  const { store, clock } = deps;

  /** Runs a change to one report: the event is unpublished and its timestamp advances, the change is audited and announced. */
  async function change(
    p: Principal,
    action: 'add' | 'edit' | 'delete' | 'restore',
    run: (repos: Repositories, now: number) => Promise<{ report: EventReportRecord | undefined; event: EventRecord }>,
  ): Promise<{ json: MispJson | undefined; report: EventReportRecord | undefined }> {
    const result = await store.write(async (repos) => {
      const now = clock.now();
      const { report, event } = await run(repos, now);
      const id = report?.id ?? 0;
      await repos.updateEvent(event.id, { timestamp: Math.max(now, event.timestamp + 1), published: false });
      await audit(repos, p, now, { action, model: 'EventReport', modelId: id, title: report?.name ?? event.info });
      return { report, event, json: report === undefined ? undefined : await envelope(repos, report, event) };
    });
    if (result.report !== undefined) {
      await publishAll(deps.bus, [{ topic: 'waggle_event_report', payload: { EventReport: { ...eventReportJson(result.report), event_uuid: result.event.uuid }, action } }]);
    }
    return { json: result.json, report: result.report };
  }

  const context = (repos: Repositories, p: Principal, event: EventRecord, now: number): WriteContext => ({ deps, repos, principal: p, event, now, resolveTag: createTagResolver(repos, p) });

  return {
    /** Adds a report to an event the principal may modify. */
    async add(p: Principal, eventRef: Ref, input: EventReportInput): Promise<MispJson> {
      if (input.name === undefined) throw new InputError('EventReport.name is required', { field: 'EventReport.name' });
      const { json } = await change(p, 'add', async (repos, now) => {
        const event = await visibleEvent(repos, p, eventRef);
        requireModifyEvent(p, event);
        // A report is created here: the timestamp and deletion state are the server's.
        const { timestamp: _ignored, ...fields } = input;
        const report = await insertReport(context(repos, p, event, now), { ...fields, deleted: false }, 'EventReport');
        return { report, event };
      });
      return json as MispJson;
    },

    /** One report (deleted ones too: they can be restored), with its event summary. */
    async view(p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => {
        const { report, event } = await visibleReport(repos, p, ref);
        return envelope(repos, report, event);
      });
    },

    /** Reports the principal may see, optionally of one event. */
    async index(p: Principal, filters: ReportIndexFilters = {}): Promise<MispJson[]> {
      return store.read(async (repos) => {
        let eventIds: number[] | undefined;
        if (filters.eventId !== undefined) {
          const event = await repos.getEvent(filters.eventId);
          if (event === undefined || !canSeeEvent(p.viewer, event)) return [];
          eventIds = [event.id];
        }
        const ctx = filters.context ?? 'default';
        const needle = filters.value?.toLowerCase();
        const reports = (await repos.listEventReports({ ...(eventIds !== undefined ? { eventIds } : {}), includeDeleted: ctx !== 'default' }))
          .filter((r) => ctx !== 'deleted' || r.deleted)
          .filter((r) => needle === undefined || r.name.toLowerCase().includes(needle) || r.content.toLowerCase().includes(needle));
        const events = new Map<number, EventRecord | undefined>();
        const out: MispJson[] = [];
        for (const r of reports) {
          if (!events.has(r.event_id)) events.set(r.event_id, await repos.getEvent(r.event_id));
          const event = events.get(r.event_id);
          if (event === undefined || !canSeeEvent(p.viewer, event) || !canSeeElement(p.viewer, r, event)) continue;
          out.push(await envelope(repos, r, event));
        }
        return out;
      });
    },

    /** Edits a report: the fields given replace the stored ones. */
    async edit(p: Principal, ref: Ref, input: EventReportInput): Promise<MispJson> {
      const { json } = await change(p, 'edit', async (repos, now) => {
        const { report, event } = await visibleReport(repos, p, ref);
        requireModifyEvent(p, event);
        if (input.uuid !== undefined && input.uuid.toLowerCase() !== report.uuid) throw new InputError('EventReport.uuid does not match the report being edited', { field: 'EventReport.uuid' });
        // MISP ignores a client's timestamp on edit: the server's clock decides.
        const { timestamp: _ignored, ...fields } = input;
        const updated = await updateReport(context(repos, p, event, now), report, fields, 'EventReport');
        return { report: updated, event };
      });
      return json as MispJson;
    },

    /** Soft delete (marks it deleted, restorable) or hard delete (removes it). */
    async delete(p: Principal, ref: Ref, hard: boolean): Promise<EventReportRecord> {
      const { report } = await change(p, 'delete', async (repos, now) => {
        const { report: r, event } = await visibleReport(repos, p, ref);
        requireModifyEvent(p, event);
        if (!hard) return { report: await repos.updateEventReport(r.id, { deleted: true, timestamp: Math.max(now, r.timestamp + 1) }), event };
        await deleteAnalystDataOn(repos, [r.uuid]);
        await repos.deleteEventReport(r.id);
        return { report: { ...r, deleted: true }, event };
      });
      return report as EventReportRecord;
    },

    /** Undoes a soft delete. */
    async restore(p: Principal, ref: Ref): Promise<EventReportRecord> {
      const { report } = await change(p, 'restore', async (repos, now) => {
        const { report: r, event } = await visibleReport(repos, p, ref);
        requireModifyEvent(p, event);
        return { report: await repos.updateEventReport(r.id, { deleted: false, timestamp: Math.max(now, r.timestamp + 1) }), event };
      });
      return report as EventReportRecord;
    },
  };
}

/** The event report service's type. */
export type EventReportService = ReturnType<typeof createEventReportService>;
