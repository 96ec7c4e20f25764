import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMispClient } from '@waggle/client';
import { Secret } from '@waggle/errors';
import { startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import { createEventApi, type EventApi } from '../correlation/event-api.js';
import { testEnrichment } from '../test-support/test-enrichment.js';
import type { EnrichEventReport } from './enrich-event.js';
import { watchAndEnrich, type Watch } from './enrich-watch.js';

/** Waits for a condition the server reaches asynchronously (bounded, not a timing assertion). */
async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('watchAndEnrich on the event stream of a real waggle server', () => {
  const setup = testEnrichment();
  let ls: ListeningServer;
  let api: EventApi;
  let watch: Watch;
  const reports: EnrichEventReport[] = [];
  const errors: string[] = [];
  beforeAll(async () => {
    ls = await startListeningServer();
    api = createEventApi(createMispClient({ url: ls.url, key: new Secret(ls.server.adminKey) }));
    watch = watchAndEnrich({ url: ls.url, key: new Secret(ls.server.adminKey), api, registry: setup.registry, onReport: (r) => reports.push(r), onError: (id, e) => errors.push(`${id}: ${String(e)}`) });
    await watch.ready;
  });
  afterAll(async () => {
    watch.close();
    await watch.closed;
    await ls.close();
    setup.remove();
  });
  const addEvent = async (info: string, value: string): Promise<{ id: string; uuid: string }> =>
    ((await ls.server.call('POST', '/events/add', { info, distribution: '0', Attribute: [{ type: 'ip-dst', value }] })).json as { Event: { id: string; uuid: string } }).Event;
  const objectsOf = async (id: string): Promise<string[] | undefined> => {
    const names = ((await api.getEvent(id)).Object ?? []).map((o) => o.name).sort();
    return names.length >= 2 ? names : undefined;
  };

  it('enriches new events once, without looping on its own edits', async () => {
    const first = await addEvent('watched one', '1.0.0.77');
    expect(await until(() => objectsOf(first.id), 'the first enrichment')).toEqual(['asn', 'geolocation']);
    // Events are handled in stream order: once the second is enriched, every
    // edit message caused by the first enrichment has been handled too.
    const second = await addEvent('watched two', '2001:200::1');
    expect(await until(() => objectsOf(second.id), 'the second enrichment')).toEqual(['asn', 'geolocation']);
    await until(async () => (reports.some((r) => r.eventId === second.id && r.added.objects === 2) ? true : undefined), 'the second report');
    expect(errors).toEqual([]);
    const writes = reports.filter((r) => r.eventId === first.id && r.added.objects + r.added.attributes + r.added.tags > 0);
    expect(writes).toHaveLength(1);
    expect(await objectsOf(first.id)).toEqual(['asn', 'geolocation']);
    const event = await api.getEvent(first.id);
    expect((event.Attribute ?? []).map((a) => a.value)).toEqual(['1.0.0.77']);
  });
});
