import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMispClient, type StreamDrop } from '@waggle/client';
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

/** Stops the server's listener (open streams are cut; requests by inject still work), as if the server went down. */
async function goDown(ls: ListeningServer): Promise<void> {
  const closing = new Promise<void>((r) => ls.server.app.server.close(() => r()));
  ls.server.app.server.closeAllConnections();
  await closing;
}

/** Listens again on the same port, with the same store and key: the server is back. */
async function comeBack(ls: ListeningServer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    ls.server.app.server.once('error', reject);
    ls.server.app.server.listen(ls.port, '127.0.0.1', () => resolve());
  });
}

describe('watchAndEnrich across a lost event stream', () => {
  const setup = testEnrichment();
  let ls: ListeningServer;
  let api: EventApi;
  beforeAll(async () => {
    ls = await startListeningServer();
    api = createEventApi(createMispClient({ url: ls.url, key: new Secret(ls.server.adminKey) }));
  });
  afterAll(async () => {
    await ls.close();
    setup.remove();
  });
  const addEvent = async (info: string, value: string): Promise<{ id: string }> =>
    ((await ls.server.call('POST', '/events/add', { info, distribution: '0', Attribute: [{ type: 'ip-dst', value }] })).json as { Event: { id: string } }).Event;
  const objectsOf = async (id: string): Promise<string[] | undefined> => {
    const names = ((await api.getEvent(id)).Object ?? []).map((o) => o.name).sort();
    return names.length >= 2 ? names : undefined;
  };

  it('reconnects after its connection is cut and after a restart on the same port, and enriches what changed while it was away', async () => {
    const drops: StreamDrop[] = [];
    const reopened: number[] = [];
    const catchUpErrors: string[] = [];
    const watch = watchAndEnrich({
      url: ls.url, key: new Secret(ls.server.adminKey), api, registry: setup.registry, reconnectDelayMs: 20, maxReconnectDelayMs: 200,
      onDisconnect: (d) => drops.push(d), onReconnect: (n) => reopened.push(n), onCatchUpError: (e) => catchUpErrors.push(String(e)),
      // Enrichment calls cut by the outage (re-reading the event after its own edits) may fail; they are not counted here.
    });
    try {
      await watch.ready;
      // The server closes every connection (a proxy restart, a network blip).
      ls.server.app.server.closeAllConnections();
      await until(async () => (reopened.length >= 1 ? true : undefined), 'the first reconnection');
      const afterCut = await addEvent('after the cut', '1.0.0.91');
      expect(await until(() => objectsOf(afterCut.id), 'enrichment after the cut')).toEqual(['asn', 'geolocation']);

      // The server goes down; an event is added meanwhile; it comes back on the same port.
      await goDown(ls);
      const whileDown = await addEvent('while the server was down', '1.0.0.92');
      await until(async () => (drops.some((d) => !d.wasOpen) ? true : undefined), 'a failed reconnection attempt');
      await comeBack(ls);
      expect(await until(() => objectsOf(whileDown.id), 'the catch-up of the event added while down')).toEqual(['asn', 'geolocation']);
      const afterRestart = await addEvent('after the restart', '1.0.0.93');
      expect(await until(() => objectsOf(afterRestart.id), 'enrichment after the restart')).toEqual(['asn', 'geolocation']);

      expect(drops[0]?.wasOpen).toBe(true);
      expect(reopened.length).toBeGreaterThanOrEqual(2);
      expect(watch.stats.caughtUp).toBeGreaterThanOrEqual(1);
      expect(watch.stats.disconnects).toBe(drops.length);
      expect(catchUpErrors).toEqual([]);
    } finally {
      watch.close();
      await watch.closed;
    }
  });

  it('ends with the error when the server refuses the key', async () => {
    const watch = watchAndEnrich({ url: ls.url, key: new Secret('x'.repeat(40)), api, registry: setup.registry, reconnectDelayMs: 20 });
    await expect(watch.closed).rejects.toThrow(/HTTP 403/);
    await expect(watch.ready).rejects.toThrow();
  });
});
