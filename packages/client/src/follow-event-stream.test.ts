import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ForbiddenError, Secret } from '@waggle/errors';
import { followEventStream, reconnectDelay, type StreamDrop, type StreamOpen } from './follow-event-stream.js';
import type { SseMessage } from './sse-stream.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A real HTTP server on 127.0.0.1 whose n-th request (from 0) is answered by `handler`. */
async function serve(handler: Handler): Promise<{ url: string; requests: IncomingMessage[]; server: Server }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length - 1);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/events/stream`, requests, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

const key = new Secret('k'.repeat(40));
const open = (res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(': hello\n\n');
};

describe('followEventStream', () => {
  it('reopens a dropped stream, sending the last event id, and tells what happened', async () => {
    const { url, requests } = await serve((_req, res, n) => {
      open(res);
      if (n === 0) {
        res.write('id: 7\nevent: misp_json_event\ndata: first\n\n');
        // A dropped connection, not a clean end.
        setImmediate(() => res.socket?.destroy());
      } else {
        res.write('id: 8\nevent: misp_json_event\ndata: second\n\n');
      }
    });
    const got: SseMessage[] = [];
    const opens: StreamOpen[] = [];
    const drops: StreamDrop[] = [];
    const f = followEventStream({ url, key, reconnectDelayMs: 10, onMessage: (m) => got.push(m), onOpen: (o) => opens.push(o), onDrop: (d) => drops.push(d) });
    try {
      await vi.waitFor(() => expect(got.map((m) => m.data)).toEqual(['first', 'second']), { timeout: 10_000, interval: 20 });
      expect(requests[0]?.headers['last-event-id']).toBeUndefined();
      expect(requests[1]?.headers['last-event-id']).toBe('7');
      expect(requests[1]?.headers.authorization).toBe('k'.repeat(40));
      expect(opens).toEqual([{ reconnected: false }, { reconnected: true }]);
      expect(drops).toHaveLength(1);
      expect(drops[0]?.wasOpen).toBe(true);
      expect(f.lastEventId).toBe('8');
      expect(f.drops).toBe(1);
    } finally {
      f.close();
      await f.closed;
    }
  });

  it('backs off while the server fails, then resumes', async () => {
    const { url } = await serve((_req, res, n) => {
      if (n < 3) {
        res.writeHead(503).end();
        return;
      }
      open(res);
      res.write('data: back\n\n');
    });
    const got: string[] = [];
    const drops: StreamDrop[] = [];
    const f = followEventStream({ url, key, reconnectDelayMs: 10, maxReconnectDelayMs: 25, random: () => 1, onMessage: (m) => got.push(m.data), onDrop: (d) => drops.push(d) });
    try {
      await vi.waitFor(() => expect(got).toEqual(['back']), { timeout: 10_000, interval: 20 });
      // random() = 1 takes the top of each jittered range: 10, 20, then capped at 25.
      expect(drops.map((d) => d.delayMs)).toEqual([10, 20, 25]);
      expect(drops.every((d) => !d.wasOpen && /HTTP 503/.test(d.error?.message ?? ''))).toBe(true);
    } finally {
      f.close();
      await f.closed;
    }
  });

  it('gives up when the server refuses the key', async () => {
    const { url, requests } = await serve((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"no"}');
    });
    const f = followEventStream({ url, key, reconnectDelayMs: 10, onMessage: () => undefined });
    await expect(f.closed).rejects.toBeInstanceOf(ForbiddenError);
    expect(requests).toHaveLength(1);
  });

  it('stops at once when closed while waiting to reconnect', async () => {
    const { url, server } = await serve((_req, res) => {
      open(res);
    });
    const drops: StreamDrop[] = [];
    let opened = false;
    const f = followEventStream({ url, key, reconnectDelayMs: 3_600_000, maxReconnectDelayMs: 3_600_000, onMessage: () => undefined, onOpen: () => (opened = true), onDrop: (d) => drops.push(d) });
    await vi.waitFor(() => expect(opened).toBe(true), { timeout: 10_000, interval: 20 });
    server.closeAllConnections();
    await vi.waitFor(() => expect(drops).toHaveLength(1), { timeout: 10_000, interval: 20 });
    // An hour's wait is pending; close() must end it (the test would time out otherwise).
    f.close();
    await f.closed;
    expect(drops[0]?.delayMs).toBeGreaterThanOrEqual(1_800_000);
  });

  it('computes capped, jittered delays', () => {
    expect(reconnectDelay(1000, 30_000, 0, () => 0)).toBe(500);
    expect(reconnectDelay(1000, 30_000, 0, () => 1)).toBe(1000);
    expect(reconnectDelay(1000, 30_000, 3, () => 0.5)).toBe(6000);
    expect(reconnectDelay(1000, 30_000, 10, () => 1)).toBe(30_000);
    expect(reconnectDelay(1000, 30_000, 1000, () => 0)).toBe(15_000);
  });
});
