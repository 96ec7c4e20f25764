import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Principal, Store } from '@waggle/core';
import type { SqlConnection } from '@waggle/store';
import { createServices } from '../../services.js';
import type { Services } from '../../http/context.js';
import type { TestServer } from '../../test-support/test-server.js';

/** The services of a test server, built again over its store (the test server keeps its own private). */
export function servicesOf(server: TestServer): Services {
  const store = server.store as Store & { connection: SqlConnection };
  return createServices(server.deps, { db: store.connection.db });
}

/** The admin principal of a test server. */
export async function adminOf(server: TestServer, services: Services): Promise<Principal> {
  return services.auth.authenticate(server.adminKey, '127.0.0.1');
}

/** A node:http server on 127.0.0.1 serving files of `dir`, with switches to misbehave. */
export interface FileServer {
  readonly url: string;
  /** Files (by name) whose body is cut off half-way, the connection then destroyed. */
  readonly cut: Set<string>;
  /** Files answered with this text instead of their content. */
  readonly override: Map<string, string>;
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts a {@link FileServer}. */
export async function serveFolder(dir: string): Promise<FileServer> {
  const cut = new Set<string>();
  const override = new Map<string, string>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').split('?')[0]?.split('/').pop() ?? '');
    requests.push(name);
    const answer = async (): Promise<void> => {
      const body = override.has(name) ? Buffer.from(override.get(name) as string) : await readFile(join(dir, name));
      if (cut.has(name)) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
        return;
      }
      res.writeHead(200, { 'content-type': name.endsWith('.csv') ? 'text/csv' : 'application/json', 'content-length': String(body.length) });
      res.end(body);
    };
    answer().catch(() => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    cut,
    override,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Json = Record<string, unknown>;

/** The parts of an event view that a feed must carry over, in a stable order for comparison. */
export function feedContent(event: Json): Json {
  const attr = (a: Json): Json => ({ uuid: a.uuid, type: a.type, category: a.category, value: a.value, to_ids: a.to_ids, comment: a.comment, object_relation: a.object_relation ?? null, tags: ((a.Tag as Json[] | undefined) ?? []).map((t) => t.name).sort() });
  const byUuid = (x: Json, y: Json): number => String(x.uuid).localeCompare(String(y.uuid));
  return {
    uuid: event.uuid,
    info: event.info,
    date: event.date,
    threat_level_id: event.threat_level_id,
    analysis: event.analysis,
    orgc: (event.Orgc as Json).uuid,
    attributes: ((event.Attribute as Json[]) ?? []).map(attr).sort(byUuid),
    objects: ((event.Object as Json[]) ?? [])
      .map((o) => ({ uuid: o.uuid, name: o.name, attributes: ((o.Attribute as Json[]) ?? []).map(attr).sort(byUuid), references: ((o.ObjectReference as Json[]) ?? []).map((r) => `${String(r.relationship_type)}>${String(r.referenced_uuid)}`).sort() }))
      .sort(byUuid),
  };
}
