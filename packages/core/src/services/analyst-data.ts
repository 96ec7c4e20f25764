import { ConflictError, InputError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { requirePermission } from '../access/permissions.js';
import { ANALYST_TARGETS, type AnalystDataInput } from '../input/parse-analyst-data.js';
import type { AnalystDataRecord, AnalystKind, Distribution } from '../model/records.js';
import type { New, Patch, Ref, Repositories } from '../ports/store.js';
import { analystDataEnvelope, analystDataJson } from '../views/analyst-data-json.js';
import { mysqlDatetime, type MispJson } from '../views/misp-json.js';
import { requireChangeAnalystData } from '../access/analyst-data-rules.js';
import { createAnalystVisibility, deleteAnalystDataOn, orgsByUuid } from './analyst-data-access.js';
import { audit } from './audit.js';
import { publishAll, type CoreDeps } from './deps.js';

/** Filters of `analystData/index/{type}`. */
export interface AnalystIndexFilters {
  readonly uuid?: string;
  /** Analyst data attached to this element. */
  readonly objectUuid?: string;
  readonly objectType?: string;
}

/** Where `analystData/add/{type}/{object_uuid}/{object_type}` attaches the element (the URL wins over the body). */
export interface AnalystTarget {
  readonly objectUuid?: string;
  readonly objectType?: string;
}

async function envelope(repos: Repositories, r: AnalystDataRecord): Promise<MispJson> {
  const sg = r.distribution === 4 ? await repos.getSharingGroup(r.sharing_group_id) : undefined;
  return analystDataEnvelope(r, await orgsByUuid(repos, [r]), sg);
}

function required(kind: AnalystKind, name: string): InputError {
  return new InputError(`${kind}.${name} is required`, { field: `${kind}.${name}` });
}

/** The distribution and sharing group to store; a sharing group must exist and be available to the principal. */
async function sharing(repos: Repositories, p: Principal, kind: AnalystKind, distribution: Distribution, sgId: number | undefined): Promise<number> {
  if (distribution !== 4) return 0;
  const field = `${kind}.sharing_group_id`;
  if (sgId === undefined || sgId === 0) throw new InputError(`${field} is required when distribution is 4`, { field });
  const sg = await repos.getSharingGroup(sgId);
  if (sg === undefined || (!p.viewer.siteAdmin && !p.viewer.sharingGroupIds.includes(sgId))) {
    throw new InputError(`${field}: sharing group ${sgId} does not exist or is not available to you`, { field });
  }
  return sgId;
}

function checkRelationship(kind: AnalystKind, objectUuid: string, relatedUuid: string): void {
  if (kind === 'Relationship' && objectUuid === relatedUuid) {
    throw new InputError('Relationship.related_object_uuid must differ from object_uuid (no relationship to itself)', { field: 'Relationship.related_object_uuid' });
  }
}

/** The kind-specific fields of a new element, with MISP's required ones checked. */
function kindFields(kind: AnalystKind, input: AnalystDataInput): Pick<AnalystDataRecord, 'note' | 'opinion' | 'comment' | 'related_object_uuid' | 'related_object_type' | 'relationship_type'> {
  const empty = { note: '', opinion: 0, comment: '', related_object_uuid: '', related_object_type: '', relationship_type: '' };
  switch (kind) {
    case 'Note':
      if (input.note === undefined) throw required(kind, 'note');
      return { ...empty, note: input.note };
    case 'Opinion':
      if (input.opinion === undefined) throw required(kind, 'opinion');
      return { ...empty, opinion: input.opinion, comment: input.comment ?? '' };
    case 'Relationship':
      if (input.related_object_uuid === undefined) throw required(kind, 'related_object_uuid');
      if (input.related_object_type === undefined) throw required(kind, 'related_object_type');
      return { ...empty, related_object_uuid: input.related_object_uuid, related_object_type: input.related_object_type, relationship_type: input.relationship_type ?? '' };
  }
}

/** MISP 2.5 analyst data (notes, opinions, relationships): add, view, index, edit, delete. */
export function createAnalystDataService(deps: CoreDeps) {
  const { store, clock } = deps;

  /** Runs one change in a transaction, audits it, and announces it once committed. */
  async function change(p: Principal, action: 'add' | 'edit' | 'delete', run: (repos: Repositories, now: number) => Promise<AnalystDataRecord>): Promise<{ record: AnalystDataRecord; json: MispJson }> {
    const result = await store.write(async (repos) => {
      const now = clock.now();
      const record = await run(repos, now);
      const text = record.kind === 'Note' ? record.note : record.kind === 'Opinion' ? `${record.opinion}/100 ${record.comment}` : `${record.relationship_type} ${record.related_object_type} ${record.related_object_uuid}`;
      await audit(repos, p, now, { action, model: record.kind, modelId: record.id, title: `${record.kind} on ${record.object_type} ${record.object_uuid}: ${text}` });
      return { record, json: await envelope(repos, record) };
    });
    await publishAll(deps.bus, [{ topic: 'waggle_analyst_data', payload: { ...result.json, action } }]);
    return result;
  }

  return {
    /** Attaches a new note, opinion or relationship to an element the principal may see. */
    async add(p: Principal, kind: AnalystKind, input: AnalystDataInput, target: AnalystTarget = {}): Promise<MispJson> {
      requirePermission(p, 'perm_add', `add a ${kind.toLowerCase()}`);
      const objectUuid = (target.objectUuid ?? input.object_uuid)?.toLowerCase();
      if (objectUuid === undefined) throw required(kind, 'object_uuid');
      const extra = kindFields(kind, input);
      checkRelationship(kind, objectUuid, extra.related_object_uuid);
      const { json } = await change(p, 'add', async (repos, now) => {
        const access = createAnalystVisibility(repos, p);
        const objectType = target.objectType ?? input.object_type ?? (await access.deduceType(objectUuid));
        if (objectType !== undefined && !ANALYST_TARGETS.includes(objectType)) {
          throw new InputError(`${kind}.object_type must be one of ${ANALYST_TARGETS.join(', ')}`, { field: `${kind}.object_type` });
        }
        // Unknown and invisible elements answer alike, so that existence stays hidden.
        if (objectType === undefined || !(await access.targetVisible(objectType, objectUuid))) {
          throw new InputError(`${kind}.object_uuid: no ${objectType ?? 'element'} with this UUID`, { field: `${kind}.object_uuid` });
        }
        const uuid = (input.uuid ?? deps.ids.uuid()).toLowerCase();
        if ((await repos.getAnalystData(uuid)) !== undefined) throw new ConflictError(`${kind}.uuid: analyst data with this UUID already exists`, { field: `${kind}.uuid` });
        const distribution = input.distribution ?? 5;
        const stamp = mysqlDatetime(now);
        const record: New<AnalystDataRecord> = {
          uuid,
          kind,
          object_uuid: objectUuid,
          object_type: objectType,
          authors: input.authors ?? p.user.email,
          org_uuid: p.org.uuid,
          // A sync user brings the creator organisation of what it copies; anybody else creates as their own.
          orgc_uuid: p.role.perm_sync && input.orgc_uuid !== undefined ? input.orgc_uuid : p.org.uuid,
          created: stamp,
          modified: stamp,
          distribution,
          sharing_group_id: await sharing(repos, p, kind, distribution, input.sharing_group_id),
          locked: input.locked ?? false,
          language: input.language ?? '',
          ...extra,
        };
        return repos.insertAnalystData(record);
      });
      return json;
    },

    /** One element of this kind, by id or UUID. */
    async view(p: Principal, kind: AnalystKind, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => envelope(repos, await createAnalystVisibility(repos, p).visibleAnalystData(kind, ref)));
    },

    /** The elements of this kind the principal may see, in id order. */
    async index(p: Principal, kind: AnalystKind, filters: AnalystIndexFilters = {}): Promise<MispJson[]> {
      return store.read(async (repos) => {
        const access = createAnalystVisibility(repos, p);
        const all = await repos.listAnalystData({
          kind,
          ...(filters.objectUuid !== undefined ? { objectUuids: [filters.objectUuid.toLowerCase()] } : {}),
          ...(filters.uuid !== undefined ? { uuids: [filters.uuid.toLowerCase()] } : {}),
        });
        const shown: AnalystDataRecord[] = [];
        for (const r of all) {
          if (filters.objectType !== undefined && r.object_type !== filters.objectType) continue;
          if (await access.visible(r)) shown.push(r);
        }
        const orgs = await orgsByUuid(repos, shown);
        const out: MispJson[] = [];
        for (const r of shown) out.push({ [r.kind]: analystDataJson(r, orgs, r.distribution === 4 ? await repos.getSharingGroup(r.sharing_group_id) : undefined) });
        return out;
      });
    },

    /** Changes the editable fields (not what it is attached to); only the creator organisation or a site admin may. */
    async edit(p: Principal, kind: AnalystKind, ref: Ref, input: AnalystDataInput): Promise<MispJson> {
      const { json } = await change(p, 'edit', async (repos, now) => {
        const existing = await createAnalystVisibility(repos, p).visibleAnalystData(kind, ref);
        requireChangeAnalystData(p, existing);
        if (input.uuid !== undefined && input.uuid !== existing.uuid) throw new InputError(`${kind}.uuid does not match the ${kind.toLowerCase()} being edited`, { field: `${kind}.uuid` });
        const distribution = input.distribution ?? existing.distribution;
        const patch: Patch<AnalystDataRecord> = {
          modified: mysqlDatetime(now),
          distribution,
          sharing_group_id: await sharing(repos, p, kind, distribution, input.sharing_group_id ?? existing.sharing_group_id),
        };
        const fields = ['authors', 'language', 'locked', 'note', 'opinion', 'comment', 'related_object_uuid', 'related_object_type', 'relationship_type'] as const;
        for (const f of fields) if (input[f] !== undefined) Object.assign(patch, { [f]: input[f] });
        checkRelationship(kind, existing.object_uuid, patch.related_object_uuid ?? existing.related_object_uuid);
        return repos.updateAnalystData(existing.id, patch);
      });
      return json;
    },

    /** Deletes an element and the analyst data attached to it (recursively); only the creator organisation or a site admin may. */
    async delete(p: Principal, kind: AnalystKind, ref: Ref): Promise<AnalystDataRecord> {
      const { record } = await change(p, 'delete', async (repos) => {
        const existing = await createAnalystVisibility(repos, p).visibleAnalystData(kind, ref);
        requireChangeAnalystData(p, existing);
        await deleteAnalystDataOn(repos, [existing.uuid]);
        await repos.deleteAnalystData([existing.id]);
        return existing;
      });
      return record;
    },
  };
}

/** The analyst data service's type. */
export type AnalystDataService = ReturnType<typeof createAnalystDataService>;
