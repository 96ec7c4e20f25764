import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startRedisService } from '../redis/redis-service.js';
import { rawClient } from './test-support/raw-client.js';
import { aServiceDeps } from './test-support/service-deps.js';
import { startGuardedServer } from './guarded-server.js';

let connected = 0;
function open(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, localAddress });
    s.on('error', () => resolve(s));
    s.once('connect', () => {
      connected += 1;
      resolve(s);
    });
  });
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}

describe('guarded server: abusive clients are contained', () => {
  it('rejects thousands of connections from one address beyond its cap and keeps serving others', async () => {
    const deps = aServiceDeps({ maxConnectionsPerIp: 20, ratePerIpPerMinute: 100_000, maxConnections: 500 });
    const service = await startRedisService({ host: '127.0.0.1', port: 0 }, deps);
    const heapBefore = process.memoryUsage().heapUsed;
    const flood: Socket[] = [];
    connected = 0;
    for (let batch = 0; batch < 10; batch += 1) {
      flood.push(...(await Promise.all(Array.from({ length: 200 }, () => open(service.port, '127.0.0.1')))));
    }
    await until(() => service.stats().total + service.stats().rejected >= connected);
    const stats = service.stats();
    expect(connected).toBeGreaterThan(1500);
    expect(stats.active).toBe(20);
    expect(stats.rejected).toBe(connected - 20);
    expect(deps.sink.byId('waggle.session.rejected')[0]).toMatchObject({ reason: 'max_connections_per_ip', protocol: 'redis' });

    // Another address is still served while the flood holds its 20 slots.
    const other = await rawClient(service.port);
    other.socket.destroy();
    const s = await open(service.port, '127.0.0.2');
    const pong = new Promise<string>((resolve) => s.on('data', (d: Buffer) => resolve(d.toString())));
    s.write('PING\r\n');
    expect(await pong).toBe('+PONG\r\n');
    s.destroy();
    for (const f of flood) f.destroy();
    await until(() => service.stats().active === 0);
    expect(service.stats().active).toBe(0);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    await service.close();
  });

  it('applies the per-address rate limit', async () => {
    const deps = aServiceDeps({ ratePerIpPerMinute: 5 });
    const service = await startRedisService({ host: '127.0.0.1', port: 0 }, deps);
    const sockets = [];
    for (let i = 0; i < 8; i += 1) {
      const s = await open(service.port, '127.0.0.1');
      sockets.push(s);
      s.destroy();
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(service.stats()).toMatchObject({ total: 5, rejected: 3 });
    expect(deps.sink.byId('waggle.session.rejected').map((e) => e.reason)).toEqual(['rate_limited', 'rate_limited', 'rate_limited']);
    await service.close();
  });

  it('closes idle sessions and sessions past their maximum length', async () => {
    const deps = aServiceDeps({ idleTimeoutMs: 150, sessionTimeoutMs: 400 });
    const service = await startGuardedServer({ host: '127.0.0.1', port: 0, protocol: 'test', deps, onSession: (socket) => socket.on('data', () => undefined) });
    const idle = await rawClient(service.port);
    const t0 = Date.now();
    await idle.closed;
    expect(Date.now() - t0).toBeLessThan(1000);
    const chatty = await rawClient(service.port);
    const timer = setInterval(() => chatty.send('x'), 50);
    const t1 = Date.now();
    await chatty.closed;
    clearInterval(timer);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(350);
    await until(() => deps.sink.byId('cowrie.session.closed').length === 2);
    const closed = deps.sink.byId('cowrie.session.closed');
    expect(closed).toHaveLength(2);
    expect(closed[0]?.message).toMatch(/^Connection lost after \d+ seconds$/);
    await service.close();
  });

  it('refuses an invalid listen configuration, naming every problem', async () => {
    const deps = aServiceDeps();
    await expect(startGuardedServer({ host: '', port: -1, protocol: 'x', deps, onSession: () => undefined })).rejects.toThrow(
      'invalid x listen configuration: host must be a non-empty address; port must be an integer between 0 and 65535',
    );
    expect(deps.sink.events).toHaveLength(0);
  });
});
