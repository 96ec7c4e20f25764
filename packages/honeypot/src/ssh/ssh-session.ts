import { createHash } from 'node:crypto';
import type { Connection, ServerChannel, Session } from 'ssh2';
import type { QuarantinedFile } from '../log/quarantine.js';
import type { SessionLog } from '../log/session-log.js';
import { createTtyLog } from '../log/tty-log.js';
import type { Limits } from '../service.js';
import { createFakeShell, type FakeShell } from '../shell/fake-shell.js';
import { createLineEditor } from '../shell/line-editor.js';
import type { SystemProfile } from '../shell/system-profile.js';
import { serveSftp, uploadName } from './sftp-handler.js';
import { createScpSink } from './scp-sink.js';
import { checkCredentials, type UserDbRule } from './userdb.js';

/** Per-connection settings derived from the service configuration. */
export interface SshSessionOptions {
  rules: readonly UserDbRule[];
  acceptPublicKeys: boolean;
  maxAuthAttempts: number;
  system: SystemProfile;
  limits: Limits;
  now: () => Date;
  quarantineDir: string | undefined;
}

/** Cowrie logs public keys with Twisted's fingerprint: MD5, colon-separated hex. */
export function md5Fingerprint(blob: Buffer): string {
  return createHash('md5').update(blob).digest('hex').replace(/(..)(?!$)/g, '$1:');
}

/** Cowrie's `arch` names (the file(1)-style architecture its fake binaries claim). */
export function cowrieArch(unameMachine: string): string {
  if (/^(x86_64|amd64)$/.test(unameMachine)) return 'linux-x64-lsb';
  if (/^(aarch64|arm64)$/.test(unameMachine)) return 'linux-arm64-lsb';
  if (unameMachine.startsWith('arm')) return 'linux-arm-lsb';
  if (unameMachine === 'mips') return 'linux-mips-msb';
  if (unameMachine === 'mipsel') return 'linux-mips-lsb';
  return 'linux-x86-lsb';
}

const motd = (s: SystemProfile): string =>
  `Linux ${s.hostname} ${s.kernel} ${s.arch}\n\nThe programs included with the Debian GNU/Linux system are free software;\n` +
  'the exact distribution terms for each program are described in the\nindividual files in /usr/share/doc/*/copyright.\n\n' +
  'Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\npermitted by applicable law.\n';

/**
 * Drives one authenticated-or-not SSH connection: authentication against the userdb, then
 * sessions (shell, exec, SCP, SFTP) answered by the fake shell. Port forwarding is logged
 * and refused; no request ever leads to real execution or an outbound connection.
 */
