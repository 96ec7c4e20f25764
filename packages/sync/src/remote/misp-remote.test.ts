import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { AuthenticationError, ForbiddenError, InputError, NotFoundError, Secret, UnavailableError, type WaggleError } from '@waggle/errors';
import { aServer, anEvent } from '../test-support/builders.js';
import { startFakeRemote, type FakeRemote } from '../test-support/fake-remote.js';
import { createMispRemote, type MispRemote } from './misp-remote.js';
import type { RemoteRequestLog } from './http-request.js';
import { RemoteProtocolError } from './remote-protocol-error.js';

let fake: FakeRemote;
let remote: MispRemote;
let logs: RemoteRequestLog[];

beforeEach(async () => {
  fake = await startFakeRemote();
  logs = [];
  remote = createMispRemote(aServer({ url: fake.url, authkey: new Secret(fake.authkey) }), { timeoutMs: 500, onRequest: (l) => logs.push(l) });
});
afterEach(async () => {
  await fake.close();
});

async function failure(p: Promise<unknown>): Promise<WaggleError> {
  try {
    await p;
  } catch (error) {
    return error as WaggleError;
  }
  throw new Error('expected a failure');
}

describe('createMispRemote', () => {
  it('sends MISP headers and a waggle User-Agent', async () => {
    expect((await remote.getVersion()).version).toBe('2.5.2');
    const request = fake.requests[0];
    expect(request?.headers.authorization).toBe(fake.authkey);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^waggle-sync\//);
    expect(JSON.stringify(logs)).not.toContain(fake.authkey);
    expect(logs[0]).toMatchObject({ method: 'GET', status: 200 });
  });

  it('lists the index with MISP minimal filters and normalises rows', async () => {
    const a = anEvent({ timestamp: '1700000100' });
    const b = anEvent({ timestamp: '1700000200', published: false });
    fake.put(a);
    fake.put(b);
    const rows = await remote.eventIndex({ published: true, timestamp: 1700000050, page: 1, limit: 10 });
    expect(rows).toEqual([{ uuid: a.uuid, timestamp: 1700000100, sightingTimestamp: 0, published: true, orgcUuid: '11111111-1111-4111-8111-111111111111' }]);
    expect(fake.requests.at(-1)?.body).toMatchObject({ minimal: 1, published: 1, timestamp: 1700000050, page: 1, limit: 10, sort: 'timestamp', direction: 'asc' });
    // Full (non-minimal) rows carry Orgc instead of orgc_uuid.
    const full = await remote.eventIndex({ minimal: false });
    expect(full.map((r) => r.orgcUuid)).toEqual(['11111111-1111-4111-8111-111111111111', '11111111-1111-4111-8111-111111111111']);
  });

  it('views events with deleted attributes and excluded local tags', async () => {
    const event = anEvent({ Attribute: [{ uuid: 'x', type: 'ip-dst', value: '1.2.3.4', deleted: true, timestamp: '1' }] });
    fake.put(event);
    const viewed = await remote.viewEvent(event.uuid);
    expect(viewed.Attribute).toHaveLength(1);
    expect(fake.requests.at(-1)?.path).toBe(`/events/view/${event.uuid}/deleted:1/includeSightings:1/excludeGalaxy:1/includeEventCorrelations:0/includeFeedCorrelations:0/includeWarninglistHits:0/excludeLocalTags:1`);
    expect(await remote.eventExists(event.uuid)).toBe(true);
    expect(await remote.eventExists('00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(await failure(remote.viewEvent('00000000-0000-4000-8000-000000000000'))).toBeInstanceOf(NotFoundError);
    expect(await failure(remote.viewEvent('../admin'))).toBeInstanceOf(InputError);
  });

  it('pushes with add, then edit on a second push, then reports unchanged', async () => {
    const event = anEvent({ timestamp: '1700000000' });
    expect(await remote.pushEvent(event)).toBe('created');
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`HEAD /events/view/${event.uuid}`, 'POST /events/add/metadata:1']);
    expect(fake.requests[1]?.body).toEqual({ Event: event });
    expect(await remote.pushEvent({ ...event, timestamp: '1700000001' })).toBe('updated');
    expect(fake.requests.at(-1)?.path).toBe(`/events/edit/${event.uuid}/metadata:1`);
    expect(await remote.pushEvent({ ...event, timestamp: '1700000001' })).toBe('unchanged');
  });

  it('falls back to edit when add says the event exists (HEAD failing)', async () => {
    const event = anEvent();
    fake.put(event);
    fake.faults.push({ method: 'HEAD', pathPrefix: '/events/view', kind: 'status', status: 403, times: 1 });
    expect(await remote.pushEvent({ ...event, timestamp: '1800000000' })).toBe('updated');
    expect(fake.requests.map((r) => r.path.split('/').slice(0, 3).join('/'))).toEqual(['/events/view', '/events/add', '/events/edit']);
  });

  it('adds sightings and searches them', async () => {
    const event = anEvent();
    fake.put({ ...event, Attribute: [{ uuid: 'a', Sighting: [{ uuid: 's', type: '0' }] }] });
    await remote.addSighting('00000000-0000-4000-8000-0000000000aa', { type: 0, source: 'honeypot', timestamp: 1700000000 });
    expect(fake.sightings[0]).toEqual({ attributeUuid: '00000000-0000-4000-8000-0000000000aa', body: { type: '0', source: 'honeypot', timestamp: '1700000000' } });
    expect(await remote.restSearchSightings([event.uuid])).toEqual([{ uuid: 's', type: '0' }]);
  });
});

