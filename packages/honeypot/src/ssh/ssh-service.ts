import ssh2 from 'ssh2';
import { InputError } from '@waggle/errors';
import { startGuardedServer, validateListenConfig, type ListenConfig } from '../limits/guarded-server.js';
import type { SessionLog } from '../log/session-log.js';
import type { RunningService, ServiceDeps } from '../service.js';
import { DEFAULT_SYSTEM, type SystemProfile } from '../shell/system-profile.js';
import { loadOrCreateHostKey } from './host-key.js';
import { createKexInitTap, hassh } from './kexinit.js';
import { validateSshDetectors, watchSshDetectors, type SshDetectorRule } from './ssh-detectors.js';
import { handleSshConnection } from './ssh-session.js';
import { DEFAULT_USERDB, parseUserDb } from './userdb.js';

/** Configuration of the SSH honeypot. */
export interface SshServiceConfig extends ListenConfig {
  /** Folder holding the persistent host key (`ssh_host_ed25519_key`), created on first start. */
  hostKeyDir: string;
  /** Software version announced after `SSH-2.0-` (default a Debian 11 OpenSSH). */
  version?: string | undefined;
  /** Credential rules in Cowrie's userdb syntax (default {@link DEFAULT_USERDB}). */
  userdb?: readonly string[] | undefined;
  /** Let any public key log in (after logging it); default false, like Cowrie. */
  acceptPublicKeys?: boolean | undefined;
  /** Failed attempts before the connection is closed (default 6, OpenSSH's MaxAuthTries). */
  maxAuthAttempts?: number | undefined;
  /** What the emulated machine claims to be. */
  system?: SystemProfile | undefined;
  /**
   * Exploit detectors on client messages (a profile's `ssh_detectors`): a client sending one of
   * them is logged as `waggle.ssh.exploit` and disconnected.
   */
  detectors?: readonly SshDetectorRule[] | undefined;
}

/** The banner of Debian 11's OpenSSH, common on real servers. */
export const DEFAULT_SSH_VERSION = 'OpenSSH_8.4p1 Debian-5+deb11u3';

/**
 * Starts the SSH honeypot. Each admitted socket is first read passively for the client's
 * identification and KEXINIT (for `cowrie.client.version` / `cowrie.client.kex` with HASSH),
 * then handed to `ssh2`'s server, which does the real key exchange.
 */
export async function startSshService(config: SshServiceConfig, deps: ServiceDeps): Promise<RunningService> {
  validateListenConfig(config, 'ssh');
  const maxAuthAttempts = config.maxAuthAttempts ?? 6;
  if (!Number.isInteger(maxAuthAttempts) || maxAuthAttempts < 1) {
    throw new InputError('invalid ssh configuration: maxAuthAttempts must be a positive integer');
  }
  const version = config.version ?? DEFAULT_SSH_VERSION;
  if (!/^[\x21-\x7e]([\x20-\x7e]{0,200})$/.test(version)) {
    throw new InputError('invalid ssh configuration: version must be printable ASCII without leading space');
  }
  const rules = parseUserDb(config.userdb ?? DEFAULT_USERDB);
  const detectors = config.detectors ?? [];
  validateSshDetectors(detectors);
  const hostKey = loadOrCreateHostKey(config.hostKeyDir);
  const pending = new Map<string, SessionLog>();
  const sshServer = new ssh2.Server({ hostKeys: [hostKey], ident: version }, (client, info) => {
    const key = `${info.ip}:${info.port}`;
    const log = pending.get(key);
    if (log === undefined) {
      client.end();
      return;
    }
    // Installed at the client's identification, before key exchange, so no encrypted packet is missed.
    if (!watchSshDetectors(client, detectors, log)) {
      // The configured detectors cannot run with this ssh2 (see client-message-hook.ts): serving
      // the profile without them would look like "no exploit attempts", so refuse instead.
      client.end();
      return;
    }
    handleSshConnection(client, log, {
      rules,
      acceptPublicKeys: config.acceptPublicKeys ?? false,
      maxAuthAttempts,
      system: config.system ?? DEFAULT_SYSTEM,
      limits: deps.limits,
      now: deps.now,
      quarantineDir: deps.quarantineDir,
    });
  });
  sshServer.on('error', () => undefined);

  return startGuardedServer({
    host: config.host,
    port: config.port,
    protocol: 'ssh',
    deps,
    onSession(socket, log) {
      const key = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`;
      pending.set(key, log);
      socket.once('close', () => pending.delete(key));
      const tap = createKexInitTap((result) => {
        if (result.version !== undefined) log.emit('cowrie.client.version', { version: result.version });
        if (result.error !== undefined) {
          // Not SSH, or not a KEXINIT first: sshd drops such peers ("Bad packet length") and so
          // do we, instead of leaving ssh2 waiting on bytes that will never make a packet.
          setImmediate(() => socket.destroy());
          return;
        }
        if (result.kex !== undefined) {
          const k = result.kex;
          log.emit('cowrie.client.kex', {
            ...hassh(k),
            kexAlgs: k.kexAlgs,
            keyAlgs: k.keyAlgs,
            encCS: k.encCS,
            macCS: k.macCS,
            compCS: k.compCS,
            langCS: k.langCS,
          });
        }
      });
      const onData = (chunk: Buffer): void => {
        if (tap(chunk)) socket.off('data', onData);
      };
      // Attached before ssh2's own listener, in the same tick, so both see every byte.
      socket.on('data', onData);
      sshServer.injectSocket(socket);
    },
  });
}
