import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { InputError } from '@waggle/errors';
import type { Connection } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HoneypotEvent } from '../log/event.js';
import type { SessionLog } from '../log/session-log.js';
import { aServiceDeps, aTempDir } from '../limits/test-support/service-deps.js';
import { builtinProfilesDir, loadProfileFile } from '../profiles/load-profiles.js';
import { startProfile } from '../profiles/start-profile.js';
import type { RunningService } from '../service.js';
import { onClientMessage } from './client-message-hook.js';
import { watchSshDetectors } from './ssh-detectors.js';
import { startSshService } from './ssh-service.js';
import { runExploitClient } from './test-support/exploit-ssh-client.js';

const dir = aTempDir();
const deps = aServiceDeps();
const profile = loadProfileFile(join(builtinProfilesDir(), 'libssh-auth-bypass.json'));
let libssh: RunningService;

/** The events of the session whose `waggle.ssh.exploit` (or other) event matched. */
const sessionEvents = (session: string): HoneypotEvent[] => deps.sink.events.filter((e) => e.session === session);
const closedSession = (session: string) => deps.sink.waitFor((e) => e.eventid === 'cowrie.session.closed' && e.session === session);

beforeAll(async () => {
  libssh = await startProfile(profile, { host: '127.0.0.1', port: 0 }, { ...deps, hostKeyDir: join(dir, 'keys') });
});
afterAll(async () => {
  await libssh.close();
});

