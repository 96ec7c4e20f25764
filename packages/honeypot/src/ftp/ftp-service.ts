import type { Socket } from 'node:net';
import { createLineBuffer } from '../limits/line-buffer.js';
import { startGuardedServer, validateListenConfig, type ListenConfig } from '../limits/guarded-server.js';
import { collectUpload } from '../log/quarantine.js';
import type { SessionLog } from '../log/session-log.js';
import type { RunningService, ServiceDeps } from '../service.js';
import { createFakeFs, type FakeFs } from '../shell/fake-fs.js';
import { checkCredentials, parseUserDb, type UserDbRule } from '../ssh/userdb.js';
import { openPassiveData, type PassiveData } from './passive-data.js';

/** Configuration of the FTP honeypot. */
export interface FtpServiceConfig extends ListenConfig {
  /** Accept `anonymous`/`ftp` with any password (default true). */
  allowAnonymous?: boolean | undefined;
  /** Other accepted credentials, Cowrie userdb syntax (default none). */
  userdb?: readonly string[] | undefined;
  /** Greeting after `220 ` (default vsftpd's). */
  banner?: string | undefined;
}

/**
 * Starts the FTP honeypot: a vsftpd look-alike with anonymous login, a fake listing, and
 * `STOR` over passive connections captured into quarantine (capped). Active mode
 * (`PORT`/`EPRT`) is refused, since it would make the sensor connect out.
 */
export async function startFtpService(config: FtpServiceConfig, deps: ServiceDeps): Promise<RunningService> {
  validateListenConfig(config, 'ftp');
  const rules = parseUserDb(config.userdb ?? []);
  const options = { rules, allowAnonymous: config.allowAnonymous ?? true, banner: config.banner ?? '(vsFTPd 3.0.3)', host: config.host, deps };
  return startGuardedServer({ host: config.host, port: config.port, protocol: 'ftp', deps, onSession: (socket, log) => handleFtp(socket, log, options) });
}

interface FtpOptions {
  rules: readonly UserDbRule[];
  allowAnonymous: boolean;
  banner: string;
  host: string;
  deps: ServiceDeps;
}

const seedFs = (now: Date): FakeFs => createFakeFs({ '/pub/README': 'Mirror of internal tools. Contact ops.\n', '/incoming': null, '/backup': null }, now, 65_536);

const MAX_PENDING_COMMANDS = 64;

