import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { parsePurl } from './purl.js';

// Vectors from the purl specification's test suite (test-suite-data.json).
describe('parsePurl', () => {
  it.each([
    ['pkg:maven/org.apache.commons/io@1.3.4', { type: 'maven', namespace: 'org.apache.commons', name: 'io', version: '1.3.4', qualifiers: {} }],
    ['pkg:npm/%40angular/animation@12.3.1', { type: 'npm', namespace: '@angular', name: 'animation', version: '12.3.1', qualifiers: {} }],
    ['pkg:pypi/Django_package@1.11.1.dev1', { type: 'pypi', name: 'django-package', version: '1.11.1.dev1', qualifiers: {} }],
    ['pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie', { type: 'deb', namespace: 'debian', name: 'curl', version: '7.50.3-1', qualifiers: { arch: 'i386', distro: 'jessie' } }],
    ['pkg:golang/google.golang.org/genproto#googleapis/api/annotations', { type: 'golang', namespace: 'google.golang.org', name: 'genproto', qualifiers: {}, subpath: 'googleapis/api/annotations' }],
    ['pkg:GitHub/Package-URL/purl-spec@244fd47e07d1004f0aed9c', { type: 'github', namespace: 'package-url', name: 'purl-spec', version: '244fd47e07d1004f0aed9c', qualifiers: {} }],
    ['pkg:docker/customer/dockerimage@sha256%3A244fd47e07d10?repository_url=gcr.io', { type: 'docker', namespace: 'customer', name: 'dockerimage', version: 'sha256:244fd47e07d10', qualifiers: { repository_url: 'gcr.io' } }],
    ['pkg:gem/jruby-launcher@1.1.2?Platform=java', { type: 'gem', name: 'jruby-launcher', version: '1.1.2', qualifiers: { platform: 'java' } }],
    ['pkg://maven/org.apache/x@1#/./a/../b/', { type: 'maven', namespace: 'org.apache', name: 'x', version: '1', qualifiers: {}, subpath: 'a/b' }],
    ['pkg:generic/openssl@1.1.10g?download_url=https://openssl.org/source/openssl-1.1.0g.tar.gz&checksum=sha256:de4d501267da', { type: 'generic', name: 'openssl', version: '1.1.10g', qualifiers: { download_url: 'https://openssl.org/source/openssl-1.1.0g.tar.gz', checksum: 'sha256:de4d501267da' } }],
  ])('%s', (purl, expected) => {
    expect(parsePurl(purl)).toEqual(expected);
  });

  it('drops empty qualifier values', () => {
    expect(parsePurl('pkg:npm/a@1?x=&y=2').qualifiers).toEqual({ y: '2' });
  });

  it.each([
    ['npm/a@1', /not a package URL/],
    ['pkg:a@1', /no type\/name/],
    ['pkg:1x/a@1', /bad type/],
    ['pkg:npm/@1', /no name/],
    ['pkg:npm/a%ZZ@1', /bad percent-encoding in name/],
    ['pkg:npm/a@1?9key=v', /bad qualifier key/],
  ])('rejects %s', (purl, message) => {
    expect(() => parsePurl(purl)).toThrow(InputError);
    expect(() => parsePurl(purl)).toThrow(message);
  });
});
