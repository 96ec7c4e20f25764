import { InputError } from '@waggle/errors';

/** A Debian version split into its three parts (Debian Policy §5.6.12). */
export interface DebianVersion {
  readonly epoch: number;
  readonly upstream: string;
  /** Empty when the version has no `-revision`. */
  readonly revision: string;
}

const UPSTREAM_CHARS = /^[0-9A-Za-z.+~:-]*$/;
const REVISION_CHARS = /^[0-9A-Za-z.+~]*$/;
// dpkg stores the epoch in a C int.
const MAX_EPOCH = 2_147_483_647;

function invalid(version: string, reason: string): InputError {
  return new InputError(`Invalid Debian version "${version}": ${reason}`, { field: 'version', version });
}

/**
 * Splits and checks a Debian version as dpkg does: the epoch is what precedes
 * the first `:`, the revision what follows the last `-`. What dpkg only warns
 * about (a non-digit first character, characters outside the allowed set) is
 * rejected here too, because Policy calls such versions invalid and a
 * vulnerability database never needs them.
 * @throws InputError naming the reason.
 */
export function parseDebianVersion(version: string): DebianVersion {
  const s = version.trim();
  if (s === '') throw invalid(version, 'version string is empty');
  if (/\s/.test(s)) throw invalid(version, 'version string has embedded spaces');
  let rest = s;
  let epoch = 0;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    const e = s.slice(0, colon);
    if (e === '') throw invalid(version, 'epoch in version is empty');
    if (/^-[0-9]+$/.test(e)) throw invalid(version, 'epoch in version is negative');
    if (!/^[0-9]+$/.test(e)) throw invalid(version, 'epoch in version is not number');
    epoch = Number(e);
    if (epoch > MAX_EPOCH) throw invalid(version, 'epoch in version is too big');
    rest = s.slice(colon + 1);
    if (rest === '') throw invalid(version, 'nothing after colon in version number');
  }
  let upstream = rest;
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
    if (revision === '') throw invalid(version, 'revision number is empty');
  }
  if (upstream === '') throw invalid(version, 'version number is empty');
  if (!/^[0-9]/.test(upstream)) throw invalid(version, 'version number does not start with digit');
  if (!UPSTREAM_CHARS.test(upstream)) throw invalid(version, 'invalid character in version number');
  if (!REVISION_CHARS.test(revision)) throw invalid(version, 'invalid character in revision number');
  return { epoch, upstream, revision };
}

/** True when `version` is a valid Debian version (see {@link parseDebianVersion}). */
export function isValidDebianVersion(version: string): boolean {
  try {
    parseDebianVersion(version);
    return true;
  } catch {
    return false;
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Sort weight of one character in a non-digit run: `~` before the end of the
 * string, the end before letters, letters before every other character.
 */
function weight(c: number | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1;
  return c + 256;
}

/** Compares two upstream versions or two revisions with Policy's alternating non-digit/digit runs. */
export function compareVersionPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit prefix, character by character.
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const wa = weight(i < a.length ? a.charCodeAt(i) : undefined);
      const wb = weight(j < b.length ? b.charCodeAt(j) : undefined);
      if (wa !== wb) return wa - wb;
      i++;
      j++;
    }
    // Digit run, numerically: skip leading zeros, then the longer run wins, else the first difference.
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    let firstDiff = 0;
    while (i < a.length && j < b.length && isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Compares two parsed Debian versions: epoch, then upstream, then revision. */
export function compareParsedDebianVersions(a: DebianVersion, b: DebianVersion): -1 | 0 | 1 {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return sign(compareVersionPart(a.upstream, b.upstream) || compareVersionPart(a.revision, b.revision));
}

/**
 * Compares two Debian versions per Debian Policy §5.6.12, agreeing with
 * `dpkg --compare-versions`. Returns -1 when `a` sorts before `b`.
 * @throws InputError when either version is invalid.
 */
export function compareDebianVersions(a: string, b: string): -1 | 0 | 1 {
  return compareParsedDebianVersions(parseDebianVersion(a), parseDebianVersion(b));
}
