import type { EventService, MispJson, Principal, SharingGroupService } from '@waggle/core';
import { InputError, isWaggleError, NotFoundError } from '@waggle/errors';
import { eventToStixObjects } from '@waggle/stix';
import { compareTaxiiTimestamps, formatTaxiiTimestamp, STIX_MEDIA_TYPE, type StixLike, type TaxiiCollection, type TaxiiFilter } from '@waggle/taxii';
import type { TaxiiSource, TaxiiSourcePage, TaxiiSourceRecord } from './taxii-source.js';

/** The id of the collection of every published event the caller may see (fixed, so clients can configure it). */
export const ALL_EVENTS_COLLECTION_ID = '6f7c1f3e-5b0a-4c2e-9a57-2f0d6c1b8e41';

/** What the event-backed TAXII source reads. */
export interface EventTaxiiSourceDeps {
  readonly events: Pick<EventService, 'index' | 'view'>;
  readonly sharingGroups: Pick<SharingGroupService, 'list'>;
  /** Events read from the store per query (default 50): bounds memory whatever the collection size. */
  readonly batchSize?: number;
}

/** A position in a collection: after object `index` of event `eventId` whose timestamp was `ts`. */
interface Position {
  readonly ts: number;
  readonly eventId: number;
  readonly index: number;
}

const POSITION = /^(\d{1,12})\/(\d{1,15})\/(\d{1,9})$/;

function parsePosition(raw: string): Position {
  const m = POSITION.exec(raw);
  if (m === null) throw new InputError('The next token does not name a position in this collection', { field: 'next' });
  return { ts: Number(m[1]), eventId: Number(m[2]), index: Number(m[3]) };
}

const formatPosition = (p: Position): string => `${p.ts}/${p.eventId}/${p.index}`;

/** Whether (ts, id) comes before (ts, id) of `b` in the store's event order (timestamp, then id). */
function before(ts: number, id: number, b: { ts: number; eventId: number }): boolean {
  return ts < b.ts || (ts === b.ts && id < b.eventId);
}

/** TAXII match[...] selection for one object that exists in exactly one version in this collection. */
function matches(o: StixLike, version: string, filter: TaxiiFilter): boolean {
  const m = filter.match;
  if (m.type.length > 0 && !m.type.includes(o.type)) return false;
  if (m.id.length > 0 && !m.id.includes(o.id)) return false;
  if (m.specVersion.length > 0 && !m.specVersion.includes(o.spec_version ?? '2.1')) return false;
  // first, last and all all select the one version; `at` only when it is that version.
  if (m.version.length > 0 && !m.version.some((v) => v.kind !== 'at' || compareTaxiiTimestamps(v.timestamp, version) === 0)) return false;
  return true;
}

/** A cheap pre-filter: when every requested id is a report, only those events can hold them. */
function reportUuids(filter: TaxiiFilter): string[] | undefined {
  const ids = filter.match.id;
  if (ids.length === 0 || !ids.every((id) => id.startsWith('report--'))) return undefined;
  return ids.map((id) => id.slice('report--'.length).toLowerCase());
}

/** The first event timestamp that `added_after` (exclusive, sub-second precision) lets through. */
function firstTimestampAfter(addedAfter: string | undefined): number {
  if (addedAfter === undefined) return 0;
  return Math.floor(Date.parse(addedAfter) / 1000) + 1;
}

/**
 * A TaxiiSource over the event store. Collections: every published event the
 * caller may see, plus one per sharing group the caller can see (its
 * distribution-4 events). An event's objects are `eventToStixObjects` of its
 * current view, all added at the event's `timestamp`, so an edited event comes
 * again after `added_after`. Events are read in (timestamp, id) order in
 * batches, never the whole collection; positions are (timestamp, event id,
 * object index). Read-only: the collections are not writable.
 */
