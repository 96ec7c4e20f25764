import { describe, expect, it } from 'vitest';
import { NotFoundError, UnavailableError } from '@waggle/errors';
import type { JsonObject, MispEventJson } from '../model/misp-json.js';
import type { RemoteSighting } from '../model/remote-sighting.js';
import type { MispRemote } from '../remote/misp-remote.js';
import type { RemoteIndexEntry } from '../remote/parse-index.js';
import { aServer, REMOTE_ORG, uuidFor } from '../test-support/builders.js';
import { createMemoryStateStore } from '../test-support/memory-state-store.js';
import { pullSightings } from './pull-sightings.js';
import { pushSightings } from './push-sightings.js';
import type { SightingLocalSide, SightingPushCandidate } from './sighting-ports.js';

const sighting = (n: number, event: number, extra: JsonObject = {}): JsonObject => ({
  uuid: uuidFor(n, 7), attribute_uuid: uuidFor(event, 2), event_uuid: uuidFor(event, 1), date_sighting: '1700000000', type: '0', source: 's', Organisation: { uuid: REMOTE_ORG.uuid, name: REMOTE_ORG.name }, ...extra,
});

/** A remote with an event index and per-event sightings; `failOn` makes restSearch throw for a chunk containing that event. */
function stubRemote(index: RemoteIndexEntry[], sightings: Map<string, JsonObject[]>, opts: { failOn?: string; calls?: string[] } = {}): MispRemote {
  const remote: Partial<MispRemote> = {
    getVersion: async () => ({ version: '2.5.2', permSync: true, raw: { filter_sightings: true } }),
    eventIndex: async (q) => {
      opts.calls?.push(`index ${JSON.stringify(q?.filters ?? {})}`);
      return (q?.page ?? 1) === 1 ? index : [];
    },
    restSearchSightings: async (uuids) => {
      opts.calls?.push(`restSearch ${uuids.join(',')}`);
      if (opts.failOn !== undefined && uuids.includes(opts.failOn)) throw new UnavailableError('connection reset');
      return uuids.flatMap((u) => sightings.get(u) ?? []);
    },
  };
  return remote as MispRemote;
}

function memorySide(knownEvents: string[]): SightingLocalSide & { saved: Map<string, RemoteSighting> } {
  const saved = new Map<string, RemoteSighting>();
  return {
    saved,
    eventTimestamps: async (uuids) => new Map(uuids.filter((u) => knownEvents.includes(u)).map((u) => [u, 1])),
    saveSightings: async (_s, _e, list) => {
      let added = 0;
      for (const s of list) {
        if (saved.has(s.uuid)) continue;
        saved.set(s.uuid, s);
        added++;
      }
      return added;
    },
    sightingEventsForPush: async () => [],
    sightingsForPush: async () => [],
  };
}

const row = (n: number, sts: number): RemoteIndexEntry => ({ uuid: uuidFor(n, 1), timestamp: 100, sightingTimestamp: sts, published: true });

describe('pullSightings', () => {
  const server = aServer({ pull: true });

  it('saves new sightings of events known here, asks with the cursor, and saves each sighting once', async () => {
    const state = createMemoryStateStore();
    const local = memorySide([uuidFor(1, 1), uuidFor(2, 1)]);
    const calls: string[] = [];
    const remote = stubRemote([row(1, 500), row(2, 600), row(3, 700), row(4, 0)], new Map([[uuidFor(1, 1), [sighting(1, 1), sighting(2, 1)]], [uuidFor(2, 1), [sighting(3, 2)]]]), { calls });
    const first = await pullSightings(server, { local, state, remote, clock: () => 1_800_000_000_000 });
    expect(first).toMatchObject({ candidates: 2, sent: 3, saved: 3, failed: 0, aborted: false });
    // Event 3 is not here (it comes with the event pull); the cursor passes it.
    expect(first.cursor).toEqual({ timestamp: 700, uuid: uuidFor(3, 1) });
    expect(calls).toContain(`restSearch ${uuidFor(1, 1)},${uuidFor(2, 1)}`);
    const again = await pullSightings(server, { local, state, remote });
    // Only the overlap window (cursor − 120 s) is asked again; the remote ignoring the filter changes nothing.
    expect(again).toMatchObject({ candidates: 1, saved: 0, unchanged: 1 });
    expect(calls.at(-2)).toBe('index {"sighting_timestamp":580}');
    expect(local.saved.size).toBe(3);
  });

  it('refuses an event whose sightings hold garbage, logs it, and keeps the cursor before it', async () => {
    const state = createMemoryStateStore();
    const local = memorySide([uuidFor(1, 1), uuidFor(2, 1)]);
    const remote = stubRemote([row(1, 500), row(2, 600)], new Map([[uuidFor(1, 1), [sighting(1, 1), sighting(2, 1, { type: '9' })]], [uuidFor(2, 1), [sighting(3, 2)]]]));
    const r = await pullSightings(server, { local, state, remote });
    expect(r).toMatchObject({ saved: 1, failed: 1 });
    expect(r.errors[0]).toMatchObject({ eventUuid: uuidFor(1, 1), code: 'invalid_input' });
    expect([...local.saved.keys()], 'nothing of the broken event is half-saved').toEqual([uuidFor(3, 7)]);
    expect(state.entries.some((e) => e.level === 'error' && e.eventUuid === uuidFor(1, 1) && /type/.test(e.message))).toBe(true);
    expect(r.cursor).toEqual({ timestamp: 499, uuid: 'ffffffff-ffff-ffff-ffff-ffffffffffff' });
  });

  it('stops at an outage and resumes from the first unsaved event', async () => {
    const state = createMemoryStateStore();
    const local = memorySide([1, 2, 3].map((n) => uuidFor(n, 1)));
    const index = [row(1, 500), row(2, 600), row(3, 700)];
    const all = new Map([1, 2, 3].map((n) => [uuidFor(n, 1), [sighting(n, n)]]));
    const broken = await pullSightings(server, { local, state, remote: stubRemote(index, all, { failOn: uuidFor(2, 1) }), chunkSize: 1 });
    expect(broken).toMatchObject({ aborted: true, saved: 1, failed: 1 });
    expect(broken.cursor).toEqual({ timestamp: 500, uuid: uuidFor(1, 1) });
    const healed = await pullSightings(server, { local, state, remote: stubRemote(index, all), chunkSize: 1, overlapSeconds: 0 });
    expect(healed).toMatchObject({ saved: 2, failed: 0 });
    expect(local.saved.size).toBe(3);
  });

  it('is off when the server does not pull', async () => {
    const r = await pullSightings(aServer({ pull: false }), { local: memorySide([]), state: createMemoryStateStore(), remote: stubRemote([], new Map()) });
    expect(r.disabled).toBe(true);
  });
});

