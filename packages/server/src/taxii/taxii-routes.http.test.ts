import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { encodeTaxiiCursor, TAXII_MEDIA_TYPE } from '@waggle/taxii';
import { buildSource, KEYS, PRINCIPALS, stixId, VERSIONED_ID } from './test-support/taxii-fixtures.js';
import { startTaxiiTestApp } from './test-support/taxii-test-app.js';
import { registerTaxiiRoutes } from './register-taxii-routes.js';
import Fastify from 'fastify';
import type { RouteContext } from '../http/context.js';

type J = Record<string, unknown>;
const basic = (key: string, user = 'taxii-client'): string => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
const API = '/taxii2/api';

describe('TAXII routes over HTTP (127.0.0.1)', () => {
  let app: FastifyInstance;
  let base: string;
  let ids = 0;
  const source = buildSource();

  beforeAll(async () => {
    ({ app, base } = await startTaxiiTestApp(source, PRINCIPALS, { maxContentLength: 4096, ids: () => `id-${++ids}`, defaultPageSize: 50 }));
  });
  afterAll(async () => {
    await app.close();
  });

  async function call(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; json: J; headers: Headers; contentType: string | null }> {
    const res = await fetch(base + path, { method: init.method ?? 'GET', headers: { accept: TAXII_MEDIA_TYPE, authorization: basic(KEYS.alice), ...init.headers }, ...(init.body !== undefined ? { body: init.body } : {}) });
    const text = await res.text();
    return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as J), headers: res.headers, contentType: res.headers.get('content-type') };
  }

  /** Expects a TAXII error message resource with the given status. */
  function expectTaxiiError(r: { status: number; json: J; contentType: string | null }, status: number, code: string, description?: RegExp): void {
    expect(r.status).toBe(status);
    expect(r.contentType).toBe(TAXII_MEDIA_TYPE);
    expect(r.json).toMatchObject({ error_code: code, http_status: String(status) });
    expect(typeof r.json.title).toBe('string');
    expect(typeof r.json.error_id).toBe('string');
    if (description !== undefined) expect(r.json.description).toMatch(description);
  }

  describe('authentication', () => {
    it('answers 401 with a Basic challenge without credentials', async () => {
      for (const path of ['/taxii2/', `${API}/`, `${API}/collections/`, `${API}/collections/big/objects/`, `${API}/no/such/thing/`]) {
        const r = await call(path, { headers: { authorization: '' } });
        expectTaxiiError(r, 401, 'unauthenticated', /Credentials are required/);
        expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      }
    });

    it('answers 401 for a bad key, in Basic or raw, and for malformed Basic', async () => {
      expectTaxiiError(await call(`${API}/`, { headers: { authorization: basic('wrong') } }), 401, 'unauthenticated', /Authentication failed/);
      expectTaxiiError(await call(`${API}/`, { headers: { authorization: 'wrong' } }), 401, 'unauthenticated');
      expectTaxiiError(await call(`${API}/`, { headers: { authorization: 'Basic !!!' } }), 401, 'unauthenticated', /Malformed/);
      expectTaxiiError(await call(`${API}/`, { headers: { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` } }), 401, 'unauthenticated', /Malformed/);
      expectTaxiiError(await call(`${API}/`, { headers: { authorization: `Basic ${Buffer.from('user:').toString('base64')}` } }), 401, 'unauthenticated', /Malformed/);
    });

    it('accepts HTTP Basic with the key as password (any user name), the raw key, and X-MISP-Auth', async () => {
      expect((await call(`${API}/`, { headers: { authorization: basic(KEYS.alice, 'whoever') } })).status).toBe(200);
      expect((await call(`${API}/`, { headers: { authorization: basic(KEYS.alice, '') } })).status).toBe(200);
      expect((await call(`${API}/`, { headers: { authorization: `basic   ${Buffer.from(`x:${KEYS.alice}`).toString('base64')}` } })).status).toBe(200);
      expect((await call(`${API}/`, { headers: { authorization: KEYS.alice } })).status).toBe(200);
      const viaMisp = await fetch(`${base}${API}/`, { headers: { accept: TAXII_MEDIA_TYPE, 'x-misp-auth': KEYS.alice } });
      expect(viaMisp.status).toBe(200);
    });
  });

  describe('content negotiation', () => {
    it('answers with exactly the TAXII 2.1 media type', async () => {
      const r = await call('/taxii2/');
      expect(r.status).toBe(200);
      expect(r.contentType).toBe('application/taxii+json;version=2.1');
    });

    it.each(['application/json', 'application/taxii+json;version=2.0', 'text/html', 'application/taxii+json;q=0'])('406 for Accept: %s', async (accept) => {
      expectTaxiiError(await call(`${API}/collections/`, { headers: { accept } }), 406, 'not_acceptable');
    });

    it.each(['*/*', 'application/taxii+json', 'application/*, text/html;q=0.5'])('200 for Accept: %s', async (accept) => {
      expect((await call(`${API}/collections/`, { headers: { accept } })).status).toBe(200);
    });

    it('415 for a POST that is not TAXII, before reading the body', async () => {
      for (const ct of ['application/json', 'application/stix+json;version=2.1', 'application/taxii+json;version=2.0', 'text/plain']) {
        expectTaxiiError(await call(`${API}/collections/writable/objects/`, { method: 'POST', headers: { 'content-type': ct }, body: '{"objects": []}' }), 415, 'unsupported_media_type');
      }
      expect(source.size('writable')).toBe(0);
    });
  });

  describe('resources', () => {
    it('serves discovery, API root, collections and one collection', async () => {
      expect((await call('/taxii2/')).json).toEqual({ title: 'waggle test TAXII', description: 'test server', contact: 'soc@example.test', default: `${API}/`, api_roots: [`${API}/`] });
      expect((await call(`${API}/`)).json).toEqual({ title: 'waggle test TAXII', description: 'test server', versions: [TAXII_MEDIA_TYPE], max_content_length: 4096 });
      expect(((await call(`${API}/collections/`)).json.collections as J[]).map((c) => c.id)).toEqual(['big', 'versioned', 'private', 'writable', 'locked']);
      expect((await call(`${API}/collections/private/`)).json).toEqual({ id: 'private', title: 'Org 1 only', can_read: true, can_write: false });
    });

    it('hides collections from those who may not see them (404, same as unknown)', async () => {
      const bob = { authorization: basic(KEYS.bob) };
      expect(((await call(`${API}/collections/`, { headers: bob })).json.collections as J[]).map((c) => c.id)).not.toContain('private');
      for (const path of ['/', '/objects/', '/manifest/', `/objects/${stixId('indicator', 7)}/`, `/objects/${stixId('indicator', 7)}/versions/`]) {
        expectTaxiiError(await call(`${API}/collections/private${path}`, { headers: bob }), 404, 'not_found');
        expectTaxiiError(await call(`${API}/collections/unknown${path}`), 404, 'not_found');
      }
    });

    it('refuses reading a collection that is visible but not readable (403)', async () => {
      expectTaxiiError(await call(`${API}/collections/locked/objects/`), 403, 'forbidden');
      expectTaxiiError(await call(`${API}/collections/locked/manifest/`), 403, 'forbidden');
    });

    it('answers unknown TAXII paths with a TAXII 404', async () => {
      expectTaxiiError(await call(`${API}/collections/big/nonsense/`), 404, 'not_found', /No TAXII endpoint/);
      expectTaxiiError(await call('/taxii2/elsewhere/'), 404, 'not_found');
    });

    it('pages objects with an envelope and X-TAXII-Date-Added headers', async () => {
      const first = await call(`${API}/collections/big/objects/?limit=3`);
      expect(first.status).toBe(200);
      expect(first.json.more).toBe(true);
      expect(typeof first.json.next).toBe('string');
      expect((first.json.objects as J[]).map((o) => o.id)).toEqual([0, 1, 2].map((n) => stixId('indicator', n)));
      expect(first.headers.get('x-taxii-date-added-first')).toBe('2024-01-01T00:00:00.000Z');
      expect(first.headers.get('x-taxii-date-added-last')).toBe('2024-01-01T00:00:00.000Z');
      const second = await call(`${API}/collections/big/objects/?limit=3&next=${encodeURIComponent(first.json.next as string)}`);
      expect((second.json.objects as J[]).map((o) => o.id)).toEqual([3, 4, 5].map((n) => stixId('indicator', n)));
      const defaultPage = await call(`${API}/collections/big/objects/`);
      expect(defaultPage.json.objects).toHaveLength(50);
      const last = await call(`${API}/collections/big/objects/?added_after=2024-01-01T00:04:09.000Z`);
      expect(last.json).toEqual({ more: false });
      expect(last.headers.get('x-taxii-date-added-first')).toBeNull();
      const tail = await call(`${API}/collections/big/objects/?added_after=2024-01-01T00:04:08.5Z`);
      expect(tail.json.more).toBe(false);
      expect(tail.json.next).toBeUndefined();
      expect(tail.json.objects).toHaveLength(10);
    });

    it('serves one object (latest version by default) and its versions', async () => {
      const one = await call(`${API}/collections/versioned/objects/${VERSIONED_ID}/`);
      expect((one.json.objects as J[]).map((o) => o.modified)).toEqual(['2024-03-03T00:00:00.000Z']);
      const all = await call(`${API}/collections/versioned/objects/${VERSIONED_ID}/?match[version]=all`);
      expect((all.json.objects as J[]).map((o) => o.modified)).toEqual(['2024-03-01T00:00:00.000Z', '2024-03-03T00:00:00.000Z', '2024-03-02T00:00:00.000Z']);
      expect(all.headers.get('x-taxii-date-added-last')).toBe('2024-03-05T00:00:01.000Z');
      const versions = await call(`${API}/collections/versioned/objects/${VERSIONED_ID}/versions/`);
      expect(versions.json).toEqual({ more: false, versions: ['2024-03-01T00:00:00.000Z', '2024-03-03T00:00:00.000Z', '2024-03-02T00:00:00.000Z'] });
      const none = await call(`${API}/collections/versioned/objects/${VERSIONED_ID}/?added_after=2030-01-01T00:00:00Z`);
      expect(none.status).toBe(200);
      expect(none.json).toEqual({ more: false });
      expectTaxiiError(await call(`${API}/collections/versioned/objects/${stixId('indicator', 123)}/`), 404, 'not_found');
      expectTaxiiError(await call(`${API}/collections/versioned/objects/${stixId('indicator', 123)}/versions/`), 404, 'not_found');
      expectTaxiiError(await call(`${API}/collections/versioned/objects/not-a-stix-id/`), 400, 'invalid_input');
    });

    it('serves the manifest with date_added, version and media_type', async () => {
      const r = await call(`${API}/collections/versioned/manifest/?match[type]=malware&match[spec_version]=2.0,2.1&match[version]=all`);
      expect(r.json.objects).toEqual([
        { id: stixId('malware', 900002), date_added: '2024-03-02T00:00:00.000Z', version: '2024-01-01T00:00:00.000Z', media_type: 'application/stix+json;version=2.0' },
        { id: stixId('malware', 900002), date_added: '2024-03-04T00:00:00.000Z', version: '2024-03-04T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' },
      ]);
    });
  });

  describe('bad query parameters (400, TAXII error naming the parameter)', () => {
    it.each([
      ['added_after=yesterday', 'added_after'],
      ['added_after=2024-02-30T00:00:00Z', 'added_after'],
      ['added_after=2024-01-01T00:00:00Z&added_after=2024-01-02T00:00:00Z', 'added_after'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['match[type]=NOT_A_TYPE', 'match[type]'],
      ['match[id]=1234', 'match[id]'],
      ['match[version]=latest', 'match[version]'],
      ['match[spec_version]=x', 'match[spec_version]'],
      ['match[colour]=red', 'match[colour]'],
      ['next=', 'next'],
      ['next=garbage', 'next'],
    ])('%s', async (q, field) => {
      const r = await call(`${API}/collections/big/objects/?${q}`);
      expectTaxiiError(r, 400, 'invalid_input');
      expect(r.json.details).toEqual({ field });
    });

    it('refuses a tampered next token and a token from another query', async () => {
      const first = await call(`${API}/collections/big/objects/?limit=2`);
      const token = first.json.next as string;
      const tampered = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
      expectTaxiiError(await call(`${API}/collections/big/objects/?next=${encodeURIComponent(tampered)}`), 400, 'invalid_input', /malformed or altered/);
      expectTaxiiError(await call(`${API}/collections/big/objects/?match[type]=indicator&next=${encodeURIComponent(token)}`), 400, 'invalid_input', /different query/);
      expectTaxiiError(await call(`${API}/collections/big/manifest/?next=${encodeURIComponent(token)}`), 400, 'invalid_input', /different query/);
      expectTaxiiError(await call(`${API}/collections/versioned/objects/?next=${encodeURIComponent(token)}`), 400, 'invalid_input', /different query/);
      // A well-formed token for this query made elsewhere is still just a position.
      const forged = encodeTaxiiCursor('garbage-position', JSON.stringify(['big', 'objects', null, { id: [], type: [], version: [{ kind: 'last' }], specVersion: [] }]));
      expectTaxiiError(await call(`${API}/collections/big/objects/?next=${encodeURIComponent(forged)}`), 400, 'invalid_input');
      expect((await call(`${API}/collections/big/objects/?limit=5&next=${encodeURIComponent(token)}`)).json.objects).toHaveLength(5);
    });

    it('refuses match fields the endpoint does not support', async () => {
      expectTaxiiError(await call(`${API}/collections/versioned/objects/${VERSIONED_ID}/?match[type]=indicator`), 400, 'invalid_input');
      expectTaxiiError(await call(`${API}/collections/versioned/objects/${VERSIONED_ID}/versions/?match[version]=first`), 400, 'invalid_input');
    });
  });

  describe('adding objects', () => {
    const post = (collection: string, body: string, key: string = KEYS.alice) =>
      call(`${API}/collections/${collection}/objects/`, { method: 'POST', headers: { 'content-type': TAXII_MEDIA_TYPE, authorization: basic(key) }, body });
    const envelope = (...objects: unknown[]) => JSON.stringify({ objects });

    it('refuses collections that are not writable (403) and unknown ones (404)', async () => {
      expectTaxiiError(await post('big', envelope({ type: 'indicator', id: stixId('indicator', 1) })), 403, 'forbidden', /not writable/);
      expectTaxiiError(await post('private', envelope({ type: 'indicator', id: stixId('indicator', 1) }), KEYS.bob), 404, 'not_found');
      expectTaxiiError(await post('writable', envelope({ type: 'indicator', id: stixId('indicator', 1) }), KEYS.reader), 403, 'forbidden', /read-only/);
      expect(source.size('writable')).toBe(0);
    });

    it('refuses a malformed envelope as a whole and stores nothing', async () => {
      const good = { type: 'indicator', id: stixId('indicator', 11) };
      for (const body of ['{not json', '[]', '"x"', JSON.stringify({ objects: 'x' }), envelope(good, 42), envelope(good, { type: 'indicator' }), envelope(good, { type: 'indicator', id: stixId('malware', 1) }), envelope(good, { type: 'indicator', id: 'indicator--nope' })]) {
        expectTaxiiError(await post('writable', body), 400, 'invalid_input');
      }
      expect(source.size('writable')).toBe(0);
    });

    it('refuses bodies over max_content_length (413)', async () => {
      const big = envelope(...Array.from({ length: 100 }, (_, i) => ({ type: 'indicator', id: stixId('indicator', i), pattern: 'x'.repeat(50) })));
      expect(big.length).toBeGreaterThan(4096);
      expectTaxiiError(await post('writable', big), 413, 'too_large');
      expect(source.size('writable')).toBe(0);
    });

    it('adds objects, answers 202 with a status resource, and serves that status', async () => {
      const r = await post('writable', envelope({ type: 'indicator', id: stixId('indicator', 21), created: '2024-06-01T00:00:00Z' }, { type: 'indicator', id: stixId('indicator', 22), modified: '2024-06-02T00:00:00Z' }));
      expect(r.status).toBe(202);
      expect(r.contentType).toBe(TAXII_MEDIA_TYPE);
      expect(r.json).toMatchObject({ status: 'complete', total_count: 2, success_count: 2, failure_count: 0, pending_count: 0 });
      expect(r.json.successes).toEqual([
        { id: stixId('indicator', 21), version: '2024-06-01T00:00:00Z' },
        { id: stixId('indicator', 22), version: '2024-06-02T00:00:00Z' },
      ]);
      const statusId = r.json.id as string;
      expect((await call(`${API}/status/${statusId}/`)).json).toEqual(r.json);
      expectTaxiiError(await call(`${API}/status/${statusId}/`, { headers: { authorization: basic(KEYS.bob) } }), 404, 'not_found');
      expectTaxiiError(await call(`${API}/status/unknown/`), 404, 'not_found');
      const empty = await post('writable', envelope());
      expect(empty.status).toBe(202);
      expect(empty.json).toMatchObject({ total_count: 0, success_count: 0 });
      expect(source.size('writable')).toBe(2);
      const read = await call(`${API}/collections/writable/objects/`);
      expect((read.json.objects as J[]).map((o) => o.id)).toEqual([stixId('indicator', 21), stixId('indicator', 22)]);
    });
  });
});

describe('registerTaxiiRoutes options', () => {
  const ctx = { principal: async () => Promise.reject(new Error('unused')) } as unknown as RouteContext;
  it.each([['taxii2/api'], ['/Taxii2/API'], ['/taxii2'], ['/'], ['/taxii2/../x'], ['/a b']])('refuses apiRootPath %j', (apiRootPath) => {
    expect(() => registerTaxiiRoutes(Fastify(), ctx, buildSource(), { title: 't', apiRootPath })).toThrow(/apiRootPath/);
  });
  it('refuses an empty title and bad page sizes', () => {
    expect(() => registerTaxiiRoutes(Fastify(), ctx, buildSource(), { title: ' ' })).toThrow(/title/);
    expect(() => registerTaxiiRoutes(Fastify(), ctx, buildSource(), { title: 't', maxPageSize: 0 })).toThrow(/maxPageSize/);
    expect(() => registerTaxiiRoutes(Fastify(), ctx, buildSource(), { title: 't', maxContentLength: 1.5 })).toThrow(/maxContentLength/);
  });
  it('serves another API root path', async () => {
    const { app, base } = await startTaxiiTestApp(buildSource(), PRINCIPALS, { apiRootPath: '/taxii2/feeds-1/' });
    try {
      const d = await fetch(`${base}/taxii2/`, { headers: { authorization: KEYS.alice } });
      expect(((await d.json()) as J).api_roots).toEqual(['/taxii2/feeds-1/']);
      expect((await fetch(`${base}/taxii2/feeds-1/collections/big/`, { headers: { authorization: KEYS.alice } })).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