describe('createMispRemote errors', () => {
  it('wrong key → AuthenticationError, key not in the message', async () => {
    const bad = createMispRemote(aServer({ url: fake.url, authkey: new Secret('wrong-key-123') }));
    const error = await failure(bad.getVersion());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/authentication failed/i);
    expect(error.message).not.toContain('wrong-key-123');
  });

  it('garbage and wrongly shaped JSON → non-retryable RemoteProtocolError', async () => {
    fake.faults.push({ pathPrefix: '/servers/getVersion', kind: 'garbage', times: 1 });
    const garbage = await failure(remote.getVersion());
    expect(garbage).toBeInstanceOf(RemoteProtocolError);
    expect(garbage.retryable).toBe(false);
    expect(garbage.message).toMatch(/not JSON: "<html>/);
    fake.faults.push({ pathPrefix: '/events/index', kind: 'wrong-shape', times: 1 });
    expect((await failure(remote.eventIndex())).message).toMatch(/JSON array/);
    fake.faults.push({ pathPrefix: '/events/view', kind: 'wrong-shape', times: 1 });
    expect(await failure(remote.viewEvent(anEvent().uuid))).toBeInstanceOf(RemoteProtocolError);
  });

  it('HTTP 500 → retryable UnavailableError naming the URL', async () => {
    fake.faults.push({ pathPrefix: '/events/index', kind: 'status', status: 500 });
    const error = await failure(remote.eventIndex());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`${fake.url}/events/index`);
    expect(error.message).toContain('500');
  });

  it('4xx with a MISP body → InputError carrying the remote message; 403 → ForbiddenError', async () => {
    fake.faults.push({ pathPrefix: '/events/index', kind: 'status', status: 400, times: 1 });
    const input = await failure(remote.eventIndex());
    expect(input).toBeInstanceOf(InputError);
    expect(input.message).toContain('Internal error');
    fake.faults.push({ pathPrefix: '/events/index', kind: 'status', status: 403, times: 1 });
    expect(await failure(remote.eventIndex())).toBeInstanceOf(ForbiddenError);
  });

  it('a remote that hangs → UnavailableError after the timeout', async () => {
    fake.faults.push({ pathPrefix: '/servers/getVersion', kind: 'hang' });
    const started = Date.now();
    const error = await failure(remote.getVersion());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(/timed out after 500 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a connection cut mid-body → UnavailableError', async () => {
    const event = anEvent();
    fake.put(event);
    fake.faults.push({ pathPrefix: '/events/view', kind: 'cut' });
    const error = await failure(remote.viewEvent(event.uuid));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toContain(`${fake.url}/events/view/${event.uuid}`);
  });

  it('connection refused → UnavailableError', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const closed = createMispRemote(aServer({ url: `http://127.0.0.1:${port}` }), { timeoutMs: 2000 });
    const error = await failure(closed.getVersion());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(/ECONNREFUSED|fetch failed/);
  });
});
