import { InputError, type Secret } from '@waggle/errors';
import { taxiiFilterQuery, type TaxiiVersionMatch } from './filter.js';
import { taxiiRequest, type TaxiiHttpDeps } from './http.js';
import { sameMediaType, TAXII_MEDIA_TYPE } from './media-types.js';
import type { StixLike, TaxiiApiRoot, TaxiiCollection, TaxiiDiscovery, TaxiiManifestRecord, TaxiiStatus } from './resources.js';
import { checkApiRoot, checkCollection, checkCollections, checkDiscovery, checkEnvelope, checkManifest, checkStatus, checkVersions, protocolError } from './shapes.js';
import { compareTaxiiTimestamps, parseTaxiiTimestamp } from './timestamp.js';

/** Credentials for a TAXII server: HTTP Basic, or one header sent as is (e.g. an API key). */
export type TaxiiAuth = { readonly username: string; readonly password: string | Secret } | { readonly header: string; readonly value: string | Secret };

/** What createTaxiiClient needs. */
export interface TaxiiClientDeps {
  /** The discovery URL, e.g. https://example.org/taxii2/. */
  readonly url: string;
  readonly auth?: TaxiiAuth;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Per request, body included (default 30 s). */
  readonly timeoutMs?: number;
  /** Largest accepted response body (default 64 MiB). */
  readonly maxResponseBytes?: number;
}

/** Selection for objects and manifest listings (section 3.4). */
export interface TaxiiMatch {
  readonly id?: readonly string[];
  readonly type?: readonly string[];
  /** `first`, `last`, `all` or version timestamps (default on the server: `last`). */
  readonly version?: readonly string[];
  readonly specVersion?: readonly string[];
}

/** Options of the paging listings. */
export interface TaxiiListOptions {
  /** Only what was added after this RFC 3339 timestamp. */
  readonly addedAfter?: string;
  readonly match?: TaxiiMatch;
  /** Page size asked of the server (it may send fewer). */
  readonly limit?: number;
}

/** A TAXII 2.1 client. URLs may be absolute or relative to the discovery URL. */
export interface TaxiiClient {
  discovery(): Promise<TaxiiDiscovery>;
  apiRoot(apiRoot: string): Promise<TaxiiApiRoot>;
  collections(apiRoot: string): Promise<readonly TaxiiCollection[]>;
  collection(apiRoot: string, collectionId: string): Promise<TaxiiCollection>;
  /** Every object (version) the filter selects, paging until the server says there is no more. */
  objects(apiRoot: string, collectionId: string, options?: TaxiiListOptions): AsyncIterable<StixLike>;
  /** Every manifest record the filter selects, paging likewise. */
  manifest(apiRoot: string, collectionId: string, options?: TaxiiListOptions): AsyncIterable<TaxiiManifestRecord>;
  /** The versions of one object (all of them by default). */
  versions(apiRoot: string, collectionId: string, objectId: string, options?: Pick<TaxiiListOptions, 'addedAfter' | 'limit'> & { readonly specVersion?: readonly string[] }): AsyncIterable<string>;
  /** Adds objects to a writable collection and returns the server's status resource. */
  addObjects(apiRoot: string, collectionId: string, objects: readonly StixLike[]): Promise<TaxiiStatus>;
}

/** Creates a TAXII 2.1 client (this is how waggle pulls a TAXII collection as a feed). */
export function createTaxiiClient(deps: TaxiiClientDeps): TaxiiClient {
  const base = parseBase(deps.url);
  const http: TaxiiHttpDeps = {
    fetch: deps.fetch ?? globalThis.fetch,
    timeoutMs: positive(deps.timeoutMs ?? 30_000, 'timeoutMs'),
    maxResponseBytes: positive(deps.maxResponseBytes ?? 64 * 1024 * 1024, 'maxResponseBytes'),
    headers: authHeaders(deps.auth),
  };
  const root = (apiRoot: string): URL => withSlash(new URL(apiRoot, base));
  const collectionUrl = (apiRoot: string, id: string): URL => new URL(`collections/${encodeURIComponent(id)}/`, root(apiRoot));
  const get = async (url: URL): Promise<{ body: unknown; headers: Headers }> => taxiiRequest(http, 'GET', url);

  return {
    async discovery() {
      return checkDiscovery(base.href, (await get(base)).body);
    },
    async apiRoot(apiRoot) {
      const url = root(apiRoot);
      const info = checkApiRoot(url.href, (await get(url)).body);
      if (!info.versions.some((v) => sameMediaType(v, TAXII_MEDIA_TYPE))) throw protocolError(url.href, `an API root that does not offer ${TAXII_MEDIA_TYPE} (versions: ${info.versions.join(', ')})`);
      return info;
    },
    async collections(apiRoot) {
      const url = new URL('collections/', root(apiRoot));
      return checkCollections(url.href, (await get(url)).body);
    },
    async collection(apiRoot, collectionId) {
      const url = collectionUrl(apiRoot, collectionId);
      const c = checkCollection(url.href, (await get(url)).body);
      if (c.id !== collectionId) throw protocolError(url.href, `collection ${JSON.stringify(c.id)} instead of ${JSON.stringify(collectionId)}`);
      return c;
    },
    objects(apiRoot, collectionId, options = {}) {
      const url = new URL('objects/', collectionUrl(apiRoot, collectionId));
      return paginate(get, url, listQuery(options), (href, body) => {
        const e = checkEnvelope(href, body);
        return { items: e.objects ?? [], more: e.more ?? false, next: e.next };
      });
    },
    manifest(apiRoot, collectionId, options = {}) {
      const url = new URL('manifest/', collectionUrl(apiRoot, collectionId));
      return paginate(get, url, listQuery(options), (href, body) => {
        const m = checkManifest(href, body);
        return { items: m.objects ?? [], more: m.more ?? false, next: m.next };
      });
    },
    versions(apiRoot, collectionId, objectId, options = {}) {
      const url = new URL(`objects/${encodeURIComponent(objectId)}/versions/`, collectionUrl(apiRoot, collectionId));
      return paginate(get, url, listQuery({ ...options, match: options.specVersion === undefined ? {} : { specVersion: options.specVersion } }), (href, body) => {
        const v = checkVersions(href, body);
        return { items: v.versions ?? [], more: v.more ?? false, next: v.next };
      });
    },
    async addObjects(apiRoot, collectionId, objects) {
      const url = new URL('objects/', collectionUrl(apiRoot, collectionId));
      return checkStatus(url.href, (await taxiiRequest(http, 'POST', url, { objects })).body);
    },
  };
}

