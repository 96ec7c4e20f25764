import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isJsonObject, objectsIn, toBool, toInt, toText, type JsonObject, type MispEventJson } from '../model/misp-json.js';
import { mergeEvent } from './merge-event.js';

/** A request the fake remote received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

/** A failure the fake remote plays instead of answering normally. */
export interface Fault {
  readonly method?: string;
  /** Applies to paths starting with this. */
  readonly pathPrefix: string;
  readonly kind: 'garbage' | 'wrong-shape' | 'status' | 'hang' | 'cut';
  readonly status?: number;
  /** How many matching requests fail (default: all). */
  times?: number;
}

/** A MISP-protocol server on 127.0.0.1 over an in-memory event map. */
export interface FakeRemote {
  readonly url: string;
  readonly authkey: string;
  /** Events as the remote stores them (bare, `events/view` shape). */
  readonly events: Map<string, MispEventJson>;
  readonly requests: RecordedRequest[];
  readonly faults: Fault[];
  readonly sightings: { attributeUuid: string; body: JsonObject }[];
  /** What `servers/getVersion` says about the sync user. */
  permSync: boolean;
  /** When false, `events/index` ignores `tag`/`org` filters (a remote that does not support them). */
  honourFilters: boolean;
  put(event: MispEventJson): void;
  /** Requests whose path starts with the prefix (and method, if given). */
  count(pathPrefix: string, method?: string): number;
  close(): Promise<void>;
}

const AUTH_FAILED = 'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.';

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(message: string, url: string, extra: JsonObject = {}): JsonObject {
  return { name: message, message, url, ...extra };
}

/** Splits `/events/view/<uuid>/deleted:1/x:y` into the plain path and CakePHP named parameters. */
function splitNamed(path: string): { base: string; named: Record<string, string> } {
  const named: Record<string, string> = {};
  const segments = path.split('/').filter((segment, i) => {
    const m = i >= 3 ? /^([A-Za-z_][A-Za-z0-9_[\]]*):(.*)$/.exec(decodeURIComponent(segment)) : null;
    if (m === null) return true;
    named[m[1] as string] = m[2] as string;
    return false;
  });
  return { base: segments.join('/'), named };
}

function visibleView(event: MispEventJson, includeDeleted: boolean, excludeLocalTags: boolean): MispEventJson {
  const copy = structuredClone(event);
  const keep = (x: JsonObject): boolean => includeDeleted || !toBool(x.deleted);
  const tags = (x: JsonObject): void => {
    if (excludeLocalTags && Array.isArray(x.Tag)) x.Tag = objectsIn(x.Tag).filter((t) => !toBool(t.local));
  };
  tags(copy);
  const attributes = objectsIn(copy.Attribute).filter(keep);
  attributes.forEach(tags);
  copy.Attribute = attributes;
  copy.Object = objectsIn(copy.Object)
    .filter(keep)
    .map((o) => ({ ...o, Attribute: objectsIn(o.Attribute).filter(keep) }));
  for (const o of copy.Object as JsonObject[]) objectsIn(o.Attribute).forEach(tags);
  return copy;
}

function matchesList(filter: unknown, keys: string[]): boolean {
  const list = (Array.isArray(filter) ? filter : [filter]).map(String);
  const wanted = list.filter((x) => !x.startsWith('!'));
  const refused = list.filter((x) => x.startsWith('!')).map((x) => x.slice(1));
  if (wanted.length > 0 && !wanted.some((w) => keys.includes(w))) return false;
  return !refused.some((r) => keys.includes(r));
}

