import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { parseCpe23 } from './cpe.js';

describe('parseCpe23', () => {
  it('parses the eleven attributes', () => {
    expect(parseCpe23('cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:x64:-')).toEqual({
      part: 'a', vendor: 'openbsd', product: 'openssh', version: '9.2', update: 'p1', edition: '*', language: '*', swEdition: '*', targetSw: '*', targetHw: 'x64', other: '-',
    });
  });

  it('removes escapes, including escaped colons (NISTIR 7695 examples)', () => {
    const c = parseCpe23('cpe:2.3:a:hp:insight_diagnostics:7\\.4\\.0\\.1570:-:*:*:online:win2003:x64:*');
    expect(c.version).toBe('7.4.0.1570');
    expect(c.update).toBe('-');
    expect(parseCpe23('cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*').vendor).toBe('foo\\bar');
    expect(parseCpe23('cpe:2.3:a:vendor:prod\\:uct:1\\:2:*:*:*:*:*:*:*')).toMatchObject({ product: 'prod:uct', version: '1:2' });
  });

  it('allows wildcards only at the ends of a value', () => {
    expect(parseCpe23('cpe:2.3:a:v:p:1.*:*:*:*:*:*:*:*').version).toBe('1.*');
    expect(() => parseCpe23('cpe:2.3:a:v:p:1*2:*:*:*:*:*:*:*')).toThrow(/unescaped character "\*"/);
  });

  it.each([
    ['cpe:/a:openbsd:openssh:9.2', /must start with cpe:2.3:/],
    ['cpe:2.3:a:openbsd:openssh:9.2', /has 4 attributes.*expected 11/],
    ['cpe:2.3:x:v:p:1:*:*:*:*:*:*:*', /part must be a, o or h/],
    ['cpe:2.3:a:v:p::*:*:*:*:*:*:*', /version is empty/],
    ['cpe:2.3:a:v:p:1 0:*:*:*:*:*:*:*', /unescaped character " "/],
    ['cpe:2.3:a:v:p:1\\', /lone backslash|attributes/],
  ])('rejects %s', (cpe, message) => {
    expect(() => parseCpe23(cpe)).toThrow(InputError);
    expect(() => parseCpe23(cpe)).toThrow(message);
  });
});
