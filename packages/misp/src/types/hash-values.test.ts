import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cdhash, HASH_HEX_LENGTH, hexDigest, impfuzzy, ssdeep, sshFingerprint, telfhash, tlsh, vhash, x509Fingerprint } from './hash-values.js';
import { upperHex } from './test-support/sample-values.js';
import { isKnownType } from './type-registry.js';
import { validateAttributeValue } from './validate-attribute-value.js';

describe('fixed-length hashes', () => {
  it('takes the digest length of every hash type from a real digest of that algorithm', () => {
    // Algorithm behind each type (MISP's lengths): node:crypto computes a real digest of it.
    const algorithm: Record<string, string> = {
      md5: 'md5', sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512',
      'sha512/224': 'sha512-224', 'sha512/256': 'sha512-256',
      'sha3-224': 'sha3-224', 'sha3-256': 'sha3-256', 'sha3-384': 'sha3-384', 'sha3-512': 'sha3-512',
      imphash: 'md5', authentihash: 'sha256', pehash: 'sha1', 'git-commit-id': 'sha1',
      'ja3-fingerprint-md5': 'md5', 'hassh-md5': 'md5', 'hasshserver-md5': 'md5',
      'x509-fingerprint-md5': 'md5', 'x509-fingerprint-sha1': 'sha1', 'x509-fingerprint-sha256': 'sha256', 'dom-hash': 'md5',
    };
    for (const [type, algo] of Object.entries(algorithm)) {
      const digest = createHash(algo).update(type).digest('hex');
      expect(HASH_HEX_LENGTH[type], type).toBe(digest.length);
      expect(validateAttributeValue(type, digest), type).toMatchObject({ ok: true, value: digest });
    }
    // JARM: 30 hex digits of cipher/version codes followed by a 32-digit truncated SHA-256.
    expect(HASH_HEX_LENGTH['jarm-fingerprint']).toBe(30 + 32);
    expect(Object.keys(HASH_HEX_LENGTH).sort()).toEqual([...Object.keys(algorithm), 'jarm-fingerprint'].sort());
  });

  describe.each(Object.entries(HASH_HEX_LENGTH))('%s (%i hex digits)', (type, length) => {
    it('accepts the right length in either case and lowercases it', () => {
      expect(validateAttributeValue(type, upperHex(length))).toMatchObject({ ok: true, value: upperHex(length).toLowerCase() });
      expect(validateAttributeValue(type, ` ${upperHex(length).toLowerCase()}\n`)).toMatchObject({ ok: true });
    });

    it('refuses one digit too few or too many, and non-hex digits', () => {
      const spaced = `${upperHex(length / 2)} ${upperHex(length / 2 - 1)}`;
      for (const bad of [upperHex(length - 1), upperHex(length + 1), `${upperHex(length - 1)}g`, spaced]) {
        const verdict = validateAttributeValue(type, bad);
        expect(verdict.ok, bad).toBe(false);
      }
      expect(validateAttributeValue(type, `0x${upperHex(length - 2)}`).ok).toBe(false);
    });

    // Only the hash types MISP pairs with a filename have this test (not a skip: there is nothing to check).
    if (isKnownType(`filename|${type}`)) it('is checked the same way inside filename|<hash>', () => {
      const composite = `filename|${type}`;
      expect(validateAttributeValue(composite, `a.exe|${upperHex(length)}`)).toMatchObject({
        ok: true,
        value1: 'a.exe',
        value2: upperHex(length).toLowerCase(),
      });
      expect(validateAttributeValue(composite, `a.exe|${upperHex(length + 1)}`).ok).toBe(false);
      expect(validateAttributeValue(composite, `a.exe|${upperHex(length - 1)}`).ok).toBe(false);
    });
  });

  it('hexDigest names the expected length in its reason', () => {
    expect(hexDigest(32)('abc')).toEqual({ ok: false, reason: expect.stringContaining('32 hexadecimal') });
  });

  it('x509 fingerprints may be colon separated', () => {
    expect(x509Fingerprint(32)('D4:1D:8C:D9:8F:00:B2:04:E9:80:09:98:EC:F8:42:7E')).toEqual({
      ok: true,
      value: 'd41d8cd98f00b204e9800998ecf8427e',
    });
  });
});

describe('hashes with their own format', () => {
  const tlshBody = upperHex(70);

  it('tlsh: more than 35 hex digits, optional T1 prefix, lowercased', () => {
    expect(tlsh(`T1${tlshBody}`)).toEqual({ ok: true, value: `t1${tlshBody.toLowerCase()}` });
    expect(tlsh(tlshBody)).toEqual({ ok: true, value: tlshBody.toLowerCase() });
    expect(tlsh(upperHex(36)).ok).toBe(true);
    expect(tlsh(upperHex(35)).ok).toBe(false);
    expect(tlsh(`T1${upperHex(30)}`).ok).toBe(false);
    expect(tlsh(`x1${tlshBody}`).ok).toBe(false);
    expect(tlsh(`${tlshBody}z`).ok).toBe(false);
  });

  it('telfhash: 70 or 72 characters', () => {
    expect(telfhash(upperHex(70))).toEqual({ ok: true, value: upperHex(70).toLowerCase() });
    expect(telfhash(`T1${upperHex(70)}`).ok).toBe(true);
    expect(telfhash(upperHex(72)).ok).toBe(true);
    expect(telfhash(upperHex(71)).ok).toBe(false);
    expect(telfhash(upperHex(64)).ok).toBe(false);
    expect(telfhash(`${upperHex(69)}z`).ok).toBe(false);
  });

  it('ssdeep: blocksize:hash:hash, case kept', () => {
    expect(ssdeep('3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C')).toEqual({ ok: true, value: '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C' });
    expect(ssdeep('3::').ok).toBe(true);
    expect(ssdeep('x:abc:def').ok).toBe(false);
    expect(ssdeep('3:abc').ok).toBe(false);
    expect(ssdeep('3:abc:def,"file.exe"').ok).toBe(false);
    expect(ssdeep('3:ab-c:def').ok).toBe(false);
  });

  it('impfuzzy: imports:hash:hash', () => {
    expect(impfuzzy('24:abc:def').ok).toBe(true);
    expect(impfuzzy('abc:def:ghi').ok).toBe(false);
    expect(impfuzzy('24:abc').ok).toBe(false);
    expect(impfuzzy('24:a:b:c').ok).toBe(false);
  });

  it('cdhash: 40 or more hex digits', () => {
    expect(cdhash(upperHex(40))).toEqual({ ok: true, value: upperHex(40).toLowerCase() });
    expect(cdhash(upperHex(64)).ok).toBe(true);
    expect(cdhash(upperHex(39)).ok).toBe(false);
    expect(cdhash(`${upperHex(40)}x`).ok).toBe(false);
  });

  it('vhash: one line, lowercased', () => {
    expect(vhash('0850475D5C0D1E1Az0Bz001')).toEqual({ ok: true, value: '0850475d5c0d1e1az0bz001' });
    expect(vhash('a\nb').ok).toBe(false);
  });

  it('ssh-fingerprint: SHA256 base64 or MD5 hex', () => {
    expect(sshFingerprint('SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8').ok).toBe(true);
    expect(sshFingerprint('SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8=').ok).toBe(true);
    expect(sshFingerprint('SHA256:tooShort').ok).toBe(false);
    expect(sshFingerprint('MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48').ok).toBe(true);
    expect(sshFingerprint('16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48').ok).toBe(true);
    expect(sshFingerprint('16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6').ok).toBe(false);
    expect(sshFingerprint('SHA1:abc').ok).toBe(false);
  });
});
