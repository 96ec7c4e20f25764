import { describe, expect, it } from 'vitest';
import type { EventIndexFilters, MispJson, Principal } from '@waggle/core';
import { NotFoundError } from '@waggle/errors';
import { eventToStixObjects } from '@waggle/stix';
import type { TaxiiFilter } from '@waggle/taxii';
import { ALL_EVENTS_COLLECTION_ID, createEventTaxiiSource } from './event-taxii-source.js';
import type { TaxiiSource } from './taxii-source.js';

interface FakeEvent {
  id: number;
  uuid: string;
  timestamp: number;
  published: boolean;
  distribution: number;
  sharing_group_id: number;
  attributes: number;
}

const P = { user: { id: 1 }, org: { id: 1 }, role: {}, viewer: {}, readOnly: false } as unknown as Principal;
const SG_UUID = '0b5d7a1e-3c2f-4e8a-9b6d-1f2e3d4c5b6a';
const uuid = (n: number): string => `5a3c2fda-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const noMatch = (): TaxiiFilter['match'] => ({ id: [], type: [], version: [], specVersion: [] });

/** An in-memory stand-in for the event service: index with the store's ordering, filters and paging. */
function fakeServices(events: FakeEvent[]) {
  const calls = { index: 0, maxRows: 0 };
  const view = (e: FakeEvent): MispJson => ({
    id: String(e.id),
    uuid: e.uuid,
    info: `event ${e.id}`,
    date: '2024-03-01',
    timestamp: String(e.timestamp),
    publish_timestamp: String(e.timestamp),
    published: e.published,
    distribution: String(e.distribution),
    sharing_group_id: String(e.sharing_group_id),
    threat_level_id: '2',
    analysis: '1',
    Orgc: { id: '1', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f', name: 'CIRCL' },
    Tag: [],
    Attribute: Array.from({ length: e.attributes }, (_, i) => ({ uuid: uuid(e.id * 1000 + i), type: 'ip-dst', category: 'Network activity', value: `198.51.100.${i + 1}`, to_ids: true, comment: '', timestamp: String(e.timestamp) })),
    Object: [],
  });
  return {
    calls,
    view,
    events: {
      async index(_p: Principal, f: EventIndexFilters): Promise<MispJson[]> {
        calls.index++;
        let rows = events.filter((e) => (f.published === undefined || e.published === f.published) && e.timestamp >= (f.eventTimestampFrom ?? 0));
        if (f.distribution !== undefined) rows = rows.filter((e) => f.distribution?.includes(e.distribution));
        if (f.uuids !== undefined) rows = rows.filter((e) => f.uuids?.includes(e.uuid));
        rows.sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
        const limit = f.limit ?? rows.length;
        rows = rows.slice(((f.page ?? 1) - 1) * limit, (f.page ?? 1) * limit);
        calls.maxRows = Math.max(calls.maxRows, rows.length);
        return rows.map((e) => ({ id: String(e.id), uuid: e.uuid, timestamp: String(e.timestamp), sharing_group_id: String(e.sharing_group_id) }));
      },
      async view(_p: Principal, ref: number | string): Promise<MispJson> {
        const e = events.find((x) => x.id === Number(ref) || x.uuid === ref);
        if (e === undefined) throw new NotFoundError('Invalid event.');
        return view(e);
      },
    },
    sharingGroups: { async list(): Promise<MispJson[]> { return [{ SharingGroup: { id: '7', uuid: SG_UUID, name: 'Partners', description: 'trusted' } }]; } },
  };
}

async function drain(source: TaxiiSource, collection: string, filter: TaxiiFilter, limit: number): Promise<{ ids: string[]; pages: number; dates: string[] }> {
  const ids: string[] = [];
  const dates: string[] = [];
  let next: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await source.objects(P, collection, filter, { limit, ...(next !== undefined ? { next } : {}) });
    pages++;
    expect(page.objects.length).toBeLessThanOrEqual(limit);
    ids.push(...page.objects.map((r) => r.object.id));
    dates.push(...page.objects.map((r) => r.dateAdded));
    if (!page.more) {
      expect(page.next).toBeUndefined();
      break;
    }
    expect(page.objects).toHaveLength(limit);
    next = page.next;
    expect(pages).toBeLessThan(1000);
  }
  return { ids, pages, dates };
}

const expectedIds = (f: ReturnType<typeof fakeServices>, events: FakeEvent[]): string[] =>
  [...events].sort((a, b) => a.timestamp - b.timestamp || a.id - b.id).flatMap((e) => eventToStixObjects(f.view(e)).map((o) => o.id));

describe('createEventTaxiiSource', () => {
  // Ten events, several sharing one timestamp (more than a batch), one unpublished, two in the sharing group.
  const events: FakeEvent[] = [
    ...Array.from({ length: 7 }, (_, i): FakeEvent => ({ id: i + 1, uuid: uuid(i + 1), timestamp: 1000, published: true, distribution: 1, sharing_group_id: 0, attributes: 2 })),
    { id: 8, uuid: uuid(8), timestamp: 900, published: true, distribution: 4, sharing_group_id: 7, attributes: 3 },
    { id: 9, uuid: uuid(9), timestamp: 1100, published: false, distribution: 1, sharing_group_id: 0, attributes: 1 },
    { id: 10, uuid: uuid(10), timestamp: 1200, published: true, distribution: 4, sharing_group_id: 7, attributes: 0 },
  ];

  it('lists the all-events collection and one per visible sharing group, read-only', async () => {
    const f = fakeServices(events);
    const cs = await createEventTaxiiSource(f).collections(P);
    expect(cs.map((c) => c.id)).toEqual([ALL_EVENTS_COLLECTION_ID, SG_UUID]);
    expect(cs.every((c) => c.can_read && !c.can_write && !c.id.includes(':'))).toBe(true);
    expect(cs[1]?.title).toContain('Partners');
  });

  it('pages through every object of the published events in (timestamp, id) order, whatever the page and batch size', async () => {
    for (const [limit, batchSize] of [[1, 2], [3, 2], [4, 50], [1000, 1]] as const) {
      const f = fakeServices(events);
      const got = await drain(createEventTaxiiSource({ ...f, batchSize }), ALL_EVENTS_COLLECTION_ID, { match: noMatch() }, limit);
      expect(got.ids).toEqual(expectedIds(f, events.filter((e) => e.published)));
      expect(f.calls.maxRows).toBeLessThanOrEqual(batchSize);
      expect([...got.dates].sort()).toEqual(got.dates);
    }
  });

  it('serves a sharing group collection with only that group’s events, and 404 for unknown collections', async () => {
    const f = fakeServices(events);
    const source = createEventTaxiiSource({ ...f, batchSize: 2 });
    const got = await drain(source, SG_UUID, { match: noMatch() }, 2);
    expect(got.ids).toEqual(expectedIds(f, events.filter((e) => e.sharing_group_id === 7)));
    await expect(source.objects(P, 'b0b0b0b0-0000-4000-8000-000000000000', { match: noMatch() }, { limit: 5 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('honours added_after (exclusive, sub-second), match[type], match[id], match[version] and match[spec_version]', async () => {
    const f = fakeServices(events);
    const source = createEventTaxiiSource({ ...f, batchSize: 3 });
    const after = await drain(source, ALL_EVENTS_COLLECTION_ID, { addedAfter: '1970-01-01T00:16:40.000Z', match: noMatch() }, 5);
    expect(after.ids).toEqual(expectedIds(f, events.filter((e) => e.id === 10)));
    const halfway = await drain(source, ALL_EVENTS_COLLECTION_ID, { addedAfter: '1970-01-01T00:16:39.500Z', match: noMatch() }, 5);
    expect(halfway.ids).toEqual(expectedIds(f, events.filter((e) => e.published && e.timestamp >= 1000)));

    const reports = await drain(source, ALL_EVENTS_COLLECTION_ID, { match: { ...noMatch(), type: ['report'] } }, 2);
    expect(reports.ids).toEqual([8, 1, 2, 3, 4, 5, 6, 7, 10].map((n) => `report--${uuid(n)}`));
    const one = await drain(source, ALL_EVENTS_COLLECTION_ID, { match: { ...noMatch(), id: [`report--${uuid(5)}`] } }, 2);
    expect(one.ids).toEqual([`report--${uuid(5)}`]);
    const indicator = `indicator--${uuid(3 * 1000 + 1)}`;
    expect((await drain(source, ALL_EVENTS_COLLECTION_ID, { match: { ...noMatch(), id: [indicator] } }, 2)).ids).toEqual([indicator]);
    const at = await drain(source, ALL_EVENTS_COLLECTION_ID, { match: { ...noMatch(), type: ['report'], version: [{ kind: 'at', timestamp: '1970-01-01T00:20:00.000Z' }] } }, 10);
    expect(at.ids).toEqual([`report--${uuid(10)}`]);
    expect((await drain(source, ALL_EVENTS_COLLECTION_ID, { match: { ...noMatch(), specVersion: ['2.0'] } }, 10)).ids).toEqual([]);
  });

  it('moves an event edited between two pages to the end, at its new timestamp', async () => {
    const data = events.map((e) => ({ ...e }));
    const f = fakeServices(data);
    const source = createEventTaxiiSource({ ...f, batchSize: 2 });
    const first = await source.objects(P, ALL_EVENTS_COLLECTION_ID, { match: noMatch() }, { limit: 4 });
    expect(first.more).toBe(true);
    const edited = data.find((e) => e.id === 8) as FakeEvent; // partly served on the first page
    edited.timestamp = 5000;
    const rest: string[] = [];
    let next = first.next;
    while (next !== undefined) {
      const page = await source.objects(P, ALL_EVENTS_COLLECTION_ID, { match: noMatch() }, { limit: 4, next });
      rest.push(...page.objects.map((r) => r.object.id));
      next = page.more ? page.next : undefined;
    }
    expect(rest.slice(-eventToStixObjects(f.view(edited)).length)).toEqual(eventToStixObjects(f.view(edited)).map((o) => o.id));
  });

  it('refuses a next position it did not make, and bad options', async () => {
    const source = createEventTaxiiSource(fakeServices(events));
    for (const next of ['x', '1/2', '1/2/3/4', '-1/2/3']) {
      await expect(source.objects(P, ALL_EVENTS_COLLECTION_ID, { match: noMatch() }, { limit: 5, next })).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'next' } });
    }
    expect(() => createEventTaxiiSource({ ...fakeServices(events), batchSize: 0 })).toThrow(/batchSize/);
    expect(source.add).toBeUndefined();
  });
});
