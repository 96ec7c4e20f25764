import { distributionAllows } from '../access/analyst-data-rules.js';
import type { AnalystDataRecord, AnalystKind } from '../model/records.js';
import type { Viewer } from '../ports/queries.js';
import type { Repositories } from '../ports/store.js';
import { analystDataJson } from './analyst-data-json.js';
import type { MispJson } from './misp-json.js';

/** Analyst data on analyst data is followed this deep in an event view. */
const MAX_DEPTH = 8;

/** `Note`, `Opinion` and `Relationship` lists of one element (only the kinds it has). */
export type AnalystDataOf = (uuid: string) => MispJson;

/**
 * The analyst data of an event's visible elements (their UUIDs given; the event's own too), as
 * MISP 2.5 adds it to a view on `includeAnalystData`: per element, lists by kind, each element
 * carrying the analyst data attached to it in turn. Each is filtered by its own distribution.
 */
export async function eventAnalystData(repos: Repositories, viewer: Viewer, uuids: readonly string[]): Promise<AnalystDataOf> {
  const orgUuid = (await repos.getOrganisation(viewer.orgId))?.uuid ?? '';
  const byParent = new Map<string, AnalystDataRecord[]>();
  const all: AnalystDataRecord[] = [];
  const seen = new Set<string>();
  let frontier = [...uuids];
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length > 0; depth++) {
    const found = (await repos.listAnalystData({ objectUuids: frontier })).filter((r) => distributionAllows(viewer, orgUuid, r) && !seen.has(r.uuid));
    for (const r of found) seen.add(r.uuid);
    for (const r of found) byParent.set(r.object_uuid, [...(byParent.get(r.object_uuid) ?? []), r]);
    all.push(...found);
    frontier = found.map((r) => r.uuid);
  }
  const orgs = new Map((await Promise.all([...new Set(all.flatMap((r) => [r.org_uuid, r.orgc_uuid]))].map(async (u) => [u, await repos.getOrganisation(u)] as const)))
    .flatMap(([u, o]) => (o === undefined ? [] : [[u, o] as const])));

  const of = (uuid: string, depth: number): MispJson => {
    const out: Partial<Record<AnalystKind, MispJson[]>> = {};
    if (depth > MAX_DEPTH) return out;
    for (const r of byParent.get(uuid) ?? []) (out[r.kind] ??= []).push({ ...analystDataJson(r, orgs), ...of(r.uuid, depth + 1) });
    return out;
  };
  return (uuid) => of(uuid, 0);
}
