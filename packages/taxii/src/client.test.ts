import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ForbiddenError, InputError, NotFoundError, Secret, TooLargeError, UnavailableError, WaggleError } from '@waggle/errors';
import { createTaxiiClient, TAXII_MEDIA_TYPE, type StixLike } from './index.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;
const servers: Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => handler(req, res, new URL(req.url ?? '/', 'http://x')));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/taxii2/`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

function taxii(res: ServerResponse, body: unknown, headers: Record<string, string> = {}, status = 200): void {
  res.writeHead(status, { 'content-type': TAXII_MEDIA_TYPE, ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const obj = (n: number): StixLike => ({ type: 'indicator', id: `indicator--${String(n).padStart(8, '0')}-0000-4000-8000-000000000000` });

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function failure(p: Promise<unknown>): Promise<WaggleError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WaggleError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('TAXII client', () => {
  it('sends Accept and credentials (Basic, or a raw header) and resolves relative API roots', async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((req, res, u) => {
      seen.push(`${u.pathname} ${req.headers.accept} ${req.headers.authorization ?? req.headers['x-api-key']}`);
      if (u.pathname === '/taxii2/') taxii(res, { title: 'T', api_roots: ['/root1/'] });
      else taxii(res, { title: 'R', versions: ['application/taxii+json; version=2.1'], max_content_length: 100 });
    });
    const basic = createTaxiiClient({ url, auth: { username: 'u', password: new Secret('k') } });
    const d = await basic.discovery();
    expect(d.api_roots).toEqual(['/root1/']);
    expect((await basic.apiRoot(d.api_roots?.[0] as string)).max_content_length).toBe(100);
    await createTaxiiClient({ url, auth: { header: 'X-Api-Key', value: 'abc' } }).apiRoot('/root1');
    expect(seen).toEqual([`/taxii2/ ${TAXII_MEDIA_TYPE} Basic dTpr`, `/root1/ ${TAXII_MEDIA_TYPE} Basic dTpr`, `/root1/ ${TAXII_MEDIA_TYPE} abc`]);
  });

  it('pages with next and stops when more is false', async () => {
    const queries: string[] = [];
    const url = await serve((_req, res, u) => {
      queries.push(u.search);
      const start = Number(u.searchParams.get('next') ?? 0);
      const objects = [0, 1, 2].map((i) => obj(start + i)).filter((_, i) => start + i < 7);
      const more = start + 3 < 7;
      taxii(res, { more, ...(more ? { next: String(start + 3) } : {}), objects });
    });
    const c = createTaxiiClient({ url });
    const got = await drain(c.objects('/api/', 'c1', { limit: 3, match: { type: ['indicator'] } }));
    expect(got.map((o) => o.id)).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => obj(n).id));
    expect(queries).toEqual(['?limit=3&match%5Btype%5D=indicator', '?limit=3&match%5Btype%5D=indicator&next=3', '?limit=3&match%5Btype%5D=indicator&next=6']);
  });

  it('falls back to X-TAXII-Date-Added-Last + added_after when more comes without next', async () => {
    const day = (n: number): string => `2024-01-${String(n + 1).padStart(2, '0')}T00:00:00.000Z`;
    const queries: (string | null)[] = [];
    const url = await serve((_req, res, u) => {
      const after = u.searchParams.get('added_after');
      queries.push(after);
      const all = [0, 1, 2, 3, 4].filter((n) => after === null || day(n) > after);
      const page = all.slice(0, 2);
      taxii(res, { more: all.length > 2, objects: page.map(obj) }, page.length > 0 ? { 'X-TAXII-Date-Added-First': day(page[0] as number), 'X-TAXII-Date-Added-Last': day(page[page.length - 1] as number) } : {});
    });
    const got = await drain(createTaxiiClient({ url }).objects('/api/', 'c1'));
    expect(got.map((o) => o.id)).toEqual([0, 1, 2, 3, 4].map((n) => obj(n).id));
    expect(queries).toEqual([null, day(1), day(3)]);
  });

  it('refuses paging that cannot move forward instead of looping', async () => {
    const sameNext = await serve((_req, res) => taxii(res, { more: true, next: 'again', objects: [obj(1)] }));
    expect((await failure(drain(createTaxiiClient({ url: sameNext }).objects('/api/', 'c')))).message).toMatch(/same next token/);
    const noWay = await serve((_req, res) => taxii(res, { more: true, objects: [obj(1)] }));
    expect((await failure(drain(createTaxiiClient({ url: noWay }).objects('/api/', 'c')))).message).toMatch(/neither next nor X-TAXII-Date-Added-Last/);
    const stuck = await serve((_req, res) => taxii(res, { more: true, objects: [obj(1)] }, { 'X-TAXII-Date-Added-Last': '2024-01-01T00:00:00Z' }));
    expect((await failure(drain(createTaxiiClient({ url: stuck }).objects('/api/', 'c')))).message).toMatch(/does not advance/);
    const badHeader = await serve((_req, res) => taxii(res, { more: true, objects: [] }, { 'X-TAXII-Date-Added-Last': 'soon' }));
    expect((await failure(drain(createTaxiiClient({ url: badHeader }).objects('/api/', 'c')))).message).toMatch(/not a timestamp/);
  });

  it('checks content type, JSON and resource shapes strictly', async () => {
    const cases: [Handler, RegExp][] = [
      [(_q, res) => (res.writeHead(200, { 'content-type': 'application/json' }), res.end('{}')), /Content-Type "application\/json"/],
      [(_q, res) => (res.writeHead(200, { 'content-type': 'application/taxii+json;version=2.0' }), res.end('{}')), /Content-Type/],
      [(_q, res) => taxii(res, '<html>oops</html>'), /not valid JSON/],
      [(_q, res) => taxii(res, '[1,2]'), /not a JSON object/],
      [(_q, res) => taxii(res, { objects: [{ type: 'indicator' }] }), /envelope object #0 whose "id" is missing/],
      [(_q, res) => taxii(res, { objects: 'lots' }), /"objects" is not a list/],
      [(_q, res) => taxii(res, { more: 'yes', objects: [] }), /"more" is not a boolean/],
      [(_q, res) => taxii(res, { objects: [null] }), /not a JSON object/],
    ];
    for (const [handler, message] of cases) {
      const url = await serve(handler);
      const e = await failure(drain(createTaxiiClient({ url }).objects('/api/', 'c')));
      expect(e.code).toBe('unavailable');
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(message);
    }
    const noVersions = await serve((_q, res) => taxii(res, { title: 'R', versions: ['application/taxii+json;version=2.0'], max_content_length: 1 }));
    expect((await failure(createTaxiiClient({ url: noVersions }).apiRoot('/r/'))).message).toMatch(/does not offer application\/taxii\+json;version=2.1/);
    const noTitle = await serve((_q, res) => taxii(res, { api_roots: [] }));
    expect((await failure(createTaxiiClient({ url: noTitle }).discovery())).message).toMatch(/"title" is missing/);
    const wrongCollection = await serve((_q, res) => taxii(res, { id: 'other', title: 'x', can_read: true, can_write: false }));
    expect((await failure(createTaxiiClient({ url: wrongCollection }).collection('/r/', 'mine'))).message).toMatch(/collection "other" instead of "mine"/);
    const badCollections = await serve((_q, res) => taxii(res, { collections: [{ id: 'a', title: 't', can_read: 'yes', can_write: false }] }));
    expect((await failure(createTaxiiClient({ url: badCollections }).collections('/r/'))).message).toMatch(/"can_read" is not a boolean/);
    const badStatus = await serve((_q, res) => taxii(res, { id: 's', status: 'complete', total_count: 2, success_count: 1, failure_count: 0, pending_count: 0 }, {}, 202));
    expect((await failure(createTaxiiClient({ url: badStatus }).addObjects('/r/', 'c', [obj(1)]))).message).toMatch(/do not add up/);
  });

  it('maps HTTP errors to waggle errors, with the server explanation', async () => {
    const expectations: [number, new (...a: never[]) => WaggleError, boolean][] = [
      [400, InputError, false],
      [401, ForbiddenError, false],
      [403, ForbiddenError, false],
      [404, NotFoundError, false],
      [413, TooLargeError, false],
      [429, UnavailableError, true],
      [500, UnavailableError, true],
      [503, UnavailableError, true],
      [406, WaggleError, false],
    ];
    for (const [status, cls, retryable] of expectations) {
      const url = await serve((_q, res) => taxii(res, { title: 'Nope', description: `because ${status}` }, {}, status));
      const e = await failure(createTaxiiClient({ url }).discovery());
      expect(e, String(status)).toBeInstanceOf(cls);
      expect(e.retryable).toBe(retryable);
      expect(e.message).toContain(`HTTP ${status}: Nope — because ${status}`);
    }
  });

  it('times out on a server that never answers, or stalls mid-body', async () => {
    const hang = await serve(() => undefined);
    const started = Date.now();
    const e = await failure(createTaxiiClient({ url: hang, timeoutMs: 200 }).discovery());
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.message).toMatch(/did not answer .* within 200 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    const stall = await serve((_q, res) => {
      res.writeHead(200, { 'content-type': TAXII_MEDIA_TYPE });
      res.write('{"title": "half');
    });
    expect(await failure(createTaxiiClient({ url: stall, timeoutMs: 200 }).discovery())).toBeInstanceOf(UnavailableError);
  });

  it('refuses oversized answers and unreachable servers', async () => {
    const big = await serve((_q, res) => taxii(res, { title: 'x'.repeat(5000) }));
    expect((await failure(createTaxiiClient({ url: big, maxResponseBytes: 1000 }).discovery())).message).toMatch(/over the 1000-byte limit/);
    const chunked = await serve((_q, res) => {
      res.writeHead(200, { 'content-type': TAXII_MEDIA_TYPE, 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 10; i++) res.write(' '.repeat(500));
      res.end('{}');
    });
    expect((await failure(createTaxiiClient({ url: chunked, maxResponseBytes: 1000 }).discovery())).message).toMatch(/over the 1000-byte limit/);
    const closed = await serve(() => undefined);
    const port = new URL(closed).port;
    await new Promise((resolve) => (servers.pop() as Server).close(resolve));
    const e = await failure(createTaxiiClient({ url: `http://127.0.0.1:${port}/taxii2/` }).discovery());
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.message).toMatch(/Could not reach/);
  });

  it('refuses bad configuration and bad options before any request', () => {
    expect(() => createTaxiiClient({ url: 'not a url' })).toThrow(InputError);
    expect(() => createTaxiiClient({ url: 'ftp://x/taxii2/' })).toThrow(/http\(s\)/);
    expect(() => createTaxiiClient({ url: 'https://u:p@x/taxii2/' })).toThrow(/not in the URL/);
    expect(() => createTaxiiClient({ url: 'https://x/', timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createTaxiiClient({ url: 'https://x/', auth: { username: 'a:b', password: 'p' } })).toThrow(/username/);
    expect(() => createTaxiiClient({ url: 'https://x/', auth: { header: 'bad header', value: 'v' } })).toThrow(/header name/);
    const c = createTaxiiClient({ url: 'https://x/', fetch: () => Promise.reject(new Error('must not be called')) });
    expect(() => c.objects('/api/', 'c', { addedAfter: 'last week' })).toThrow(InputError);
    expect(() => c.objects('/api/', 'c', { limit: 0 })).toThrow(/limit/);
    expect(() => c.manifest('/api/', 'c', { match: { version: ['newest'] } })).toThrow(InputError);
  });
});
