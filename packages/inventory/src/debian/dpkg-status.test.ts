import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { inferDebianRelease, parseDpkgStatus } from './dpkg-status.js';
import { parseControlStanzas } from './control-stanzas.js';
import { fixtureText } from '../test-support/fixtures.js';

describe('parseDpkgStatus on the fixture host', () => {
  const { packages, skipped } = parseDpkgStatus(fixtureText('dpkg-status'));

  it('keeps only installed packages and says why the others were left out', () => {
    expect(packages).toHaveLength(32);
    expect(skipped.map((s) => [s.package, s.reason])).toEqual([
      ['exim4-config', 'not installed (Status: deinstall ok config-files)'],
      ['vim-tiny', 'not installed (Status: install ok half-configured)'],
    ]);
  });

  it('reads Source with and without a version, defaulting to the binary package', () => {
    const by = (n: string) => packages.find((p) => p.name === n);
    expect(by('libssl3')).toMatchObject({ source: 'openssl', sourceVersion: '3.0.11-1~deb12u2', version: '3.0.11-1~deb12u2', ecosystem: 'Debian' });
    expect(by('bash')).toMatchObject({ source: 'bash', sourceVersion: '5.2.15-2', version: '5.2.15-2+b2' });
    expect(by('login')).toMatchObject({ source: 'shadow', sourceVersion: '1:4.13+dfsg1-1', version: '1:4.13+dfsg1-1+b1' });
    expect(by('sudo')).toMatchObject({ source: 'sudo', sourceVersion: '1.9.13p3-1+deb12u1' });
  });

  it('keeps multi-arch duplicates apart by architecture', () => {
    expect(packages.filter((p) => p.name === 'libc6').map((p) => p.architecture)).toEqual(['amd64', 'i386']);
  });

  it('collects Depends and Pre-Depends names without versions or arch qualifiers', () => {
    const server = packages.find((p) => p.name === 'openssh-server');
    expect(server?.depends).toContain('libssl3');
    expect(server?.depends).toContain('init-system-helpers');
    expect(packages.find((p) => p.name === 'apache2')?.depends).toContain('perl');
  });

  it('infers the release from base-files', () => {
    expect(inferDebianRelease(packages)).toBe('Debian:12');
    expect(inferDebianRelease([])).toBeUndefined();
  });
});

describe('parseDpkgStatus edge cases', () => {
  it('joins continuation lines and handles CRLF', () => {
    const s = parseControlStanzas('Package: a\r\nDescription: x\r\n more\r\n\tand more\r\n\r\nPackage: b\r\n');
    expect(s.map((x) => x.fields.get('description'))).toEqual(['x\nmore\nand more', undefined]);
    expect(s[1]?.line).toBe(6);
  });

  it('skips stanzas without Version or with a bad one, and without Package', () => {
    const r = parseDpkgStatus('Package: a\nStatus: install ok installed\n\nPackage: b\nStatus: install ok installed\nVersion: x1\n\nStatus: install ok installed\nVersion: 1\n');
    expect(r.packages).toEqual([]);
    expect(r.skipped.map((s) => s.reason)).toEqual(['no Version field', 'Invalid Debian version "x1": version number does not start with digit', 'no Package field']);
  });

  it('rejects text that is not a control file', () => {
    expect(() => parseDpkgStatus('this is not\na status file')).toThrow(InputError);
    expect(() => parseDpkgStatus(' starts with a continuation')).toThrow(/continuation line without a field/);
  });

  it('accepts an empty file', () => {
    expect(parseDpkgStatus('')).toEqual({ packages: [], skipped: [] });
  });
});