interface Page<T> {
  readonly items: readonly T[];
  readonly more: boolean;
  readonly next: string | undefined;
}

/**
 * Pages through a listing: follows `next` while `more` is true; when a server
 * says `more` without `next`, continues with `added_after` set to the
 * X-TAXII-Date-Added-Last header, as TAXII 2.1 (section 3.4.1) allows. A token
 * or header that does not move forward ends with an error instead of a loop.
 */
async function* paginate<T>(get: (url: URL) => Promise<{ body: unknown; headers: Headers }>, url: URL, query: URLSearchParams, read: (href: string, body: unknown) => Page<T>): AsyncGenerator<T> {
  let addedAfter = query.get('added_after') ?? undefined;
  let next: string | undefined;
  for (;;) {
    const q = new URLSearchParams(query);
    if (addedAfter !== undefined) q.set('added_after', addedAfter);
    if (next !== undefined) q.set('next', next);
    const pageUrl = new URL(url);
    pageUrl.search = q.toString();
    const { body, headers } = await get(pageUrl);
    const page = read(pageUrl.href, body);
    yield* page.items;
    if (!page.more) return;
    if (page.next !== undefined && page.next !== '') {
      if (page.next === next) throw protocolError(pageUrl.href, 'the same next token again (paging would loop)');
      next = page.next;
      continue;
    }
    const last = headers.get('x-taxii-date-added-last');
    if (last === null) throw protocolError(pageUrl.href, 'more: true but neither next nor X-TAXII-Date-Added-Last to continue from');
    let lastTs: string;
    try {
      lastTs = parseTaxiiTimestamp(last, 'X-TAXII-Date-Added-Last');
    } catch {
      throw protocolError(pageUrl.href, `an X-TAXII-Date-Added-Last header that is not a timestamp: ${JSON.stringify(last)}`);
    }
    if (addedAfter !== undefined && compareTaxiiTimestamps(lastTs, addedAfter) <= 0) throw protocolError(pageUrl.href, 'more: true but X-TAXII-Date-Added-Last does not advance (paging would loop)');
    addedAfter = lastTs;
    next = undefined;
  }
}

function listQuery(options: TaxiiListOptions): URLSearchParams {
  const m = options.match ?? {};
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) throw new InputError('limit must be a positive integer', { field: 'limit' });
  return taxiiFilterQuery({
    ...(options.addedAfter !== undefined ? { addedAfter: parseTaxiiTimestamp(options.addedAfter, 'addedAfter') } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    match: {
      ...(m.id !== undefined ? { id: m.id } : {}),
      ...(m.type !== undefined ? { type: m.type } : {}),
      ...(m.version !== undefined ? { version: m.version.map(versionMatch) } : {}),
      ...(m.specVersion !== undefined ? { specVersion: m.specVersion } : {}),
    },
  });
}

function versionMatch(v: string): TaxiiVersionMatch {
  return v === 'first' || v === 'last' || v === 'all' ? { kind: v } : { kind: 'at', timestamp: parseTaxiiTimestamp(v, 'match.version') };
}

function parseBase(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`TAXII discovery URL is not a URL: ${JSON.stringify(url)}`, { field: 'url' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new InputError('TAXII discovery URL must be http(s)', { field: 'url' });
  if (u.username !== '' || u.password !== '') throw new InputError('Put TAXII credentials in auth, not in the URL', { field: 'url' });
  return withSlash(u);
}

// TAXII URLs end with a slash; relative resolution ("collections/") depends on it.
function withSlash(u: URL): URL {
  const c = new URL(u);
  c.search = '';
  c.hash = '';
  if (!c.pathname.endsWith('/')) c.pathname += '/';
  return c;
}

function positive(n: number, field: string): number {
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`${field} must be a positive number`, { field });
  return n;
}

function reveal(v: string | Secret): string {
  return typeof v === 'string' ? v : v.reveal();
}

function authHeaders(auth: TaxiiAuth | undefined): Record<string, string> {
  if (auth === undefined) return {};
  if ('username' in auth) {
    if (auth.username.includes(':')) throw new InputError('A Basic username cannot contain ":"', { field: 'auth.username' });
    return { authorization: `Basic ${Buffer.from(`${auth.username}:${reveal(auth.password)}`, 'utf8').toString('base64')}` };
  }
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(auth.header)) throw new InputError('auth.header is not a valid header name', { field: 'auth.header' });
  return { [auth.header.toLowerCase()]: reveal(auth.value) };
}