describe('pushSightings', () => {
  const server = aServer({ push: true, pushSightings: true, remoteOrgUuid: REMOTE_ORG.uuid });
  const event = (n: number, extra: JsonObject = {}): MispEventJson => ({ uuid: uuidFor(n, 1), published: true, distribution: '3', ...extra });
  const local = (candidates: SightingPushCandidate[]): SightingLocalSide => ({
    eventTimestamps: async () => new Map(),
    saveSightings: async () => 0,
    sightingEventsForPush: async (_s, after, limit) => candidates.filter((c) => after === undefined || c.sightingTimestamp > after.timestamp).slice(0, limit),
    sightingsForPush: async (_s, uuid) => [{ uuid: uuidFor(Number(uuid.slice(-1)), 7), attributeUuid: uuidFor(1, 2), eventUuid: uuid, dateSighting: 1, type: 0, source: 'x' }],
  });
  function remote(opts: { missing?: string; failOn?: string; sent: string[] }): MispRemote {
    const r: Partial<MispRemote> = {
      getVersion: async () => ({ version: '2.5.2', permSync: true, raw: { filter_sightings: true } }),
      filterSightingUuidsForPush: async (uuid) => {
        if (uuid === opts.missing) throw new NotFoundError('Event not found');
        return [];
      },
      bulkSaveSightings: async (uuid, list) => {
        if (uuid === opts.failOn) throw new UnavailableError('connection reset');
        opts.sent.push(uuid);
        return list.length;
      },
    };
    return r as MispRemote;
  }
  const candidates = [
    { uuid: uuidFor(1, 1), sightingTimestamp: 10, event: event(1) },
    { uuid: uuidFor(2, 1), sightingTimestamp: 20, event: event(2, { distribution: '1' }) },
    { uuid: uuidFor(3, 1), sightingTimestamp: 30, event: event(3) },
    { uuid: uuidFor(4, 1), sightingTimestamp: 40, event: event(4) },
  ];

  it('sends what distribution allows to events the remote has, and resumes after an outage', async () => {
    const state = createMemoryStateStore();
    const sent: string[] = [];
    const broken = await pushSightings(server, { local: local(candidates), state, remote: remote({ missing: uuidFor(3, 1), failOn: uuidFor(4, 1), sent }) });
    expect(broken).toMatchObject({ aborted: true, candidates: 4, saved: 1, skipped: 2, failed: 1 });
    expect(sent).toEqual([uuidFor(1, 1)]);
    expect(broken.cursor).toEqual({ timestamp: 30, uuid: uuidFor(3, 1) });
    const healed = await pushSightings(server, { local: local(candidates), state, remote: remote({ sent }) });
    expect(healed).toMatchObject({ candidates: 1, saved: 1, failed: 0 });
    expect(sent).toEqual([uuidFor(1, 1), uuidFor(4, 1)]);
  });

  it('needs push and pushSightings', async () => {
    const r = await pushSightings(aServer({ push: true, pushSightings: false }), { local: local(candidates), state: createMemoryStateStore(), remote: remote({ sent: [] }) });
    expect(r.disabled).toBe(true);
  });
});
