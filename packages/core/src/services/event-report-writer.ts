import { ConflictError, InputError } from '@waggle/errors';
import type { EventReportInput } from '../input/inputs.js';
import type { EventReportRecord } from '../model/records.js';
import type { Patch } from '../ports/store.js';
import { checkSharingGroups, type WriteContext } from './event-writer.js';

/** What writing an event's reports did (for the audit log). */
export interface ReportMergeResult {
  added: number;
  updated: number;
}

function sharingGroupOf(input: EventReportInput, distribution: number, field: string, current = 0): number {
  if (distribution !== 4) return 0;
  const sg = input.sharing_group_id ?? current;
  if (sg === 0) throw new InputError(`${field}.sharing_group_id is required when distribution is 4`, { field: `${field}.sharing_group_id` });
  return sg;
}

/** Stores a new report of the context's event (the caller's transaction). */
export async function insertReport(ctx: WriteContext, input: EventReportInput, field: string): Promise<EventReportRecord> {
  if (input.name === undefined) throw new InputError(`${field}.name is required`, { field: `${field}.name` });
  const distribution = input.distribution ?? (await ctx.deps.settings.current(ctx.repos)).defaultAttributeDistribution;
  const record = {
    uuid: (input.uuid ?? ctx.deps.ids.uuid()).toLowerCase(),
    event_id: ctx.event.id,
    name: input.name,
    content: input.content ?? '',
    distribution,
    sharing_group_id: sharingGroupOf(input, distribution, field),
    timestamp: input.timestamp ?? ctx.now,
    deleted: input.deleted ?? false,
  };
  await checkSharingGroups(ctx, [record], field);
  const clash = await ctx.repos.getEventReport(record.uuid);
  if (clash !== undefined) throw new ConflictError(`${field}.uuid: an event report with this UUID already exists`, { field: `${field}.uuid` });
  return ctx.repos.insertEventReport(record);
}

/**
 * Applies a report's fields to the stored one. A report carrying a timestamp that is not newer
 * than the stored one changes nothing (MISP's sync rule); `undefined` is returned then.
 */
export async function updateReport(ctx: WriteContext, existing: EventReportRecord, input: EventReportInput, field: string): Promise<EventReportRecord | undefined> {
  if (input.timestamp !== undefined && input.timestamp <= existing.timestamp) return undefined;
  const distribution = input.distribution ?? existing.distribution;
  const patch: Patch<EventReportRecord> = {
    distribution,
    sharing_group_id: sharingGroupOf(input, distribution, field, existing.sharing_group_id),
    timestamp: Math.max(input.timestamp ?? ctx.now, existing.timestamp + 1),
  };
  if (input.name !== undefined) patch.name = input.name;
  if (input.content !== undefined) patch.content = input.content;
  if (input.deleted !== undefined) patch.deleted = input.deleted;
  await checkSharingGroups(ctx, [{ distribution, sharing_group_id: patch.sharing_group_id ?? 0 }], field);
  return ctx.repos.updateEventReport(existing.id, patch);
}

/** Merges an event's `EventReport` list by UUID: known reports are updated (when newer), others created. */
export async function mergeReports(ctx: WriteContext, inputs: readonly EventReportInput[]): Promise<ReportMergeResult> {
  const result: ReportMergeResult = { added: 0, updated: 0 };
  for (const [i, input] of inputs.entries()) {
    const field = `Event.EventReport[${i}]`;
    const existing = input.uuid === undefined ? undefined : await ctx.repos.getEventReport(input.uuid);
    if (existing === undefined) {
      await insertReport(ctx, input, field);
      result.added++;
      continue;
    }
    if (existing.event_id !== ctx.event.id) throw new ConflictError(`${field}.uuid belongs to a report of another event`, { field: `${field}.uuid` });
    if ((await updateReport(ctx, existing, input, field)) !== undefined) result.updated++;
  }
  return result;
}
