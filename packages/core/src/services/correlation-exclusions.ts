import { ConflictError, InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { requireSiteAdmin } from '../access/permissions.js';
import type { CorrelationExclusionRecord } from '../model/records.js';
import type { Ref } from '../ports/store.js';
import type { MispJson } from '../views/misp-json.js';
import { audit } from './audit.js';
import type { CoreDeps } from './deps.js';

/** What a client sends to add an exclusion. */
export interface CorrelationExclusionInput {
  readonly value: string;
  readonly comment?: string;
  readonly from_json?: boolean;
}

/** An exclusion as MISP writes it. */
export function correlationExclusionJson(x: CorrelationExclusionRecord): MispJson {
  return { id: String(x.id), value: x.value, from_json: x.from_json, comment: x.comment };
}

/**
 * MISP's correlation exclusions (site admins only, as in MISP): values that never correlate.
 * Correlation is computed when read here, so an exclusion takes effect at once in every event
 * view and search, and removing it brings the correlations back; `clean` has nothing to delete.
 */
export function createCorrelationExclusionService(deps: CoreDeps) {
  const { store, clock } = deps;
  return {
    async list(p: Principal): Promise<MispJson[]> {
      requireSiteAdmin(p, 'manage correlation exclusions');
      return store.read(async (repos) => (await repos.listCorrelationExclusions()).map((x) => ({ CorrelationExclusion: correlationExclusionJson(x) })));
    },
    async view(p: Principal, ref: Ref): Promise<MispJson> {
      requireSiteAdmin(p, 'manage correlation exclusions');
      return store.read(async (repos) => {
        const x = /^[0-9]+$/.test(String(ref)) ? await repos.getCorrelationExclusion(Number(ref)) : undefined;
        if (x === undefined) throw new NotFoundError('Invalid correlation exclusion.');
        return { CorrelationExclusion: correlationExclusionJson(x) };
      });
    },
    async add(p: Principal, input: CorrelationExclusionInput): Promise<MispJson> {
      requireSiteAdmin(p, 'manage correlation exclusions');
      const value = input.value.trim();
      if (value === '' || value === '%' || value === '%%') throw new InputError('CorrelationExclusion.value must name a value (a lone % would exclude everything)', { field: 'CorrelationExclusion.value' });
      return store.write(async (repos) => {
        if ((await repos.getCorrelationExclusion(value)) !== undefined) throw new ConflictError('Value is already in the exclusion list.', { field: 'CorrelationExclusion.value' });
        const x = await repos.insertCorrelationExclusion({ value, comment: input.comment ?? '', from_json: input.from_json ?? false });
        await audit(repos, p, clock.now(), { action: 'add', model: 'CorrelationExclusion', modelId: x.id, title: value });
        return { CorrelationExclusion: correlationExclusionJson(x) };
      });
    },
    async delete(p: Principal, ref: Ref): Promise<CorrelationExclusionRecord> {
      requireSiteAdmin(p, 'manage correlation exclusions');
      return store.write(async (repos) => {
        const x = /^[0-9]+$/.test(String(ref)) ? await repos.getCorrelationExclusion(Number(ref)) : undefined;
        if (x === undefined) throw new NotFoundError('Invalid correlation exclusion.');
        await repos.deleteCorrelationExclusion(x.id);
        await audit(repos, p, clock.now(), { action: 'delete', model: 'CorrelationExclusion', modelId: x.id, title: x.value });
        return x;
      });
    },
    /** MISP deletes stored correlations of excluded values; there are none to delete here. */
    async clean(p: Principal): Promise<number> {
      requireSiteAdmin(p, 'manage correlation exclusions');
      return store.read(async (repos) => (await repos.listCorrelationExclusions()).length);
    },
  };
}

/** The correlation exclusion service's type. */
export type CorrelationExclusionService = ReturnType<typeof createCorrelationExclusionService>;
