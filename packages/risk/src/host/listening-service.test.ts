import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { isLoopbackAddress, parseListeningServices } from './listening-service.js';
import { parseProcNetTcp, readProcListeners, type ProcFs } from './proc-net.js';
import { parseEvidence } from './evidence.js';

describe('parseListeningServices', () => {
  it('reads entries with defaults', () => {
    expect(parseListeningServices('[{"port":22,"process":"sshd"},{"port":5432,"address":"127.0.0.1","protocol":"tcp","package":"postgresql-15"}]')).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd' },
      { protocol: 'tcp', address: '127.0.0.1', port: 5432, package: 'postgresql-15' },
    ]);
  });
  it.each([
    ['nope', /not JSON/],
    ['{}', /expected a JSON array/],
    ['[{"port":70000}]', /\[0\]: port must be an integer/],
    ['[{"port":1,"protocol":"sctp"}]', /protocol must be/],
    ['[{"port":1,"process":5}]', /process and package must be strings/],
  ])('rejects %s', (text, message) => {
    expect(() => parseListeningServices(text)).toThrow(InputError);
    expect(() => parseListeningServices(text)).toThrow(message);
  });
  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1', '[::1]'].every(isLoopbackAddress)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.5', '::ffff:10.0.0.1'].some(isLoopbackAddress)).toBe(false);
  });
});

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0
   1: 3500007F:0035 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 1002 1 0000000000000000 100 0 0 10 5
   2: 0100007F:0016 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000     0        0 1003 1 0000000000000000 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2002 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2003 1 0000000000000000 100 0 0 10 0
   3: B80D0120000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2004 1 0000000000000000 100 0 0 10 0
`;

describe('/proc reading', () => {
  it('decodes listening sockets only, with little-endian addresses', () => {
    expect(parseProcNetTcp(TCP, 'tcp')).toEqual([
      { address: '0.0.0.0', port: 22, inode: '1001' },
      { address: '127.0.0.53', port: 53, inode: '1002' },
    ]);
    expect(parseProcNetTcp(TCP6, 'tcp6').map((s) => `${s.address} ${s.port}`)).toEqual([':: 22', '::1 8080', '::ffff:127.0.0.1 80', '2001:db8::1 443']);
  });

  it('names processes through fd links, and says what it could not read', () => {
    const files: Record<string, string> = { '/p/net/tcp': TCP, '/p/net/tcp6': TCP6, '/p/10/comm': 'sshd\n', '/p/20/comm': 'nginx\n' };
    const dirs: Record<string, string[]> = { '/p': ['10', '20', '30', 'self', 'net'], '/p/10/fd': ['0', '3', '4'], '/p/20/fd': ['7'] };
    const links: Record<string, string> = { '/p/10/fd/0': '/dev/null', '/p/10/fd/3': 'socket:[1001]', '/p/10/fd/4': 'socket:[2001]', '/p/20/fd/7': 'socket:[2002]' };
    const fail = (p: string): never => {
      throw Object.assign(new Error(`EACCES: permission denied, ${p}`), { code: 'EACCES' });
    };
    const fs: ProcFs = { readFile: (p) => files[p] ?? fail(p), readdir: (p) => dirs[p] ?? fail(p), readlink: (p) => links[p] ?? fail(p) };
    const r = readProcListeners({ fs, procRoot: '/p' });
    expect(r.services).toContainEqual({ protocol: 'tcp', address: '0.0.0.0', port: 22, pid: 10, process: 'sshd' });
    expect(r.services).toContainEqual({ protocol: 'tcp6', address: '::1', port: 8080, pid: 20, process: 'nginx' });
    expect(r.services).toContainEqual({ protocol: 'tcp', address: '127.0.0.53', port: 53 });
    expect(r.notes).toEqual(['1 process(es) could not be inspected (permission denied); run as root to name every listener', '3 listening socket(s) could not be attributed to a process']);
  });

  it('degrades gracefully without /proc', () => {
    const fs: ProcFs = {
      readFile: () => {
        throw new Error('ENOENT');
      },
      readdir: () => {
        throw new Error('ENOENT');
      },
      readlink: () => '',
    };
    const r = readProcListeners({ fs, procRoot: '/none' });
    expect(r.services).toEqual([]);
    expect(r.notes).toEqual(['could not read /none/net/tcp: ENOENT', 'could not read /none/net/tcp6: ENOENT', 'could not list /none: ENOENT']);
  });
});

describe('parseEvidence', () => {
  it('reads all three kinds', () => {
    expect(parseEvidence('{"sightings":[{"cve":"CVE-2024-1","count":2}],"alerts":[{"signature":"x"}],"actors":[{"name":"A","techniques":["T1190"],"cves":["CVE-2024-1"]}]}')).toEqual({
      sightings: [{ cve: 'CVE-2024-1', count: 2 }],
      alerts: [{ signature: 'x' }],
      actors: [{ name: 'A', techniques: ['T1190'], cves: ['CVE-2024-1'] }],
    });
    expect(parseEvidence('{}')).toEqual({ sightings: [], alerts: [], actors: [] });
  });
  it.each([
    ['[', /not JSON/],
    ['[]', /expected an object/],
    ['{"sightings":[{"cve":"C"}]}', /sightings\[0\] needs a cve and a count/],
    ['{"alerts":[{"count":-1}]}', /alerts\[0\] has a bad/],
    ['{"actors":[{"techniques":[]}]}', /actors\[0\] needs a name/],
    ['{"actors":[{"name":"A","techniques":[1]}]}', /techniques must be an array of strings/],
    ['{"actors":{}}', /actors must be an array/],
  ])('rejects %s', (text, message) => {
    expect(() => parseEvidence(text)).toThrow(InputError);
    expect(() => parseEvidence(text)).toThrow(message);
  });
});
