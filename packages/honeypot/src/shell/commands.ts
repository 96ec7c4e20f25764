import type { FakeFs, FsNode } from './fake-fs.js';
import type { SystemProfile } from './system-profile.js';

/** What an emulated command sees and may change. */
export interface CommandContext {
  fs: FakeFs;
  system: SystemProfile;
  username: string;
  home: string;
  cwd: string;
  flavor: 'bash' | 'busybox';
  history: string[];
  now: () => Date;
  /** Records a download attempt (the honeypot never fetches). */
  download(url: string, destfile: string): void;
  /** Records a command the emulation does not know (Cowrie's `cowrie.command.failed`). */
  failed(input: string): void;
  /** Asks the shell to end the session. */
  exit(): void;
  /** Runs another command line (for `sh -c`, `sudo`, `busybox applet`). */
  run(line: string, stdin: string): CommandResult;
}

/** Output and exit status of one emulated command. */
export interface CommandResult {
  out: string;
  code: number;
}

/** An emulated command: parsed arguments in, text out; nothing is executed. */
export type Command = (ctx: CommandContext, args: string[], stdin: string) => CommandResult;

const ok = (out = ''): CommandResult => ({ out, code: 0 });
const fail = (out: string, code = 1): CommandResult => ({ out, code });
const uid = (ctx: CommandContext): number => (ctx.username === 'root' ? 0 : 1000);
const idLine = (ctx: CommandContext): string =>
  `uid=${uid(ctx)}(${ctx.username}) gid=${uid(ctx)}(${ctx.username}) groups=${uid(ctx)}(${ctx.username})`;

function modeString(node: FsNode): string {
  const bits = 'rwxrwxrwx';
  let s = node.kind === 'dir' ? 'd' : '-';
  for (let i = 0; i < 9; i += 1) s += node.mode & (1 << (8 - i)) ? bits[i] : '-';
  return s;
}

function ls(ctx: CommandContext, args: string[]): CommandResult {
  const long = args.some((a) => /^-[a-zA-Z]*l/.test(a));
  const all = args.some((a) => /^-[a-zA-Z]*a/.test(a));
  const targets = args.filter((a) => !a.startsWith('-'));
  const paths = targets.length === 0 ? ['.'] : targets;
  const out: string[] = [];
  let code = 0;
  for (const target of paths) {
    const entries = ctx.fs.list(ctx.fs.resolve(ctx.cwd, target, ctx.home));
    if (entries === undefined) {
      out.push(`ls: cannot access '${target}': No such file or directory`);
      code = 2;
      continue;
    }
    const shown = entries.filter(([name]) => all || !name.startsWith('.'));
    if (!long) {
      if (shown.length > 0) out.push(shown.map(([n]) => n).join('  '));
      continue;
    }
    out.push(`total ${shown.length * 4}`);
    for (const [name, node] of shown) {
      const size = node.kind === 'file' ? node.content.length : 4096;
      const date = node.mtime.toDateString().slice(4, 10);
      const time = node.mtime.toTimeString().slice(0, 5);
      out.push(`${modeString(node)} 1 ${ctx.username} ${ctx.username} ${String(size).padStart(5)} ${date} ${time} ${name}`);
    }
  }
  return { out: out.length > 0 ? `${out.join('\n')}\n` : '', code };
}

function cat(ctx: CommandContext, args: string[], stdin: string): CommandResult {
  const files = args.filter((a) => a !== '-' && !a.startsWith('-'));
  if (files.length === 0) return ok(stdin);
  let out = '';
  let code = 0;
  for (const f of files) {
    const path = ctx.fs.resolve(ctx.cwd, f, ctx.home);
    const node = ctx.fs.get(path);
    if (node === undefined) {
      out += `cat: ${f}: No such file or directory\n`;
      code = 1;
    } else if (node.kind === 'dir') {
      out += `cat: ${f}: Is a directory\n`;
      code = 1;
    } else out += node.content;
  }
  return { out, code };
}

/** Decodes `echo -e` escapes; bots use `\xNN` sequences to probe for a real shell. */
export function decodeEchoEscapes(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|0[0-7]{0,3}|[abefnrtv\\])/g, (_m, e: string) => {
    if (e.startsWith('x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e.startsWith('0')) return String.fromCharCode(parseInt(e.length > 1 ? e.slice(1) : '0', 8));
    const map: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    return map[e] ?? e;
  });
}

function echo(_ctx: CommandContext, args: string[]): CommandResult {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i] as string); i += 1) {
    const flag = args[i] as string;
    if (flag.includes('n')) newline = false;
    if (flag.includes('e')) escapes = true;
    if (flag.includes('E')) escapes = false;
  }
  const text = args.slice(i).join(' ');
  return ok(`${escapes ? decodeEchoEscapes(text) : text}${newline ? '\n' : ''}`);
}

