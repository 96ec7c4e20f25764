import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemorySink } from '../log/memory-sink.js';
import { createCatalogue } from '../profiles/catalogue.js';
import { loadProfiles } from '../profiles/load-profiles.js';
import type { LureProfile } from '../profiles/profile-types.js';
import { DEFAULT_LIMITS, type Limits, type RunningService } from '../service.js';
import { startHttpService } from './http-service.js';

const profile = createCatalogue(loadProfiles()).get('log4shell') as LureProfile;
let svc: RunningService | undefined;
afterEach(async () => svc?.close());

async function start(limits: Partial<Limits>) {
  const sink = createMemorySink();
  let n = 0;
  svc = await startHttpService({ host: '127.0.0.1', port: 0, profile }, { sink, sensor: 's', limits: { ...DEFAULT_LIMITS, ...limits }, now: () => new Date(), sessionId: () => (n++).toString(16).padStart(12, '0') });
  return { sink, port: svc.port };
}

function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write(text));
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString('latin1')));
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(out));
  });
}

describe('HTTP lure limits', () => {
  it('refuses oversized headers with 431 and logs no request', async () => {
    const { sink, port } = await start({ maxInputBytes: 2048 });
    const res = await raw(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(5000)}\r\nConnection: close\r\n\r\n`);
    expect(res).toMatch(/^HTTP\/1\.1 431/);
    expect(sink.byId('waggle.http.request')).toEqual([]);
    expect(sink.byId('waggle.input.truncated')[0]).toMatchObject({ limit: 2048 });
  });

  it('keeps only maxInputBytes of a body, still detects within it, and says so', async () => {
    const { sink, port } = await start({ maxInputBytes: 4096 });
    const body = `x=\${jndi:ldap://x/a}&pad=${'p'.repeat(10_000)}`;
    await raw(port, `POST /solr/admin/cores HTTP/1.1\r\nHost: x\r\nContent-Length: ${String(body.length)}\r\nConnection: close\r\n\r\n${body}`);
    const req = sink.byId('waggle.http.request')[0] as unknown as Record<string, unknown>;
    expect(req.body_size).toBe(body.length);
    expect(req.body_truncated).toBe(true);
    expect((req.body as string).length).toBe(4096);
    expect(sink.byId('waggle.input.truncated')[0]).toMatchObject({ limit: 4096 });
    expect(sink.events.some((e) => (e.eventid as string) === 'waggle.http.exploit')).toBe(true);
  });

  it('drops a connection whose body passes maxUploadBytes', async () => {
    const { sink, port } = await start({ maxInputBytes: 1024, maxUploadBytes: 8192 });
    const res = await raw(port, `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${'z'.repeat(20_000)}`);
    expect(res).toBe('');
    expect(sink.byId('waggle.http.request')).toEqual([]);
    expect(sink.byId('waggle.input.truncated')[0]).toMatchObject({ limit: 8192 });
  });

  it('refuses connections beyond the per-address cap and logs why', async () => {
    const { sink, port } = await start({ maxConnectionsPerIp: 1 });
    const first = connect({ host: '127.0.0.1', port });
    await new Promise((r) => first.once('connect', r));
    await sink.waitFor((e) => e.eventid === 'cowrie.session.connect');
    const second = await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(second).toBe('');
    expect(sink.byId('waggle.session.rejected')[0]).toMatchObject({ reason: 'max_connections_per_ip', src_ip: '127.0.0.1' });
    first.destroy();
  });

  it('validates the listen address', async () => {
    await expect(startHttpService({ host: '', port: 70000, profile }, { sink: createMemorySink(), sensor: 's', limits: DEFAULT_LIMITS, now: () => new Date(), sessionId: () => 'a' })).rejects.toThrow(/invalid http listen configuration: host must be a non-empty address; port must be an integer/);
  });
});
