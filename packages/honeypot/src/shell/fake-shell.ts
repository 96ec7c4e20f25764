import { COMMANDS, type CommandContext, type CommandResult } from './commands.js';
import { createFakeFs, type FakeFs } from './fake-fs.js';
import { parseCommandLine } from './parse.js';
import { DEFAULT_SYSTEM, systemSeed, type SystemProfile } from './system-profile.js';

/** What the shell reports; wired to the session's Cowrie events by the service. */
export interface ShellObserver {
  commandInput(input: string): void;
  commandFailed(input: string): void;
  download(url: string, destfile: string): void;
}

/** Options of {@link createFakeShell}. */
export interface FakeShellOptions {
  /** `bash` for SSH sessions, `busybox` for IoT-style Telnet. */
  flavor: 'bash' | 'busybox';
  username: string;
  observer: ShellObserver;
  now: () => Date;
  system?: SystemProfile;
  /** Bytes the session may write into its in-memory file system (default 1 MiB). */
  maxFsBytes?: number;
}

/** An emulated shell: every line is parsed and answered from emulation, never executed. */
export interface FakeShell {
  readonly fs: FakeFs;
  /** Current folder. */
  cwd(): string;
  prompt(): string;
  /** Interprets one input line; `exit` is true once the attacker logged out. */
  execute(line: string): { output: string; exit: boolean; code: number };
}

const MAX_DEPTH = 8;
/** Builtins of BusyBox-based IoT consoles that bots type to leave a restricted CLI. */
const BUSYBOX_BUILTINS = new Set(['enable', 'system', 'shell', 'linuxshell', 'config', 'terminal']);

/** Creates one session's shell with its own writable in-memory file system. */
export function createFakeShell(options: FakeShellOptions): FakeShell {
  const system = options.system ?? DEFAULT_SYSTEM;
  const home = options.username === 'root' ? '/root' : `/home/${options.username}`;
  const fs = createFakeFs(systemSeed(system, options.username), options.now(), options.maxFsBytes);
  const history: string[] = [];
  let exited = false;
  let depth = 0;

  const ctx: CommandContext = {
    fs,
    system,
    username: options.username,
    home,
    cwd: home,
    flavor: options.flavor,
    history,
    now: options.now,
    download: (url, destfile) => {
      options.observer.download(url, destfile);
      // The attacker sees no file appear: the fetch "failed", as its output says.
    },
    failed: (input) => options.observer.commandFailed(input),
    exit: () => {
      exited = true;
    },
    run: (line, stdin) => runLine(line, stdin),
  };

  function runCommand(argv: string[], stdin: string): CommandResult {
    const [raw, ...args] = argv;
    if (raw === undefined) return { out: '', code: 0 };
    const name = raw.includes('/') ? raw.slice(raw.lastIndexOf('/') + 1) : raw;
    if (options.flavor === 'busybox' && BUSYBOX_BUILTINS.has(name)) return { out: '', code: 0 };
    const command = COMMANDS[name];
    const known = command !== undefined && (!raw.includes('/') || /^\/(usr\/)?s?bin\//.test(raw));
    if (!known) {
      options.observer.commandFailed(argv.join(' '));
      if (raw.includes('/')) {
        const exists = fs.get(fs.resolve(ctx.cwd, raw, home)) !== undefined;
        return { out: `${options.flavor === 'busybox' ? '-sh' : 'bash'}: ${raw}: ${exists ? 'Permission denied' : 'No such file or directory'}\n`, code: exists ? 126 : 127 };
      }
      return options.flavor === 'busybox'
        ? { out: `-sh: ${raw}: not found\n`, code: 127 }
        : { out: `bash: ${raw}: command not found\n`, code: 127 };
    }
    return command(ctx, args, stdin);
  }

  function runLine(line: string, stdin: string): CommandResult {
    if (depth >= MAX_DEPTH) return { out: '', code: 1 };
    depth += 1;
    try {
      let out = '';
      let code = 0;
      for (const { op, pipeline } of parseCommandLine(line)) {
        if ((op === '&&' && code !== 0) || (op === '||' && code === 0)) continue;
        let input = stdin;
        for (const command of pipeline) {
          const result = runCommand(command.argv, input);
          code = result.code;
          input = result.out;
          const target = command.redirects.at(-1);
          if (target !== undefined) {
            if (target.path !== '/dev/null') fs.writeFile(fs.resolve(ctx.cwd, target.path, home), result.out, target.append);
            input = '';
          }
          if (exited) break;
        }
        out += input;
        if (exited) break;
      }
      return { out, code };
    } finally {
      depth -= 1;
    }
  }

  return {
    fs,
    cwd: () => ctx.cwd,
    prompt() {
      if (options.flavor === 'busybox') return options.username === 'root' ? '# ' : '$ ';
      const where = ctx.cwd === home ? '~' : ctx.cwd;
      return `${options.username}@${system.hostname}:${where}${options.username === 'root' ? '#' : '$'} `;
    },
    execute(line) {
      const trimmed = line.trim();
      if (trimmed === '') return { output: '', exit: exited, code: 0 };
      options.observer.commandInput(trimmed);
      history.push(trimmed);
      const { out, code } = runLine(trimmed, '');
      return { output: out, exit: exited, code };
    },
  };
}