/** Extracts the URL and output file of a wget/curl/tftp invocation. */
function downloadTarget(args: string[], outputFlags: string[]): { url: string | undefined; out: string | undefined } {
  let url: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i] as string;
    if (outputFlags.includes(a)) {
      out = args[i + 1];
      i += 1;
    } else if (!a.startsWith('-') && url === undefined) url = a;
  }
  return { url, out };
}

function hostOf(url: string): { host: string; port: string } {
  const m = /^(?:[a-z]+:\/\/)?([^/:]+)(?::(\d+))?/i.exec(url);
  return { host: m?.[1] ?? url, port: m?.[2] ?? (url.startsWith('https') ? '443' : '80') };
}

function fetchLike(kind: 'wget' | 'curl', ctx: CommandContext, args: string[]): CommandResult {
  const { url, out } = downloadTarget(args, kind === 'wget' ? ['-O'] : ['-o', '--output']);
  if (url === undefined) {
    return kind === 'wget'
      ? fail(`wget: missing URL\nUsage: wget [OPTION]... [URL]...\n`)
      : fail(`curl: try 'curl --help' or 'curl --manual' for more information\n`, 2);
  }
  const remoteName = url.split('?')[0]?.split('/').pop() || 'index.html';
  const saveAs = kind === 'curl' && out === undefined && !args.includes('-O') ? '' : out ?? remoteName;
  ctx.download(url, saveAs === '' ? '' : ctx.fs.resolve(ctx.cwd, saveAs, ctx.home));
  const { host, port } = hostOf(url);
  const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(host);
  if (kind === 'curl') {
    return isIp
      ? fail(`curl: (7) Failed to connect to ${host} port ${port}: Connection refused\n`, 7)
      : fail(`curl: (6) Could not resolve host: ${host}\n`, 6);
  }
  if (ctx.flavor === 'busybox') {
    return fail(`Connecting to ${host} (${host}:${port})\nwget: can't connect to remote host (${host}): Connection refused\n`);
  }
  const stamp = ctx.now().toISOString().slice(0, 19).replace('T', ' ');
  return isIp
    ? fail(`--${stamp}--  ${url}\nConnecting to ${host}:${port}... failed: Connection refused.\n`, 4)
    : fail(`--${stamp}--  ${url}\nResolving ${host} (${host})... failed: Temporary failure in name resolution.\nwget: unable to resolve host address '${host}'\n`, 4);
}

/** Input of a filter command: the named files, or stdin when none is given. */
function filterInput(ctx: CommandContext, files: string[], stdin: string): { text: string; error: string } {
  if (files.length === 0) return { text: stdin, error: '' };
  let text = '';
  let error = '';
  for (const f of files) {
    const content = ctx.fs.readFile(ctx.fs.resolve(ctx.cwd, f, ctx.home));
    if (content === undefined) error += `${f}: No such file or directory\n`;
    else text += content;
  }
  return { text, error };
}

function lineCount(args: string[]): { n: number; rest: string[] } {
  let n = 10;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i] as string;
    if (a === '-n') {
      n = Number(args[i + 1] ?? 10);
      i += 1;
    } else if (/^-n?\d+$/.test(a)) n = Number(a.replace(/^-n?/, ''));
    else rest.push(a);
  }
  return { n: Number.isFinite(n) ? n : 10, rest };
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function headTail(which: 'head' | 'tail', ctx: CommandContext, args: string[], stdin: string): CommandResult {
  const { n, rest } = lineCount(args);
  const { text, error } = filterInput(ctx, rest, stdin);
  const lines = splitLines(text);
  const picked = which === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n));
  return { out: (error === '' ? '' : `${which}: ${error}`) + picked.map((l) => `${l}\n`).join(''), code: error === '' ? 0 : 1 };
}

function grep(ctx: CommandContext, args: string[], stdin: string): CommandResult {
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const [pattern, ...files] = args.filter((a) => !a.startsWith('-'));
  if (pattern === undefined) return fail('Usage: grep [OPTION]... PATTERNS [FILE]...\n', 2);
  const { text, error } = filterInput(ctx, files, stdin);
  const needle = flags.includes('i') ? pattern.toLowerCase() : pattern;
  const hit = (l: string): boolean => (flags.includes('i') ? l.toLowerCase() : l).includes(needle) !== flags.includes('v');
  const lines = splitLines(text).filter(hit);
  const out = flags.includes('c') ? `${lines.length}\n` : lines.map((l) => `${l}\n`).join('');
  return { out: (error === '' ? '' : `grep: ${error}`) + out, code: lines.length > 0 ? 0 : 1 };
}

