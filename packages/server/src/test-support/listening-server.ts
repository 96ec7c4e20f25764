import { createServer } from 'node:net';
import { startTestServer, type TestServer } from './test-server.js';

/** Makes a test server listen on a free port of 127.0.0.1 and returns its base URL. */
export async function listen(s: TestServer): Promise<string> {
  await s.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${String((s.app.server.address() as { port: number }).port)}`;
}

/** A real waggle server (SQLite store, in-memory bus) listening on 127.0.0.1. */
export interface ListeningServer {
  readonly server: TestServer;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A port that was free a moment ago (for "server down, then up on the same port" tests). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Starts the in-process test server and makes it listen on 127.0.0.1 (`port` 0 picks one). */
export async function startListeningServer(port = 0): Promise<ListeningServer> {
  const server = await startTestServer('sqlite');
  await server.app.listen({ host: '127.0.0.1', port });
  const actual = (server.app.server.address() as { port: number }).port;
  return { server, url: `http://127.0.0.1:${String(actual)}`, port: actual, close: () => server.close() };
}
