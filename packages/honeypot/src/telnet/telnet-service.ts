import type { Socket } from 'node:net';
import { InputError } from '@waggle/errors';
import { startGuardedServer, validateListenConfig, type ListenConfig } from '../limits/guarded-server.js';
import type { SessionLog } from '../log/session-log.js';
import { createTtyLog } from '../log/tty-log.js';
import type { RunningService, ServiceDeps } from '../service.js';
import { createFakeShell, type FakeShell } from '../shell/fake-shell.js';
import { createLineEditor } from '../shell/line-editor.js';
import { DEFAULT_SYSTEM, type SystemProfile } from '../shell/system-profile.js';
import { checkCredentials, DEFAULT_USERDB, parseUserDb, type UserDbRule } from '../ssh/userdb.js';
import { createIacParser, SERVER_GREETING } from './iac.js';

/** Configuration of the Telnet honeypot. */
export interface TelnetServiceConfig extends ListenConfig {
  /** Credential rules in Cowrie's userdb syntax (default: root with any password but `root`/`123456`). */
  userdb?: readonly string[] | undefined;
  /** Failed logins before the connection is dropped (default 3, like BusyBox `login`). */
  maxLoginAttempts?: number | undefined;
  /** What the emulated device claims to be. */
  system?: SystemProfile | undefined;
  /** Text shown after a successful login. */
  banner?: string | undefined;
}

const DEFAULT_BANNER = '\n\nBusyBox v1.30.1 (2021-03-03 08:12:51 UTC) built-in shell (ash)\nEnter \'help\' for a list of built-in commands.\n\n';

/**
 * Starts the Telnet honeypot: BusyBox-style login and shell as seen by IoT botnets (Mirai
 * and its descendants), option negotiation stripped and answered, Cowrie event ids with
 * `protocol: "telnet"`.
 */
export async function startTelnetService(config: TelnetServiceConfig, deps: ServiceDeps): Promise<RunningService> {
  validateListenConfig(config, 'telnet');
  const maxLoginAttempts = config.maxLoginAttempts ?? 3;
  if (!Number.isInteger(maxLoginAttempts) || maxLoginAttempts < 1) {
    throw new InputError('invalid telnet configuration: maxLoginAttempts must be a positive integer');
  }
  const rules = parseUserDb(config.userdb ?? DEFAULT_USERDB);
  const system = config.system ?? DEFAULT_SYSTEM;
  return startGuardedServer({
    host: config.host,
    port: config.port,
    protocol: 'telnet',
    deps,
    onSession: (socket, log) => handleTelnet(socket, log, { rules, maxLoginAttempts, system, banner: config.banner ?? DEFAULT_BANNER, deps }),
  });
}

interface TelnetOptions {
  rules: readonly UserDbRule[];
  maxLoginAttempts: number;
  system: SystemProfile;
  banner: string;
  deps: ServiceDeps;
}

function handleTelnet(socket: Socket, log: SessionLog, o: TelnetOptions): void {
  const { deps } = o;
  const iac = createIacParser();
  const editor = createLineEditor(deps.limits.maxInputBytes, true);
  const tty = createTtyLog(deps.quarantineDir, deps.now(), deps.now, { width: 80, height: 24 });
  let phase: 'user' | 'password' | 'shell' | 'closed' = 'user';
  let username = '';
  let failures = 0;
  let truncatedReported = 0;
  let shell: FakeShell | undefined;

  const send = (text: string): void => {
    if (phase === 'closed' || text === '') return;
    tty.output(text);
    socket.write(text.replace(/\r?\n/g, '\r\n'));
  };
  const close = (): void => {
    phase = 'closed';
    socket.end();
  };
  socket.once('close', () => {
    phase = 'closed';
    log.emit('cowrie.log.closed', { ...tty.close(), duration: log.elapsed() });
  });

  const onLine = (line: string): void => {
    if (phase === 'user') {
      username = line.trim();
      if (username === '') return send(`${o.system.hostname} login: `);
      phase = 'password';
      editor.echo = false;
      return send('Password: ');
    }
    if (phase === 'password') {
      editor.echo = true;
      send('\n');
      if (checkCredentials(o.rules, username, line)) {
        log.emit('cowrie.login.success', { username, password: line });
        phase = 'shell';
        shell = createFakeShell({
          flavor: 'busybox',
          username,
          now: deps.now,
          system: o.system,
          observer: {
            commandInput: (input) => log.emit('cowrie.command.input', { input }),
            commandFailed: (input) => log.emit('cowrie.command.failed', { input }),
            download: (url, destfile) => {
              log.emit('cowrie.session.file_download', { url, outfile: '', shasum: '', destfile });
              log.emit('cowrie.session.file_download.failed', { url });
            },
          },
        });
        send(o.banner);
        return send(shell.prompt());
      }
      log.emit('cowrie.login.failed', { username, password: line });
      failures += 1;
      send('Login incorrect\n');
      if (failures >= o.maxLoginAttempts) return close();
      phase = 'user';
      return send(`${o.system.hostname} login: `);
    }
    if (phase === 'shell' && shell !== undefined) {
      const result = shell.execute(line);
      send(result.output);
      if (result.exit) return close();
      return send(shell.prompt());
    }
    return undefined;
  };

  socket.write(SERVER_GREETING);
  send(`${o.system.hostname} login: `);
  socket.on('data', (chunk: Buffer) => {
    const { data, reply } = iac.feed(chunk);
    if (reply.length > 0) socket.write(reply);
    const text = data.toString('latin1');
    tty.input(text);
    // Fed piece by piece so a password that arrives in the same packet as the user name is not echoed.
    for (const piece of text.split(/(?<=[\r\n])/)) {
      if (phase === 'closed') return;
      const out = editor.feed(piece);
      if (out.echo !== '') socket.write(out.echo);
      if (editor.truncated > truncatedReported) {
        truncatedReported = editor.truncated;
        log.emit('waggle.input.truncated', { limit: deps.limits.maxInputBytes });
      }
      for (const line of out.lines) onLine(line);
      if (out.eof) close();
    }
  });
}