export function handleSshConnection(client: Connection, log: SessionLog, options: SshSessionOptions): void {
  let username = '';
  let failures = 0;
  let shell: FakeShell | undefined;
  const getShell = (): FakeShell => {
    shell ??= createFakeShell({
      flavor: 'bash',
      username,
      now: options.now,
      system: options.system,
      observer: {
        commandInput: (input) => log.emit('cowrie.command.input', { input }),
        commandFailed: (input) => log.emit('cowrie.command.failed', { input }),
        download: (url, destfile) => {
          // Recorded, never fetched: the honeypot makes no outbound connection.
          log.emit('cowrie.session.file_download', { url, outfile: '', shasum: '', destfile });
          log.emit('cowrie.session.file_download.failed', { url });
        },
      },
    });
    return shell;
  };
  const recordUpload = (path: string, file: QuarantinedFile): void => {
    log.emit('cowrie.session.file_upload', {
      filename: uploadName(path),
      outfile: file.outfile,
      shasum: file.shasum,
      size: file.size,
      duplicate: file.duplicate,
    });
  };

  client.on('error', () => undefined);
  client.on('authentication', (ctx) => {
    username = ctx.username;
    const refuse = (): void => {
      failures += 1;
      if (failures >= options.maxAuthAttempts) {
        ctx.reject();
        client.end();
        return;
      }
      ctx.reject(['password', 'publickey', 'keyboard-interactive']);
    };
    const tryPassword = (password: string): void => {
      if (checkCredentials(options.rules, ctx.username, password)) {
        log.emit('cowrie.login.success', { username: ctx.username, password });
        ctx.accept();
      } else {
        log.emit('cowrie.login.failed', { username: ctx.username, password });
        refuse();
      }
    };
    switch (ctx.method) {
      case 'password':
        return tryPassword(ctx.password);
      case 'keyboard-interactive':
        return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => tryPassword(answers[0] ?? ''));
      case 'publickey': {
        const blob = ctx.key.data;
        log.emit('cowrie.client.fingerprint', {
          username: ctx.username,
          fingerprint: md5Fingerprint(blob),
          key: `${ctx.key.algo} ${blob.toString('base64')}`,
          type: ctx.key.algo,
        });
        // Signatures are not verified: any key "works" when configured so, like Cowrie's option.
        if (options.acceptPublicKeys) return ctx.accept();
        return refuse();
      }
      case 'hostbased':
      case 'none':
        // `none` is how clients ask which methods exist; host-based trust is never granted.
        return ctx.reject(['password', 'publickey', 'keyboard-interactive']);
    }
  });

  client.on('tcpip', (_accept, reject, info) => {
    log.emit('cowrie.direct-tcpip.request', { dst_ip: info.destIP, dst_port: info.destPort, src_ip: info.srcIP, src_port: info.srcPort });
    reject();
  });
  client.on('openssh.streamlocal', (_accept, reject) => reject());
  client.on('request', (accept, reject) => reject?.());

  client.on('ready', () => {
    log.emit('cowrie.session.params', { arch: cowrieArch(options.system.arch) });
    client.on('session', (acceptSession) => {
      const session = acceptSession();
      handleSession(session);
    });
  });

  function handleSession(session: Session): void {
    let pty: { cols: number; rows: number } | undefined;
    session.on('pty', (accept, _reject, info) => {
      pty = { cols: info.cols, rows: info.rows };
      log.emit('cowrie.client.size', { width: info.cols, height: info.rows });
      accept?.();
    });
    session.on('window-change', (accept, _reject, info) => {
      log.emit('cowrie.client.size', { width: info.cols, height: info.rows });
      accept?.();
    });
    session.on('env', (accept, _reject, info) => {
      log.emit('cowrie.client.var', { name: info.key, value: info.val });
      accept?.();
    });
    session.on('x11', (_a, reject) => reject?.());
    session.on('auth-agent', (_a, reject) => reject?.());
    session.on('signal', (accept) => accept?.());
    session.on('shell', (accept) => runShell(accept(), pty));
    session.on('exec', (accept, _reject, info) => runExec(accept(), info.command));
    session.on('sftp', (accept) => {
      const sh = getShell();
      serveSftp(accept(), {
        fs: sh.fs,
        home: sh.cwd(),
        quarantineDir: options.quarantineDir,
        maxUploadBytes: options.limits.maxUploadBytes,
        onUpload: recordUpload,
      });
    });
    session.on('subsystem', (_a, reject) => reject?.());
  }

  function runShell(channel: ServerChannel, pty: { cols: number; rows: number } | undefined): void {
    channel.on('error', () => undefined);
    const sh = getShell();
    const nl = (text: string): string => (pty === undefined ? text : text.replace(/\r?\n/g, '\r\n'));
    const tty = createTtyLog(options.quarantineDir, options.now(), options.now, { width: pty?.cols ?? 80, height: pty?.rows ?? 24 });
    const editor = createLineEditor(options.limits.maxInputBytes, pty !== undefined);
    let truncatedReported = 0;
    let open = true;
    const write = (text: string): void => {
      if (!open || text === '') return;
      tty.output(text);
      channel.write(text);
    };
    const finish = (code: number): void => {
      if (!open) return;
      open = false;
      channel.exit(code);
      channel.end();
    };
    const started = log.elapsed();
    channel.once('close', () => {
      open = false;
      const result = tty.close();
      log.emit('cowrie.log.closed', { ...result, duration: Math.round((log.elapsed() - started) * 1000) / 1000 });
    });
    if (pty !== undefined) write(nl(`${motd(options.system)}`));
    write(sh.prompt());
    channel.on('data', (data: Buffer) => {
      const text = data.toString('utf8');
      tty.input(text);
      const out = editor.feed(text);
      write(out.echo);
      if (editor.truncated > truncatedReported) {
        truncatedReported = editor.truncated;
        log.emit('waggle.input.truncated', { limit: options.limits.maxInputBytes });
      }
      if (out.interrupted) write(sh.prompt());
      for (const line of out.lines) {
        const result = sh.execute(line);
        write(nl(result.output));
        if (result.exit) return finish(0);
        write(sh.prompt());
      }
      if (out.eof) {
        write(nl('logout\n'));
        finish(0);
      }
      return undefined;
    });
    channel.on('end', () => finish(0));
  }

  function runExec(channel: ServerChannel, command: string): void {
    channel.on('error', () => undefined);
    const sh = getShell();
    const input = command.slice(0, options.limits.maxInputBytes);
    if (command.length > input.length) log.emit('waggle.input.truncated', { limit: options.limits.maxInputBytes });
    const scp = /^\s*scp\s+(.*)$/.exec(input);
    if (scp !== null) return runScp(channel, sh, input, (scp[1] ?? '').split(/\s+/));
    const result = sh.execute(input);
    channel.write(result.output);
    channel.exit(result.code);
    channel.end();
    return undefined;
  }

  function runScp(channel: ServerChannel, sh: FakeShell, input: string, args: string[]): void {
    log.emit('cowrie.command.input', { input });
    const target = args.filter((a) => !a.startsWith('-')).at(-1) ?? '.';
    if (!args.includes('-t')) {
      channel.write(Buffer.from(`\x01scp: ${target}: No such file or directory\n`));
      channel.exit(1);
      channel.end();
      return;
    }
    const base = sh.fs.resolve(sh.cwd(), target);
    const intoDir = sh.fs.get(base)?.kind === 'dir';
    const feed = createScpSink({
      quarantineDir: options.quarantineDir,
      maxUploadBytes: options.limits.maxUploadBytes,
      maxLineBytes: 1024,
      reply: (data) => channel.write(data),
      end: (code) => {
        channel.exit(code);
        channel.end();
      },
      onUpload: (name, file) => {
        const path = intoDir ? `${base === '/' ? '' : base}/${name}` : base;
        sh.fs.writeFile(path, '');
        recordUpload(path, file);
      },
    });
    channel.on('data', (data: Buffer) => feed(data));
    channel.on('end', () => {
      channel.exit(0);
      channel.end();
    });
  }
}