/** Starts the fake remote on an ephemeral loopback port. */
export async function startFakeRemote(options: { authkey?: string } = {}): Promise<FakeRemote> {
  const authkey = options.authkey ?? 'a'.repeat(40);
  const events = new Map<string, MispEventJson>();
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const sightings: { attributeUuid: string; body: JsonObject }[] = [];
  const sockets = new Set<Socket>();
  let nextId = 1;
  let clock = 1_800_000_000;

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const method = req.method ?? 'GET';
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    requests.push({ method, path, headers: req.headers, body });

    const fault = faults.find((f) => path.startsWith(f.pathPrefix) && (f.method === undefined || f.method === method) && (f.times === undefined || f.times > 0));
    if (fault !== undefined) {
      if (fault.times !== undefined) fault.times--;
      switch (fault.kind) {
        case 'garbage':
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<html><body>Login</body></html>');
          return;
        case 'wrong-shape':
          send(res, 200, { hello: 'world' });
          return;
        case 'status':
          send(res, fault.status ?? 500, errorBody('Internal error', path));
          return;
        case 'hang':
          return; // never answer
        case 'cut':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
          res.write('{"Event":{"uuid":"');
          setTimeout(() => req.socket.destroy(), 20);
          return;
      }
    }

    if (req.headers.authorization !== authkey) {
      send(res, 403, errorBody(AUTH_FAILED, path));
      return;
    }
    const { base, named } = splitNamed(path);
    const parts = base.split('/');
    const bodyObj = isJsonObject(body) ? body : {};

    if (method === 'GET' && base === '/servers/getVersion') {
      send(res, 200, { version: '2.5.2', perm_sync: remote.permSync, perm_sighting: true, filter_sightings: true });
      return;
    }
    if (method === 'POST' && base === '/events/index') {
      const since = toInt(bodyObj.timestamp);
      let rows = [...events.values()].filter((e) => (since === undefined || (toInt(e.timestamp) ?? 0) >= since) && (bodyObj.published === undefined || toBool(e.published) === toBool(bodyObj.published)));
      if (remote.honourFilters && bodyObj.tag !== undefined) rows = rows.filter((e) => matchesList(bodyObj.tag, objectsIn(e.Tag).map((t) => String(t.name))));
      if (remote.honourFilters && bodyObj.org !== undefined) rows = rows.filter((e) => matchesList(bodyObj.org, isJsonObject(e.Orgc) ? [String(e.Orgc.uuid), String(e.Orgc.name)] : []));
      rows.sort((a, b) => (toInt(a.timestamp) ?? 0) - (toInt(b.timestamp) ?? 0) || (a.uuid < b.uuid ? -1 : 1));
      const limit = toInt(bodyObj.limit);
      const page = toInt(bodyObj.page) ?? 1;
      if (limit !== undefined) rows = rows.slice((page - 1) * limit, page * limit);
      send(
        res,
        200,
        rows.map((e) =>
          toBool(bodyObj.minimal)
            ? { id: String(e.id), uuid: e.uuid, timestamp: String(e.timestamp), sighting_timestamp: '0', published: toBool(e.published), orgc_uuid: isJsonObject(e.Orgc) ? e.Orgc.uuid : undefined }
            : { ...e, Attribute: undefined, Object: undefined },
        ),
      );
      return;
    }
    if (parts[1] === 'events' && parts[2] === 'view' && parts[3] !== undefined) {
      const event = events.get(parts[3]);
      if (method === 'HEAD') {
        res.writeHead(event === undefined ? 404 : 200);
        res.end();
        return;
      }
      if (event === undefined) {
        send(res, 404, errorBody('Invalid event', path));
        return;
      }
      send(res, 200, { Event: visibleView(event, toBool(named.deleted ?? bodyObj.deleted), toBool(named.excludeLocalTags)) });
      return;
    }
    if (method === 'POST' && parts[1] === 'events' && (parts[2] === 'add' || parts[2] === 'edit')) {
      const incoming = (isJsonObject(bodyObj.Event) ? bodyObj.Event : bodyObj) as MispEventJson;
      const uuid = parts[2] === 'edit' ? (parts[3] as string) : incoming.uuid;
      const existing = events.get(uuid);
      if (parts[2] === 'add') {
        if (existing !== undefined) {
          send(res, 403, errorBody('Event already exists, if you would like to edit it, use the url in the location header.', path), { location: `/events/view/${String(existing.id)}` });
          return;
        }
        const stored = { ...structuredClone(incoming), id: String(nextId++), timestamp: toText(incoming.timestamp) ?? String(clock++) };
        events.set(uuid, stored);
        send(res, 200, { Event: { ...stored, Attribute: undefined, Object: undefined } });
        return;
      }
      if (existing === undefined) {
        send(res, 404, errorBody('Invalid event', path));
        return;
      }
      if (incoming.timestamp !== undefined && (toInt(incoming.timestamp) ?? 0) <= (toInt(existing.timestamp) ?? 0)) {
        const msg = 'Event could not be saved: Event in the request not newer than the local copy.';
        send(res, 403, errorBody(msg, path, { errors: msg }));
        return;
      }
      const merged = mergeEvent(existing, incoming).event;
      events.set(uuid, merged);
      send(res, 200, { Event: { ...merged, Attribute: undefined, Object: undefined } });
      return;
    }
    if (method === 'POST' && parts[1] === 'sightings' && parts[2] === 'add' && parts[3] !== undefined) {
      sightings.push({ attributeUuid: parts[3], body: bodyObj });
      send(res, 200, { Sighting: { attribute_uuid: parts[3], ...bodyObj } });
      return;
    }
    if (method === 'POST' && base === '/sightings/restSearch/event') {
      const uuids = Array.isArray(bodyObj.uuid) ? bodyObj.uuid.map(String) : [];
      const found = [...events.values()]
        .filter((e) => uuids.includes(e.uuid))
        .flatMap((e) => objectsIn(e.Attribute).flatMap((a) => objectsIn(a.Sighting)))
        .map((s) => ({ Sighting: s }));
      send(res, 200, { response: found });
      return;
    }
    send(res, 404, errorBody(`No route for ${method} ${path}`, path));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');

  const remote: FakeRemote = {
    url: `http://127.0.0.1:${address.port}`,
    authkey,
    events,
    requests,
    faults,
    sightings,
    permSync: true,
    honourFilters: true,
    put(event) {
      events.set(event.uuid, structuredClone({ ...event, id: event.id ?? String(nextId++) }));
    },
    count(pathPrefix, method) {
      return requests.filter((r) => r.path.startsWith(pathPrefix) && (method === undefined || r.method === method)).length;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return remote;
}