function handleFtp(socket: Socket, log: SessionLog, o: FtpOptions): void {
  const { deps } = o;
  const lines = createLineBuffer(deps.limits.maxInputBytes);
  const fs = seedFs(deps.now());
  let user = '';
  let loggedIn = false;
  let cwd = '/';
  let passive: PassiveData | undefined;
  let queue = Promise.resolve();
  let pending = 0;
  const reply = (text: string): void => {
    if (!socket.destroyed) socket.write(`${text}\r\n`);
  };
  socket.once('close', () => passive?.close());

  const withData = async (run: (data: Socket) => Promise<void>, opening: string): Promise<void> => {
    const p = passive;
    passive = undefined;
    if (p === undefined) return reply('425 Use PORT or PASV first.');
    const data = await p.connection();
    if (data === undefined) return reply('425 Failed to establish connection.');
    reply(opening);
    await run(data);
    return undefined;
  };

  const handle = async (line: string): Promise<void> => {
    const space = line.indexOf(' ');
    const command = (space === -1 ? line : line.slice(0, space)).toUpperCase();
    const arg = space === -1 ? '' : line.slice(space + 1);
    if (command !== 'PASS') log.emit('waggle.ftp.command', { command, arg });
    if (!loggedIn && !['USER', 'PASS', 'QUIT', 'SYST', 'FEAT', 'NOOP', 'AUTH', 'OPTS'].includes(command)) {
      return reply('530 Please login with USER and PASS.');
    }
    switch (command) {
      case 'USER':
        user = arg;
        loggedIn = false;
        return reply('331 Please specify the password.');
      case 'PASS': {
        const anonymous = o.allowAnonymous && (user.toLowerCase() === 'anonymous' || user.toLowerCase() === 'ftp');
        if (anonymous || checkCredentials(o.rules, user, arg)) {
          loggedIn = true;
          log.emit('waggle.ftp.login.success', { username: user, password: arg });
          return reply('230 Login successful.');
        }
        log.emit('waggle.ftp.login.failed', { username: user, password: arg });
        return reply('530 Login incorrect.');
      }
      case 'SYST':
        return reply('215 UNIX Type: L8');
      case 'FEAT':
        return reply('211-Features:\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End');
      case 'OPTS':
        return reply('200 Always in UTF8 mode.');
      case 'AUTH':
        return reply('530 Please login with USER and PASS.');
      case 'NOOP':
        return reply('200 NOOP ok.');
      case 'PWD':
      case 'XPWD':
        return reply(`257 "${cwd}" is the current directory`);
      case 'CWD':
      case 'CDUP': {
        const target = fs.resolve(cwd, command === 'CDUP' ? '..' : arg);
        if (fs.get(target)?.kind !== 'dir') return reply('550 Failed to change directory.');
        cwd = target;
        return reply('250 Directory successfully changed.');
      }
      case 'TYPE':
        return reply(arg.toUpperCase().startsWith('A') ? '200 Switching to ASCII mode.' : '200 Switching to Binary mode.');
      case 'MODE':
      case 'STRU':
        return reply('200 Mode set.');
      case 'PORT':
      case 'EPRT':
        return reply('500 Illegal PORT command.');
      case 'PASV':
      case 'EPSV': {
        passive?.close();
        const local = socket.localAddress ?? o.host;
        passive = await openPassiveData(local, log.envelope.src_ip, Math.min(deps.limits.idleTimeoutMs, 30_000));
        if (command === 'EPSV') return reply(`229 Entering Extended Passive Mode (|||${passive.port}|)`);
        const v4 = log.envelope.dst_ip.includes('.') ? log.envelope.dst_ip : '127.0.0.1';
        return reply(`227 Entering Passive Mode (${v4.split('.').join(',')},${passive.port >> 8},${passive.port & 255}).`);
      }
      case 'LIST':
      case 'NLST':
        return withData(async (data) => {
          const path = fs.resolve(cwd, arg.startsWith('-') || arg === '' ? '.' : arg);
          const entries = fs.list(path) ?? [];
          const text = entries.map(([name, node]) =>
            command === 'NLST' ? name : `${node.kind === 'dir' ? 'drwxr-xr-x' : '-rw-r--r--'}    2 0        0            ${node.kind === 'file' ? node.content.length : 4096} Jan 12  2024 ${name}`);
          await new Promise<void>((r) => data.end(text.map((t) => `${t}\r\n`).join(''), () => r()));
          reply('226 Directory send OK.');
        }, '150 Here comes the directory listing.');
      case 'STOR':
      case 'APPE':
      case 'STOU': {
        const filename = arg === '' ? 'unnamed' : arg;
        return withData(async (data) => {
          const upload = collectUpload(deps.quarantineDir, deps.limits.maxUploadBytes);
          data.on('data', (chunk: Buffer) => upload.push(chunk));
          await new Promise<void>((r) => data.once('close', () => r()));
          const file = upload.finish();
          fs.writeFile(fs.resolve(cwd, filename), '');
          log.emit('cowrie.session.file_upload', {
            filename: filename.slice(filename.lastIndexOf('/') + 1),
            outfile: file.outfile,
            shasum: file.shasum,
            size: file.size,
            duplicate: file.duplicate,
          });
          reply('226 Transfer complete.');
        }, '150 Ok to send data.');
      }
      case 'RETR':
        passive?.close();
        passive = undefined;
        return reply('550 Failed to open file.');
      case 'SIZE':
      case 'MDTM':
        return reply('550 Could not get file size.');
      case 'DELE':
      case 'RMD':
      case 'MKD':
      case 'RNFR':
      case 'RNTO':
        return reply('550 Permission denied.');
      case 'QUIT':
        reply('221 Goodbye.');
        socket.end();
        return undefined;
      default:
        return reply('500 Unknown command.');
    }
  };

  reply(`220 ${o.banner}`);
  socket.on('data', (chunk: Buffer) => {
    const before = lines.truncated;
    const complete = lines.push(chunk);
    if (lines.truncated > before) log.emit('waggle.input.truncated', { limit: deps.limits.maxInputBytes });
    for (const line of complete) {
      // Commands run one after another, as on a real server, even when a data transfer waits;
      // a client that piles up commands meanwhile is cut off so the queue stays bounded.
      pending += 1;
      if (pending > MAX_PENDING_COMMANDS) {
        socket.destroy();
        return;
      }
      queue = queue
        .then(() => handle(line))
        .catch(() => {
          socket.destroy();
        })
        .finally(() => {
          pending -= 1;
        });
    }
  });
}
