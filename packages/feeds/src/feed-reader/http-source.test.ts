import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, NotFoundError, TooLargeError, UnavailableError, type WaggleError } from '@waggle/errors';
import { anAttribute, anEvent } from '../test-support/an-event.js';
import { toFeedEvent } from '../feed-writer/to-feed-event.js';
import { readFeedHashes } from './feed-hash-index.js';
import { fetchFeedEvent } from './fetch-feed-event.js';
import { httpSource } from './http-source.js';
import { pullFeed, type PulledFeedEvent } from './pull-feed.js';
import { readManifest } from './read-manifest.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const U = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const feedJson = (n: number): string => JSON.stringify(toFeedEvent(anEvent({ uuid: U(n), timestamp: String(1000 + n) }, [anAttribute({ value: `192.0.2.${n}` })]))?.feedEvent);
const manifestOf = (...ns: number[]): string =>
  JSON.stringify(Object.fromEntries(ns.map((n) => [U(n), { info: `event ${n}`, timestamp: 1000 + n, Orgc: { name: 'ACME', uuid: U(99) }, Tag: [] }])));

const routes = new Map<string, Handler>();
const sockets = new Set<Socket>();
let server: Server;
let base: string;
const seenAuth: (string | undefined)[] = [];

const json = (body: string): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
};