function wc(ctx: CommandContext, args: string[], stdin: string): CommandResult {
  const { text, error } = filterInput(ctx, args.filter((a) => !a.startsWith('-')), stdin);
  const counts = { l: (text.match(/\n/g) ?? []).length, w: text.split(/\s+/).filter(Boolean).length, c: Buffer.byteLength(text) };
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const picked = (['l', 'w', 'c'] as const).filter((f) => flags === '' || flags.includes(f));
  return { out: (error === '' ? '' : `wc: ${error}`) + `${picked.map((f) => counts[f]).join(' ')}\n`, code: error === '' ? 0 : 1 };
}

const PS =
  '  PID TTY          TIME CMD\n    1 ?        00:00:04 systemd\n  412 ?        00:00:00 sshd\n' +
  '  509 ?        00:00:01 cron\n 1843 pts/0    00:00:00 bash\n 1862 pts/0    00:00:00 ps\n';

function uptimeText(ctx: CommandContext): string {
  return ` ${ctx.now().toISOString().slice(11, 19)} up 13 days, 23:13,  1 user,  load average: 0.08, 0.03, 0.01\n`;
}

/** The emulated commands, by name. */
export const COMMANDS: Record<string, Command> = {
  ls,
  ll: (ctx, args) => ls(ctx, ['-la', ...args]),
  dir: ls,
  cat,
  echo,
  pwd: (ctx) => ok(`${ctx.cwd}\n`),
  head: (ctx, args, stdin) => headTail('head', ctx, args, stdin),
  tail: (ctx, args, stdin) => headTail('tail', ctx, args, stdin),
  grep,
  wc,
  cd(ctx, args) {
    const target = args[0] ?? '~';
    const path = ctx.fs.resolve(ctx.cwd, target, ctx.home);
    const node = ctx.fs.get(path);
    if (node === undefined) return fail(`bash: cd: ${target}: No such file or directory\n`);
    if (node.kind !== 'dir') return fail(`bash: cd: ${target}: Not a directory\n`);
    ctx.cwd = path;
    return ok();
  },
  uname(ctx, args) {
    const s = ctx.system;
    if (args.some((a) => a.includes('a'))) return ok(`Linux ${s.hostname} ${s.kernel} ${s.arch} ${s.os}\n`);
    if (args.includes('-m') || args.includes('-p')) return ok(`${s.arch}\n`);
    if (args.includes('-r')) return ok(`${s.kernel.split(' ')[0] ?? ''}\n`);
    if (args.includes('-n')) return ok(`${s.hostname}\n`);
    return ok('Linux\n');
  },
  whoami: (ctx) => ok(`${ctx.username}\n`),
  id: (ctx) => ok(`${idLine(ctx)}\n`),
  hostname: (ctx) => ok(`${ctx.system.hostname}\n`),
  ps: () => ok(PS),
  w: (ctx) => ok(`${uptimeText(ctx)}USER     TTY      FROM             LOGIN@   IDLE   JCPU   PCPU WHAT\n${ctx.username.padEnd(8)} pts/0    ${ctx.system.ip.padEnd(16)} ${ctx.now().toISOString().slice(11, 16)}    0.00s  0.01s  0.00s w\n`),
  uptime: (ctx) => ok(uptimeText(ctx)),
  free(ctx) {
    const t = ctx.system.memTotalKb;
    return ok(`               total        used        free      shared  buff/cache   available\nMem:        ${String(t).padStart(8)}      256864      997740        1204      775796     1658616\nSwap:         998396           0      998396\n`);
  },
  df: () => ok('Filesystem     1K-blocks    Used Available Use% Mounted on\nudev              998300       0    998300   0% /dev\ntmpfs             203068     520    202548   1% /run\n/dev/sda1       20509264 3461132  15983172  18% /\ntmpfs            1015324       0   1015324   0% /dev/shm\n'),
  ifconfig: (ctx) => ok(`eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n        inet ${ctx.system.ip}  netmask 255.255.255.0  broadcast 10.0.2.255\n        ether 52:54:00:12:34:56  txqueuelen 1000  (Ethernet)\n\nlo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n        inet 127.0.0.1  netmask 255.0.0.0\n\n`),
  ip: (ctx, args) =>
    args[0] === undefined || !/^(a|addr|address|link|route|r)$/.test(args[0])
      ? fail('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n', 255)
      : ok(`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    inet 127.0.0.1/8 scope host lo\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000\n    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n    inet ${ctx.system.ip}/24 brd 10.0.2.255 scope global eth0\n`),
  nproc: (ctx) => ok(`${ctx.system.cpus}\n`),
  history: (ctx) => ok(ctx.history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`).join('')),
  exit: (ctx) => {
    ctx.exit();
    return ok();
  },
  logout: (ctx) => {
    ctx.exit();
    return ok();
  },
  wget: (ctx, args) => fetchLike('wget', ctx, args),
  curl: (ctx, args) => fetchLike('curl', ctx, args),
  tftp: (ctx, args) => {
    const host = args.find((a) => !a.startsWith('-')) ?? '';
    const file = args[args.indexOf('-r') + 1] ?? args[args.indexOf('-g') + 1] ?? '';
    ctx.download(`tftp://${host}/${file}`, ctx.fs.resolve(ctx.cwd, file, ctx.home));
    return fail(`tftp: timeout\n`);
  },
  chmod(ctx, args) {
    const [mode, ...files] = args.filter((a) => !a.startsWith('-') || /^-[rwx]+$/.test(a));
    if (mode === undefined || files.length === 0) return fail(`chmod: missing operand\n`);
    const numeric = /^[0-7]{3,4}$/.test(mode) ? parseInt(mode, 8) : undefined;
    let out = '';
    for (const f of files) {
      const path = ctx.fs.resolve(ctx.cwd, f, ctx.home);
      const node = ctx.fs.get(path);
      if (node === undefined) out += `chmod: cannot access '${f}': No such file or directory\n`;
      else ctx.fs.chmod(path, numeric ?? (mode.includes('+x') ? node.mode | 0o111 : node.mode));
    }
    return { out, code: out === '' ? 0 : 1 };
  },
  rm(ctx, args) {
    const recursive = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a));
    const force = args.some((a) => /^-[a-zA-Z]*f/.test(a));
    let out = '';
    for (const f of args.filter((a) => !a.startsWith('-'))) {
      const path = ctx.fs.resolve(ctx.cwd, f, ctx.home);
      const node = ctx.fs.get(path);
      if (node === undefined) {
        if (!force) out += `rm: cannot remove '${f}': No such file or directory\n`;
      } else if (node.kind === 'dir' && !recursive) out += `rm: cannot remove '${f}': Is a directory\n`;
      else ctx.fs.remove(path, true);
    }
    return { out, code: out === '' ? 0 : 1 };
  },
  mkdir(ctx, args) {
    const parents = args.includes('-p');
    let out = '';
    for (const d of args.filter((a) => !a.startsWith('-'))) {
      if (!ctx.fs.mkdir(ctx.fs.resolve(ctx.cwd, d, ctx.home), parents) && !parents) {
        out += `mkdir: cannot create directory '${d}': File exists\n`;
      }
    }
    return { out, code: out === '' ? 0 : 1 };
  },
  touch(ctx, args) {
    for (const f of args.filter((a) => !a.startsWith('-'))) {
      const path = ctx.fs.resolve(ctx.cwd, f, ctx.home);
      if (ctx.fs.get(path) === undefined) ctx.fs.writeFile(path, '');
    }
    return ok();
  },
  which: (_ctx, args) => ok(args.filter((a) => a in COMMANDS).map((a) => `/usr/bin/${a}\n`).join('')),
  export: () => ok(),
  unset: () => ok(),
  true: () => ok(),
  false: () => fail(''),
  ':': () => ok(),
  sleep: () => ok(),
  clear: () => ok('\x1b[H\x1b[2J'),
  sudo(ctx, args, stdin) {
    const rest = args.filter((a, i) => !(a.startsWith('-') && i === 0));
    return rest.length === 0 ? fail('usage: sudo -h | -K | -k | -V\n') : ctx.run(rest.map(quote).join(' '), stdin);
  },
  sh: shell,
  bash: shell,
  busybox(ctx, args, stdin) {
    const [applet, ...rest] = args;
    if (applet === undefined) return ok('BusyBox v1.30.1 (Debian 1:1.30.1-6+b3) multi-call binary.\nUsage: busybox [function [arguments]...]\n');
    if (!(applet in COMMANDS) || applet === 'busybox') {
      ctx.failed(['busybox', ...args].join(' '));
      return fail(`${applet}: applet not found\n`, 127);
    }
    return ctx.run([applet, ...rest].map(quote).join(' '), stdin);
  },
};

function shell(ctx: CommandContext, args: string[], stdin: string): CommandResult {
  const c = args.indexOf('-c');
  if (c !== -1) return ctx.run(args[c + 1] ?? '', stdin);
  return stdin === '' ? ok() : ctx.run(stdin, '');
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
