import { accept, hasNewline, reject, type ValueRule } from './value-check.js';

/** Hex digest length of every fixed-length hash-like attribute type (as in MISP). */
export const HASH_HEX_LENGTH: Readonly<Record<string, number>> = Object.freeze({
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
  'sha512/224': 56,
  'sha512/256': 64,
  'sha3-224': 56,
  'sha3-256': 64,
  'sha3-384': 96,
  'sha3-512': 128,
  imphash: 32,
  authentihash: 64,
  pehash: 40,
  'git-commit-id': 40,
  'ja3-fingerprint-md5': 32,
  'jarm-fingerprint': 62,
  'hassh-md5': 32,
  'hasshserver-md5': 32,
  'x509-fingerprint-md5': 32,
  'x509-fingerprint-sha1': 40,
  'x509-fingerprint-sha256': 64,
  'dom-hash': 32,
});

const HEX = /^[0-9a-f]+$/;

/** A rule accepting exactly `length` hex digits, normalised to lowercase. */
export function hexDigest(length: number): ValueRule {
  return (value) => {
    const lower = value.toLowerCase();
    return lower.length === length && HEX.test(lower)
      ? accept(lower)
      : reject(`Checksum has an invalid length or format (expected: ${length} hexadecimal characters).`);
  };
}

/** X.509 fingerprints may come colon-separated (`AB:CD:...`); the colons are dropped. */
export function x509Fingerprint(length: number): ValueRule {
  const digest = hexDigest(length);
  return (value) => digest(value.replaceAll(':', ''));
}

/** TLSH: more than 35 hex digits, optionally led by a version marker such as `T1`; lowercased. */
export const tlsh: ValueRule = (value) => {
  const lower = value.toLowerCase();
  const body = lower.startsWith('t') ? lower.slice(1) : lower;
  return body.length > 35 && HEX.test(body)
    ? accept(lower)
    : reject('TLSH has an invalid length or format (expected: more than 35 hexadecimal characters, optionally starting with t1).');
};

/** telfhash: 70 hex digits, or 72 characters (`t1` + 70 hex digits, or 72 hex digits); lowercased. */
export const telfhash: ValueRule = (value) => {
  const lower = value.toLowerCase();
  return /^(t1)?[0-9a-f]{70}$|^[0-9a-f]{72}$/.test(lower)
    ? accept(lower)
    : reject('telfhash has an invalid length or format (expected: 70 or 72 hexadecimal characters).');
};

/** ssdeep: `blocksize:hash:hash`, the hashes in base64 alphabet (case kept, it is significant). */
export const ssdeep: ValueRule = (value) =>
  /^[0-9]+:[0-9a-zA-Z/+]*:[0-9a-zA-Z/+]*$/.test(value)
    ? accept(value)
    : reject('Invalid ssdeep hash. The format has to be blocksize:hash:hash.');

/** impfuzzy: `imports:hash:hash` with a numeric first part. */
export const impfuzzy: ValueRule = (value) => {
  const parts = value.split(':');
  return parts.length === 3 && /^[0-9]+$/.test(parts[0] ?? '')
    ? accept(value)
    : reject('Invalid impfuzzy format. The format has to be imports:hash:hash.');
};

/** Apple code directory hash: 40 or more hex digits, lowercased. */
export const cdhash: ValueRule = (value) => {
  const lower = value.toLowerCase();
  return /^[0-9a-f]{40,}$/.test(lower)
    ? accept(lower)
    : reject('cdhash has an invalid format (expected: 40 or more hexadecimal characters).');
};

/** VirusTotal vhash: free-form single line, lowercased. */
export const vhash: ValueRule = (value) =>
  hasNewline(value) ? reject('vhash must not contain new line character.') : accept(value.toLowerCase());

/**
 * SSH key fingerprint: `SHA256:<base64 of 32 bytes>` or an MD5 fingerprint,
 * optionally `MD5:`-prefixed and colon-separated. Kept as given.
 */
export const sshFingerprint: ValueRule = (value) => {
  if (value.startsWith('SHA256:')) {
    return /^[A-Za-z0-9+/]{43}=?$/.test(value.slice(7))
      ? accept(value)
      : reject('SSH fingerprint must be in MD5 or SHA256 format.');
  }
  const md5 = (value.startsWith('MD5:') ? value.slice(4) : value).replaceAll(':', '');
  return /^[0-9a-fA-F]{32}$/.test(md5) ? accept(value) : reject('SSH fingerprint must be in MD5 or SHA256 format.');
};