beforeAll(async () => {
  server = createServer((req, res) => {
    seenAuth.push(req.headers.authorization);
    const handler = routes.get(req.url ?? '');
    if (handler) handler(req, res);
    else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  routes.set('/good/manifest.json', json(manifestOf(1, 2, 3, 4)));
  routes.set(`/good/${U(1)}.json`, json(feedJson(1)));
  // U(2) is missing: 404
  routes.set(`/good/${U(3)}.json`, json('{"Event": {"uuid": '));
  routes.set(`/good/${U(4)}.json`, json(feedJson(4)));
  routes.set('/good/hashes.csv', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.write('d41d8cd98f00b204e9800998ecf8427e,');
    setTimeout(() => res.end(`${U(1)}\r\n`), 5);
  });
  routes.set(`/mixed/${U(5)}.json`, json(feedJson(4)));
  routes.set('/broken/manifest.json', json(JSON.stringify({ [U(1)]: { info: 'ok', timestamp: 1 }, [U(2)]: { info: 'bad', timestamp: 'soon' } })));
  routes.set('/notjson/manifest.json', json('<html>maintenance</html>'));
  routes.set('/truncated/manifest.json', (_req, res) => {
    res.writeHead(200, { 'content-length': '5000' });
    res.write('{"00000000-');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  routes.set('/hang/manifest.json', () => undefined);
  routes.set('/stall/manifest.json', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
  });
  routes.set('/big/manifest.json', json(' '.repeat(5000)));
  routes.set('/bigchunked/manifest.json', (_req, res) => {
    res.writeHead(200);
    for (let i = 0; i < 10; i++) res.write(' '.repeat(1000));
    res.end('{}');
  });
  routes.set('/down/manifest.json', (_req, res) => {
    res.writeHead(503);
    res.end('busy');
  });
  routes.set('/forbidden/manifest.json', (_req, res) => {
    res.writeHead(403);
    res.end('no');
  });
  routes.set('/moved/manifest.json', (_req, res) => {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
    res.end();
  });
  routes.set('/latin1/manifest.json', (_req, res) => {
    res.writeHead(200);
    res.end(Buffer.from([0x7b, 0xe9, 0x7d]));
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function errorOf(promise: Promise<unknown>): Promise<WaggleError> {
  return (await promise.then(() => expect.unreachable('should have failed'), (e: unknown) => e)) as WaggleError;
}

describe('httpSource', () => {
  it('pulls a feed, reporting the missing and the broken event file without stopping', async () => {
    const source = httpSource(`${base}/good`, { headers: { Authorization: 'Bearer s3cret' } });
    const items: PulledFeedEvent[] = [];
    let gone: readonly string[] = [];
    for await (const item of pullFeed(source, new Map([[U(4), 1004], [U(7), 1]]), { concurrency: 2, onPlan: (p) => (gone = p.gone) })) items.push(item);
    expect(gone).toEqual([U(7)]);
    expect(items.map((i) => i.uuid)).toEqual([U(1), U(2), U(3)]);
    const [one, two, three] = items;
    expect(one && 'event' in one ? one.event.Event.Attribute[0]?.value : undefined).toBe('192.0.2.1');
    const missing = two && 'error' in two ? two.error : undefined;
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing?.message).toContain(`${base}/good/${U(2)}.json`);
    const broken = three && 'error' in three ? three.error : undefined;
    expect(broken).toBeInstanceOf(InputError);
    expect(broken?.message).toMatch(new RegExp(`${U(3)}\\.json is not valid JSON`));
    expect(seenAuth.at(-1)).toBe('Bearer s3cret');
  });

  it('streams hashes.csv', async () => {
    const index = await readFeedHashes(httpSource(`${base}/good/`));
    expect(index.lookupHash('D41D8CD98F00B204E9800998ECF8427E')).toEqual([U(1)]);
    expect(index.lookup('')).toEqual([U(1)]);
  });

  it('refuses an event file whose uuid is not its name', async () => {
    const error = await errorOf(fetchFeedEvent(httpSource(`${base}/mixed`), U(5)));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/does not match the file name/);
  });

  it('names the bad manifest entry', async () => {
    const error = await errorOf(readManifest(httpSource(`${base}/broken`)));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(`${base}/broken/manifest.json: entry "${U(2)}": timestamp must be a whole number`);
  });

  it('reports a body that is not JSON', async () => {
    const error = await errorOf(readManifest(httpSource(`${base}/notjson`)));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/manifest\.json is not valid JSON/);
  });

  it('reports a body cut off before its Content-Length as retryable', async () => {
    const error = await errorOf(readManifest(httpSource(`${base}/truncated`)));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`${base}/truncated/manifest.json`);
  });

  it.each(['hang', 'stall'])('times out a server that does not answer (%s)', async (path) => {
    const started = Date.now();
    const error = await errorOf(readManifest(httpSource(`${base}/${path}`, { timeoutMs: 300 })));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(/no complete answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each(['big', 'bigchunked'])('refuses a body over the size limit (%s)', async (path) => {
    const error = await errorOf(readManifest(httpSource(`${base}/${path}`, { maxBytes: 2000 })));
    expect(error).toBeInstanceOf(TooLargeError);
    expect(error.message).toContain('limit of 2000');
  });

  it('tells a busy server (retryable) from a refusal (not retryable)', async () => {
    const busy = await errorOf(readManifest(httpSource(`${base}/down`)));
    expect(busy).toBeInstanceOf(UnavailableError);
    expect(busy.message).toMatch(/HTTP 503/);
    const refused = await errorOf(readManifest(httpSource(`${base}/forbidden`)));
    expect(refused.code).toBe('unavailable');
    expect(refused.retryable).toBe(false);
    expect(refused.message).toMatch(/HTTP 403/);
  });

  it('does not follow redirects', async () => {
    const error = await errorOf(readManifest(httpSource(`${base}/moved`)));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/redirects \(HTTP 302\) to http:\/\/169\.254\.169\.254/);
  });

  it('refuses text that is not UTF-8', async () => {
    const error = await errorOf(readManifest(httpSource(`${base}/latin1`)));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/not valid UTF-8/);
  });

  it('reports a closed port as unavailable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await errorOf(readManifest(httpSource(`http://127.0.0.1:${port}/feed`)));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toContain(`http://127.0.0.1:${port}/feed/manifest.json could not be read`);
  });

  it('refuses bad configuration and names outside the feed', async () => {
    expect(() => httpSource('ftp://example.org/feed')).toThrow(/http or https/);
    expect(() => httpSource('not a url')).toThrow(InputError);
    expect(() => httpSource(`${base}/good`, { timeoutMs: 0, maxBytes: -1 })).toThrow(/timeoutMs.*maxBytes/);
    const source = httpSource(`${base}/good`);
    await expect(source.readText('../secret')).rejects.toThrow(/not a feed file name/);
    await expect(fetchFeedEvent(source, '../../x')).rejects.toThrow(/not an event UUID/);
    await expect(pullFeed(source, new Map(), { concurrency: 0 }).next()).rejects.toThrow(/concurrency/);
  });
});
