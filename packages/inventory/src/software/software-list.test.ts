import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { parseSoftwareItem, parseSoftwareList } from './software-list.js';
import { fixtureText } from '../test-support/fixtures.js';

describe('parseSoftwareList', () => {
  it('reads the fixture list into OSV ecosystems and names', () => {
    const items = parseSoftwareList(fixtureText('software-list.txt'));
    expect(items.map((i) => [i.kind, i.ecosystem, i.name, i.version])).toEqual([
      ['purl', 'PyPI', 'requests', '2.31.0'],
      ['purl', 'npm', 'lodash', '4.17.20'],
      ['purl', 'npm', '@babel/core', '7.24.0'],
      ['purl', 'Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1'],
      ['cpe', 'CPE', 'citrix:netscaler_application_delivery_controller', '13.1-49.13'],
      ['cpe', 'CPE', 'openbsd:openssh', '9.2p1'],
    ]);
  });

  it('maps deb purls with a numeric distro to the Debian release', () => {
    expect(parseSoftwareItem('pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12')).toMatchObject({ ecosystem: 'Debian:12', name: 'openssl', architecture: 'amd64' });
  });

  it('keeps # inside a purl subpath, drops # comments', () => {
    expect(parseSoftwareList('pkg:golang/x.org/y@1.0#sub/dir # comment\n#only a comment\n')).toHaveLength(1);
  });

  it('reports every bad line at once', () => {
    const bad = 'pkg:npm/a@1\nhttp://example.test/x\ncpe:2.3:a:v:p:*:*:*:*:*:*:*:*\npkg:npm/b\n';
    expect(() => parseSoftwareList(bad)).toThrow(InputError);
    try {
      parseSoftwareList(bad);
    } catch (error) {
      expect((error as Error).message).toMatch(/line 2: .*neither a CPE 2.3 string/);
      expect((error as Error).message).toMatch(/line 3: .*names no version/);
      expect((error as Error).message).toMatch(/line 4: .*names no version/);
    }
  });
});
