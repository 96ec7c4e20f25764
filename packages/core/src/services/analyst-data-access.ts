import { NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { distributionAllows } from '../access/analyst-data-rules.js';
import { canSeeEvent } from '../access/visibility.js';
import type { AnalystDataRecord, AnalystKind, OrganisationRecord } from '../model/records.js';
import type { Ref, Repositories } from '../ports/store.js';
import { visibleAttribute, visibleObject, visibleReport } from './visible.js';

/** Analyst data on analyst data on…: deeper chains than this are not followed (and not visible). */
const MAX_DEPTH = 16;

async function orNotVisible(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (e) {
    if (e instanceof NotFoundError) return false;
    throw e;
  }
}

/**
 * Visibility of analyst data and the elements it is attached to, for one principal; answers are
 * remembered for the lifetime of the checker (one request), as an index asks about the same parents.
 */
export function createAnalystVisibility(repos: Repositories, p: Principal) {
  const known = new Map<string, boolean>();

  /** Whether an element of this type and UUID exists and the principal may see it. */
  async function targetVisible(type: string, uuid: string, depth = 0): Promise<boolean> {
    const key = `${type}/${uuid}`;
    const cached = known.get(key);
    if (cached !== undefined) return cached;
    let seen = false;
    switch (type) {
      case 'Event': {
        const event = await repos.getEvent(uuid);
        seen = event !== undefined && canSeeEvent(p.viewer, event);
        break;
      }
      case 'Attribute':
        seen = await orNotVisible(() => visibleAttribute(repos, p, uuid));
        break;
      case 'Object':
        seen = await orNotVisible(() => visibleObject(repos, p, uuid));
        break;
      case 'EventReport':
        seen = await orNotVisible(() => visibleReport(repos, p, uuid));
        break;
      case 'Note':
      case 'Opinion':
      case 'Relationship': {
        const parent = await repos.getAnalystData(uuid);
        seen = parent !== undefined && parent.kind === type && (await visible(parent, depth + 1));
        break;
      }
      default:
        seen = false;
    }
    known.set(key, seen);
    return seen;
  }

  /** Whether the principal may see this analyst data: its own distribution and the element it is attached to. */
  async function visible(r: AnalystDataRecord, depth = 0): Promise<boolean> {
    if (depth > MAX_DEPTH || !distributionAllows(p.viewer, p.org.uuid, r)) return false;
    return targetVisible(r.object_type, r.object_uuid, depth);
  }

  /** Which type of element a UUID names, among those the principal may see (MISP's deduceType). */
  async function deduceType(uuid: string): Promise<string | undefined> {
    if ((await repos.getEvent(uuid)) !== undefined) return 'Event';
    if ((await repos.getAttribute(uuid)) !== undefined) return 'Attribute';
    if ((await repos.getObject(uuid)) !== undefined) return 'Object';
    if ((await repos.getEventReport(uuid)) !== undefined) return 'EventReport';
    return (await repos.getAnalystData(uuid))?.kind;
  }

  /** The analyst data of this kind if the principal may see it; not_found otherwise (existence stays hidden). */
  async function visibleAnalystData(kind: AnalystKind, ref: Ref): Promise<AnalystDataRecord> {
    const r = await repos.getAnalystData(ref);
    if (r === undefined || r.kind !== kind || !(await visible(r))) throw new NotFoundError(`Invalid ${kind.toLowerCase()}.`);
    return r;
  }

  return { visible, targetVisible, deduceType, visibleAnalystData };
}

/** The organisations named by these records' `org_uuid` and `orgc_uuid`, by UUID. */
export async function orgsByUuid(repos: Repositories, records: readonly AnalystDataRecord[]): Promise<Map<string, OrganisationRecord>> {
  const out = new Map<string, OrganisationRecord>();
  for (const uuid of new Set(records.flatMap((r) => [r.org_uuid, r.orgc_uuid]))) {
    const org = uuid === '' ? undefined : await repos.getOrganisation(uuid);
    if (org !== undefined) out.set(uuid, org);
  }
  return out;
}

/**
 * Deletes the analyst data attached to these elements (by UUID), and the analyst data attached to
 * that, recursively: what MISP removes with an element that is deleted for good.
 */
export async function deleteAnalystDataOn(repos: Repositories, uuids: readonly string[]): Promise<number> {
  const ids: number[] = [];
  const seen = new Set(uuids);
  for (let frontier = [...uuids]; frontier.length > 0; ) {
    const children = (await repos.listAnalystData({ objectUuids: frontier })).filter((c) => !seen.has(c.uuid));
    for (const c of children) seen.add(c.uuid);
    ids.push(...children.map((c) => c.id));
    frontier = children.map((c) => c.uuid);
  }
  if (ids.length > 0) await repos.deleteAnalystData(ids);
  return ids.length;
}
