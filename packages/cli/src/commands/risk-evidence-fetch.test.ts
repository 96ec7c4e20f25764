import { describe, expect, it } from 'vitest';
import { InputError, UnavailableError } from '@waggle/errors';
import { fetchWaggleEvidence, type EvidenceSource } from './risk-evidence-fetch.js';

type Call = { path: string; body: Record<string, unknown> };

/** A fake MISP server: answers by path, records what was asked. */
function fakeMisp(answers: Record<string, { status?: number; body: unknown }>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const f = (async (input: string | URL | Request, init?: RequestInit) => {
    const path = new URL(String(input)).pathname;
    calls.push({ path, body: JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown> });
    const a = answers[path];
    if (a === undefined) return new Response('not found', { status: 404 });
    return new Response(typeof a.body === 'string' ? a.body : JSON.stringify(a.body), { status: a.status ?? 200 });
  }) as typeof fetch;
  return { fetch: f, calls };
}

const NOW = 1_780_000_000_000;
const src = (f: typeof fetch, over: Partial<EvidenceSource> = {}): EvidenceSource => ({ url: 'http://127.0.0.1:1/', key: 'k', host: 'web01', days: 30, ownEventUuid: 'own', fetch: f, now: () => NOW, ...over });

describe('fetchWaggleEvidence', () => {
  it('uses the sightings MISP inlines in the attribute search, and asks for the host and sector events', async () => {
    const m = fakeMisp({
      '/attributes/restSearch': { body: { response: { Attribute: [{ id: '1', uuid: 'a-1', type: 'vulnerability', value: 'CVE-2024-6387', timestamp: String(NOW / 1000 - 10), Event: { uuid: 'e-1', info: 'Partner report' }, Tag: [], Sighting: [{ uuid: 's', type: '0', date_sighting: String(NOW / 1000 - 5), Organisation: { name: 'CERT-X' } }] }] } } },
      '/events/restSearch': { body: { response: [] } },
    });
    const r = await fetchWaggleEvidence(src(m.fetch, { sector: 'Finance' }), ['CVE-2024-6387']);
    expect(r.evidence.sightings).toEqual([{ cve: 'CVE-2024-6387', count: 1, sources: ['sighting on CVE-2024-6387 in event "Partner report" (e-1) by CERT-X'] }]);
    expect(r.attributeUuids).toEqual(new Set(['a-1']));
    expect(m.calls.map((c) => c.path)).toEqual(['/attributes/restSearch', '/events/restSearch', '/events/restSearch']);
    expect(m.calls[0]?.body).toMatchObject({ type: 'vulnerability', value: ['CVE-2024-6387'], includeSightings: 1, includeEventTags: 1 });
    expect(m.calls[1]?.body).toMatchObject({ tags: ['waggle:host="web01"'], event_timestamp: '30d' });
    expect(m.calls[2]?.body).toMatchObject({ tags: ['misp-galaxy:sector="Finance"'] });
  });

  it('asks sightings/restSearch when the attributes carry none, and skips the attribute search without CVEs', async () => {
    const m = fakeMisp({
      '/attributes/restSearch': { body: { response: { Attribute: [{ id: '7', uuid: 'a-7', type: 'vulnerability', value: 'CVE-2024-6387', Event: { uuid: 'e-7', info: 'Honeypot' }, Tag: [] }] } } },
      '/sightings/restSearch': { body: { response: [{ Sighting: { id: '1', uuid: 's-1', attribute_id: '7', type: '0', date_sighting: String(NOW / 1000 - 5) } }] } },
      '/events/restSearch': { body: { response: [] } },
    });
    const r = await fetchWaggleEvidence(src(m.fetch), ['CVE-2024-6387']);
    expect(r.evidence.sightings?.[0]?.count).toBe(1);
    expect(m.calls[1]).toEqual({ path: '/sightings/restSearch', body: { context: 'attribute', id: ['7'], type: 0, last: '30d' } });
    const none = fakeMisp({ '/events/restSearch': { body: { response: [] } } });
    await fetchWaggleEvidence(src(none.fetch), []);
    expect(none.calls.map((c) => c.path)).toEqual(['/events/restSearch']);
  });

  it('fails clearly on a refused key, an error answer, a non-JSON answer and an unreachable server', async () => {
    await expect(fetchWaggleEvidence(src(fakeMisp({ '/events/restSearch': { status: 403, body: {} } }).fetch), [])).rejects.toThrow(/refused the key \(HTTP 403\)/);
    await expect(fetchWaggleEvidence(src(fakeMisp({}).fetch), [])).rejects.toThrow(UnavailableError);
    await expect(fetchWaggleEvidence(src(fakeMisp({ '/events/restSearch': { body: '<html>' } }).fetch), [])).rejects.toThrow(/did not answer JSON/);
    await expect(fetchWaggleEvidence(src(fakeMisp({ '/events/restSearch': { body: { response: 'x' } } }).fetch), [])).rejects.toThrow(InputError);
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(fetchWaggleEvidence(src(down), [])).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:1: fetch failed/);
  });
});