describe('CVE-2018-10933 (libssh authentication bypass) detection', () => {
  it('logs a client that sends SSH_MSG_USERAUTH_SUCCESS after key exchange, and grants it nothing', async () => {
    const seen = await runExploitClient({ port: libssh.port });
    expect(seen).toMatchObject({ serverSoftware: 'libssh_0.8.3', handshake: true, payloadSent: true, authSucceeded: false, timedOut: false });
    expect(seen.channel).not.toBe('opened');
    expect(seen.disconnectReason).toBe(11); // SSH_DISCONNECT_BY_APPLICATION

    const event = (await deps.sink.waitFor((e) => e.eventid === 'waggle.ssh.exploit')) as HoneypotEvent<'waggle.ssh.exploit'>;
    expect(event.eventid).toBe('waggle.ssh.exploit');
    expect(event.cve).toBe('CVE-2018-10933');
    expect(event.technique).toBe('T1190');
    expect(event.detector).toBe('libssh-userauth-success-from-client');
    expect(event.evidence).toEqual(['client sent SSH_MSG_USERAUTH_SUCCESS (52)', 'sent before any authentication request']);
    expect(event.protocol).toBe('ssh');
    expect(event.sensor).toBe('test-sensor');
    expect(event.src_ip).toBe('127.0.0.1');
    expect(event.dst_port).toBe(libssh.port);
    expect(event.session).toMatch(/^[0-9a-f]{12}$/);
    expect(event.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(event.message).toBe('Exploit attempt CVE-2018-10933 (libssh-userauth-success-from-client): client sent SSH_MSG_USERAUTH_SUCCESS (52); sent before any authentication request');

    await closedSession(event.session);
    const ids = sessionEvents(event.session).map((e) => e.eventid);
    expect(ids).toEqual(['cowrie.session.connect', 'cowrie.client.version', 'cowrie.client.kex', 'waggle.ssh.exploit', 'cowrie.session.closed']);
    expect(deps.sink.events.find((e) => e.session === event.session && e.eventid === 'cowrie.client.version')).toMatchObject({ version: 'SSH-2.0-exploit_test_0.1' });
  });

  it('says how many logins failed before the bypass was tried', async () => {
    const seen = await runExploitClient({ port: libssh.port, passwordFirst: { username: 'root', password: 'toor' } });
    expect(seen).toMatchObject({ authFailures: 1, authSucceeded: false, payloadSent: true });
    expect(seen.channel).not.toBe('opened');
    const failed = await deps.sink.waitFor((e) => e.eventid === 'cowrie.login.failed' && (e as HoneypotEvent<'cowrie.login.failed'>).password === 'toor');
    const event = await deps.sink.waitFor((e) => e.eventid === 'waggle.ssh.exploit' && e.session === failed.session);
    expect((event as HoneypotEvent<'waggle.ssh.exploit'>).evidence).toEqual(['client sent SSH_MSG_USERAUTH_SUCCESS (52)', 'sent after 1 authentication request(s) for user "root", none accepted']);
    await closedSession(event.session);
    const ids = sessionEvents(event.session).map((e) => e.eventid);
    expect(ids.filter((id) => id === 'waggle.ssh.exploit')).toHaveLength(1);
    expect(ids).not.toContain('cowrie.login.success');
    expect(ids).not.toContain('cowrie.session.params');
  });

  it('does not fire on an honest OpenSSH client', async () => {
    const before = deps.sink.events.length;
    const code = await new Promise<number>((resolve) => {
      const child = spawn('/usr/bin/ssh', ['-p', String(libssh.port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PubkeyAuthentication=no', '-o', 'LogLevel=ERROR', 'root@127.0.0.1', 'true'], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
        stdio: 'ignore',
      });
      child.on('close', (c) => resolve(c ?? -1));
    });
    expect(code).toBe(255);
    const version = await deps.sink.waitFor((e) => deps.sink.events.indexOf(e) >= before && e.eventid === 'cowrie.client.version');
    await closedSession(version.session);
    expect(sessionEvents(version.session).map((e) => e.eventid)).not.toContain('waggle.ssh.exploit');
  });

  it('watches the other server-only messages a detector may name', async () => {
    const svc = await startSshService({
      host: '127.0.0.1', port: 0, hostKeyDir: join(dir, 'keys'),
      detectors: [{ id: 'fake-failure', cve: 'CVE-2000-0001', technique: 'T1190', client_message: 51 }],
    }, deps);
    try {
      // SSH_MSG_USERAUTH_FAILURE: byte 51, name-list "password", boolean false.
      const payload = Buffer.concat([Buffer.from([51, 0, 0, 0, 8]), Buffer.from('password'), Buffer.from([0])]);
      const seen = await runExploitClient({ port: svc.port, payload });
      expect(seen.channel).not.toBe('opened');
      const event = await deps.sink.waitFor((e) => e.eventid === 'waggle.ssh.exploit' && (e as HoneypotEvent<'waggle.ssh.exploit'>).detector === 'fake-failure');
      expect(event).toMatchObject({ cve: 'CVE-2000-0001', technique: 'T1190', evidence: ['client sent SSH_MSG_USERAUTH_FAILURE (51)', 'sent before any authentication request'] });
    } finally {
      await svc.close();
    }
  });

  it('without detectors, still grants a message-52 client no channel and logs no exploit', async () => {
    const svc = await startSshService({ host: '127.0.0.1', port: 0, hostKeyDir: join(dir, 'keys') }, deps);
    try {
      const seen = await runExploitClient({ port: svc.port });
      expect(seen).toMatchObject({ payloadSent: true, channel: 'refused', authSucceeded: false, timedOut: false });
      const version = await deps.sink.waitFor((e) => e.dst_port === svc.port && e.eventid === 'cowrie.client.version');
      await closedSession(version.session);
      expect(sessionEvents(version.session).map((e) => e.eventid)).not.toContain('waggle.ssh.exploit');
    } finally {
      await svc.close();
    }
  });

  it('rejects detectors it cannot apply, naming every problem', async () => {
    const bad = startSshService({
      host: '127.0.0.1', port: 0, hostKeyDir: join(dir, 'keys'),
      detectors: [{ id: '', cve: 'CVE-18-1', technique: 'X1', client_message: 52 }, { id: 'ok', cve: 'CVE-2018-10933', technique: 'T1190', client_message: 99 }],
    }, deps);
    await expect(bad).rejects.toBeInstanceOf(InputError);
    await expect(bad).rejects.toThrow(/detectors\[0\]\.id must be a non-empty string; detectors\[0\]\.cve must look like CVE-2018-10933; detectors\[0\]\.technique must be an ATT&CK id such as T1190; detectors\[1\]\.client_message must be one of 6, 51, 52, 53/);
  });

  it('reports when ssh2 offers no way to observe a message', () => {
    const notSsh2 = { on: () => notSsh2 } as unknown as Connection;
    expect(onClientMessage(notSsh2, 52, () => undefined)).toBe(false);
    const log = { emit: () => undefined } as unknown as SessionLog;
    expect(watchSshDetectors(notSsh2, [{ id: 'd', cve: 'CVE-2018-10933', technique: 'T1190', client_message: 52 }], log)).toBe(false);
    expect(watchSshDetectors(notSsh2, [], log)).toBe(true);
    const withTable = { _protocol: { _handlers: {} } } as unknown as Connection;
    expect(onClientMessage(withTable, 20, () => undefined)).toBe(false); // KEXINIT: not a server-only message
  });
});