export function createEventTaxiiSource(deps: EventTaxiiSourceDeps): TaxiiSource {
  const batchSize = deps.batchSize ?? 50;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InputError('batchSize must be a positive integer', { field: 'batchSize' });

  async function collections(p: Principal): Promise<TaxiiCollection[]> {
    const all: TaxiiCollection = {
      id: ALL_EVENTS_COLLECTION_ID,
      title: 'All events visible to you',
      description: 'The STIX 2.1 objects of every published MISP event these credentials may see',
      can_read: true,
      can_write: false,
      media_types: [STIX_MEDIA_TYPE],
    };
    const groups = (await deps.sharingGroups.list(p)).map((json): TaxiiCollection => {
      const sg = (json.SharingGroup ?? json) as MispJson;
      return {
        id: String(sg.uuid),
        title: `Sharing group ${String(sg.name)}`,
        description: `Published events shared with sharing group ${String(sg.name)}${typeof sg.description === 'string' && sg.description !== '' ? `: ${sg.description}` : ''}`,
        can_read: true,
        can_write: false,
        media_types: [STIX_MEDIA_TYPE],
      };
    });
    return [all, ...groups];
  }

  /** The sharing group id a collection stands for (undefined = all events); NotFoundError when `p` cannot see it. */
  async function scopeOf(p: Principal, collectionId: string): Promise<number | undefined> {
    if (collectionId === ALL_EVENTS_COLLECTION_ID) return undefined;
    for (const json of await deps.sharingGroups.list(p)) {
      const sg = (json.SharingGroup ?? json) as MispJson;
      if (String(sg.uuid) === collectionId) return Number(sg.id);
    }
    throw new NotFoundError(`No collection ${JSON.stringify(collectionId)}`);
  }

  /** One event's current view, or undefined when it went away (deleted, no longer visible) since the index read. */
  async function viewOf(p: Principal, id: number): Promise<MispJson | undefined> {
    try {
      return await deps.events.view(p, id, { includeCorrelations: false });
    } catch (error) {
      if (isWaggleError(error) && (error.code === 'not_found' || error.code === 'forbidden')) return undefined;
      throw error;
    }
  }

  async function objects(p: Principal, collectionId: string, filter: TaxiiFilter, page: { readonly limit: number; readonly next?: string }): Promise<TaxiiSourcePage> {
    const sharingGroupId = await scopeOf(p, collectionId);
    const start = page.next === undefined ? undefined : parsePosition(page.next);
    const uuids = reportUuids(filter);
    const out: TaxiiSourceRecord[] = [];
    let last: Position | undefined;
    let more = false;
    let done: { ts: number; eventId: number } | undefined;
    let fromTs = Math.max(firstTimestampAfter(filter.addedAfter), start?.ts ?? 0);
    // Keyset on the timestamp; the page number only grows while many events share one timestamp.
    let pageNo = 1;
    scan: for (;;) {
      const rows = await deps.events.index(p, {
        published: true,
        sort: 'timestamp',
        direction: 'asc',
        eventTimestampFrom: fromTs,
        limit: batchSize,
        page: pageNo,
        ...(sharingGroupId !== undefined ? { distribution: [4] } : {}),
        ...(uuids !== undefined ? { uuids } : {}),
      });
      for (const row of rows) {
        const ts = Number(row.timestamp);
        const id = Number(row.id);
        if (done !== undefined && !before(done.ts, done.eventId, { ts, eventId: id })) continue;
        done = { ts, eventId: id };
        if (start !== undefined && before(ts, id, start)) continue;
        if (sharingGroupId !== undefined && Number(row.sharing_group_id) !== sharingGroupId) continue;
        const view = await viewOf(p, id);
        // Edited since the index read: it comes again later, at its new timestamp.
        if (view === undefined || Number(view.timestamp) !== ts || view.published !== true) continue;
        const dateAdded = formatTaxiiTimestamp(new Date(ts * 1000));
        if (filter.addedAfter !== undefined && compareTaxiiTimestamps(dateAdded, filter.addedAfter) <= 0) continue;
        const stix = eventToStixObjects(view) as unknown as StixLike[];
        const first = start !== undefined && start.ts === ts && start.eventId === id ? start.index + 1 : 0;
        for (let i = first; i < stix.length; i++) {
          const object = stix[i] as StixLike;
          const version = object.modified ?? object.created ?? dateAdded;
          if (!matches(object, version, filter)) continue;
          if (out.length === page.limit) {
            more = true;
            break scan;
          }
          out.push({ object, dateAdded, version });
          last = { ts, eventId: id, index: i };
        }
      }
      if (rows.length < batchSize) break;
      const lastTs = Number((rows[rows.length - 1] as MispJson).timestamp);
      if (lastTs === fromTs) pageNo++;
      else {
        fromTs = lastTs;
        pageNo = 1;
      }
    }
    return { objects: out, more, ...(more && last !== undefined ? { next: formatPosition(last) } : {}) };
  }

  return { collections, objects };
}
