import { parseEvent, requirePermission, type EventInput, type MispJson, type Principal } from '@waggle/core';
import { ForbiddenError, InputError, isWaggleError, WaggleError } from '@waggle/errors';
import { stixToEvents, type StixImportWarning } from '@waggle/stix';
import type { Services } from '../http/context.js';

/** One event an import wrote. */
export interface ImportedStixEvent {
  readonly action: 'added' | 'updated';
  /** The event as `events/view` shows it after the write (metadata only: no attributes). */
  readonly event: MispJson;
}

/** What importing one bundle did. */
export interface StixImportResult {
  readonly events: readonly ImportedStixEvent[];
  readonly warnings: readonly StixImportWarning[];
}

/** Options of importStixBundle. */
export interface StixImportOptions {
  /** `info` of the event that collects objects no report refers to. */
  readonly orphanEventInfo?: string;
}

/**
 * The converted event as the caller may write it. A sharing group does not
 * travel in STIX (only its number, meaningless on another server), so a
 * distribution-4 event falls back to the server's default distribution.
 */
function writable(json: unknown, index: number): EventInput {
  const event = { ...(json as Record<string, unknown>) };
  if (String(event.distribution) === '4' && (event.sharing_group_id === undefined || String(event.sharing_group_id) === '0')) {
    delete event.distribution;
    delete event.sharing_group_id;
  }
  try {
    return parseEvent(event);
  } catch (error) {
    if (isWaggleError(error)) throw new InputError(`Event ${index + 1} of the bundle (${String(event.uuid ?? 'no uuid')}): ${error.message}`, error.details !== undefined ? { ...error.details } : {});
    throw error;
  }
}

/** Whether `p` may edit an event shown as `view` (MISP's rule, as far as the view tells it). */
function mayEdit(p: Principal, view: MispJson): boolean {
  if (p.readOnly) return false;
  if (p.role.perm_site_admin) return true;
  const own = Number(view.orgc_id) === p.org.id || Number(view.org_id) === p.org.id;
  return own && (p.role.perm_modify_org || p.role.perm_modify);
}

/**
 * Imports a STIX 2.1 bundle as MISP events, as `p`: `stixToEvents`, then each
 * event created, or edited (MISP merge semantics) when its uuid exists.
 *
 * Transactional behaviour: everything that can be checked before writing is
 * checked first (bundle shape, conversion, every event's fields, permission to
 * add, permission to edit each existing event, uuids that exist but are hidden
 * from `p`), so a bad bundle stores nothing. Each event is then written in its
 * own transaction, in bundle order; if a write still fails, the events this
 * upload created are deleted again and the error names the failing event.
 * Edits made before the failure stay (an edit cannot be undone by another edit
 * without losing what it merged); the error says so.
 */
export async function importStixBundle(services: Pick<Services, 'events'>, p: Principal, bundle: unknown, options: StixImportOptions = {}): Promise<StixImportResult> {
  requirePermission(p, 'perm_add', 'import events');
  const { events: converted, warnings } = stixToEvents(bundle, options.orphanEventInfo !== undefined ? { orphanEventInfo: options.orphanEventInfo } : {});
  if (converted.length === 0) throw new InputError('The bundle holds nothing that can be imported as a MISP event', { field: 'objects' });
  const inputs = converted.map((e, i) => writable(e, i));

  const plan: { input: EventInput; exists: boolean }[] = [];
  for (const [i, input] of inputs.entries()) {
    const uuid = input.uuid;
    if (uuid === undefined) {
      plan.push({ input, exists: false });
      continue;
    }
    if (await services.events.exists(p, uuid)) {
      const view = await services.events.view(p, uuid, { metadata: true, includeCorrelations: false });
      if (!mayEdit(p, view)) throw new ForbiddenError(`Event ${i + 1} of the bundle (${uuid}) already exists and you may not edit it`);
      plan.push({ input, exists: true });
    } else {
      plan.push({ input, exists: false });
    }
  }

  const done: ImportedStixEvent[] = [];
  for (const [i, step] of plan.entries()) {
    try {
      const event = step.exists
        ? await services.events.edit(p, step.input.uuid as string, step.input, { metadata: true })
        : await services.events.add(p, step.input, { metadata: true });
      done.push({ action: step.exists ? 'updated' : 'added', event });
    } catch (error) {
      for (const d of done) if (d.action === 'added') await services.events.delete(p, String(d.event.uuid));
      const edited = done.filter((d) => d.action === 'updated').length;
      const kept = edited === 0 ? 'nothing was imported' : `the events it created were removed; ${edited} earlier edit(s) stay`;
      const message = `Event ${i + 1} of the bundle (${step.input.uuid ?? 'no uuid'}) could not be written (${error instanceof Error ? error.message : String(error)}); ${kept}`;
      if (isWaggleError(error)) throw new WaggleError(error.code, message, { ...(error.details !== undefined ? { details: error.details } : {}), retryable: error.retryable, cause: error });
      throw error;
    }
  }
  return { events: done, warnings };
}
