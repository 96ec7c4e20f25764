import type { FsSeed } from './fake-fs.js';

/** What the emulated machine claims to be. */
export interface SystemProfile {
  hostname: string;
  kernel: string;
  /** `uname -m`. */
  arch: string;
  os: string;
  cpus: number;
  memTotalKb: number;
  ip: string;
}

/** A plausible small Debian VPS, like Cowrie's default `svr04`. */
export const DEFAULT_SYSTEM: SystemProfile = {
  hostname: 'svr04',
  kernel: '5.10.0-28-amd64 #1 SMP Debian 5.10.209-2 (2024-01-31)',
  arch: 'x86_64',
  os: 'GNU/Linux',
  cpus: 2,
  memTotalKb: 2_030_652,
  ip: '10.0.2.15',
};

const CPU = (n: number): string =>
  `processor\t: ${n}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n` +
  `model name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz\nstepping\t: 4\ncpu MHz\t\t: 2394.374\n` +
  `cache size\t: 28160 KB\nphysical id\t: 0\nsiblings\t: 2\ncore id\t\t: ${n}\ncpu cores\t: 2\n` +
  `flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology cpuid pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch avx2 bmi1 bmi2 avx512f\n` +
  `bogomips\t: 4788.74\n\n`;

/** The seed of every session's file system for a profile. */
export function systemSeed(profile: SystemProfile, username: string): FsSeed {
  const home = username === 'root' ? '/root' : `/home/${username}`;
  return {
    '/bin': null, '/boot': null, '/dev': null, '/lib': null, '/media': null, '/mnt': null, '/opt': null,
    '/run': null, '/sbin': null, '/srv': null, '/sys': null, '/usr/bin': null, '/usr/sbin': null,
    '/usr/lib': null, '/usr/local/bin': null, '/var/log': null, '/var/tmp': null, '/var/www': null,
    '/tmp': null, '/home': null, '/root': null, [home]: null,
    '/etc/passwd':
      'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' +
      'bin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\n' +
      'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' +
      'sshd:x:105:65534::/run/sshd:/usr/sbin/nologin\nphil:x:1000:1000:Phil,,,:/home/phil:/bin/bash\n',
    '/etc/group': 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:phil\nsudo:x:27:phil\nwww-data:x:33:\nphil:x:1000:\n',
    '/etc/shadow': '',
    '/etc/hostname': `${profile.hostname}\n`,
    '/etc/hosts': `127.0.0.1\tlocalhost\n127.0.1.1\t${profile.hostname}\n`,
    '/etc/issue': 'Debian GNU/Linux 11 \\n \\l\n\n',
    '/etc/os-release':
      'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\nVERSION_ID="11"\n' +
      'VERSION="11 (bullseye)"\nVERSION_CODENAME=bullseye\nID=debian\nHOME_URL="https://www.debian.org/"\n',
    '/etc/resolv.conf': 'nameserver 10.0.2.3\n',
    '/proc/cpuinfo': Array.from({ length: profile.cpus }, (_, i) => CPU(i)).join(''),
    '/proc/meminfo':
      `MemTotal:        ${profile.memTotalKb} kB\nMemFree:          997740 kB\nMemAvailable:    1658616 kB\n` +
      'Buffers:           89412 kB\nCached:           686384 kB\nSwapTotal:        998396 kB\nSwapFree:         998396 kB\n',
    '/proc/version': `Linux version ${profile.kernel.split(' ')[0] ?? ''} (debian-kernel@lists.debian.org) (gcc-10 (Debian 10.2.1-6) 10.2.1 20210110) ${profile.kernel.split(' ').slice(1).join(' ')}\n`,
    '/proc/mounts':
      'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n' +
      'udev /dev devtmpfs rw,nosuid,relatime,size=998300k,nr_inodes=249575,mode=755 0 0\n' +
      'tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=203068k,mode=755 0 0\n' +
      '/dev/sda1 / ext4 rw,relatime,errors=remount-ro 0 0\ntmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0\n',
    '/proc/uptime': '1206781.52 2398411.20\n',
    [`${home}/.bash_history`]: '',
    [`${home}/.bashrc`]: '# ~/.bashrc: executed by bash(1) for non-login shells.\n',
    [`${home}/.profile`]: '# ~/.profile: executed by the command interpreter for login shells.\n',
  };
}
