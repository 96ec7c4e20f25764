import type { AttributeRecord, MispJson } from '@waggle/core';
import type { RouteContext } from '../http/context.js';
import { applyToAttributes, applyToEvent, dropListedRecords } from '../intel/index.js';
import type { SearchOutputOptions } from './parse-filters.js';

/** restSearch's warninglist options applied to each streamed batch. */
export interface WarninglistStage {
  records(batches: AsyncIterable<AttributeRecord[]>): AsyncIterable<AttributeRecord[]>;
  attributes(batches: AsyncIterable<MispJson[]>): AsyncIterable<MispJson[]>;
  events(events: AsyncIterable<MispJson>): AsyncIterable<MispJson>;
}

const IDENTITY: WarninglistStage = { records: (b) => b, attributes: (b) => b, events: (e) => e };

/**
 * `enforceWarninglist` / `includeWarninglistHits` on the streamed search path:
 * the matcher is the cached one (nothing is loaded per request) and each
 * value costs one indexed lookup, so the stream stays as fast as without.
 * Without either option the batches pass through untouched.
 */
export async function warninglistStage(ctx: RouteContext, output: SearchOutputOptions): Promise<WarninglistStage> {
  const o = { enforce: output.enforceWarninglist, includeHits: output.includeWarninglistHits };
  if (!o.enforce && !o.includeHits) return IDENTITY;
  const { matcher } = await ctx.services.intel.warninglists();
  return {
    async *records(batches) {
      // CSV and text have no room for warnings: only enforcement applies.
      for await (const batch of batches) yield o.enforce ? dropListedRecords(batch, matcher) : batch;
    },
    async *attributes(batches) {
      for await (const batch of batches) yield applyToAttributes(batch, matcher, o);
    },
    async *events(events) {
      for await (const event of events) {
        applyToEvent(event, matcher, o);
        yield event;
      }
    },
  };
}
