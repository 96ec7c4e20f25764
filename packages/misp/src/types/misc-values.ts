import { accept, canonicalDigits, hasNewline, isDigits, reject, type ValueRule } from './value-check.js';

// PHP's is_numeric for an already trimmed string: decimal with optional sign,
// fraction and exponent (no hex, no thousands separators).
const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Numeric types (`float`, `bank-account-nr`, `aba-rtn`): PHP is_numeric semantics, kept as given. */
export const numeric: ValueRule = (value) => (NUMERIC.test(value) ? accept(value) : reject('The value has to be a number.'));

/** `integer`: an optionally signed whole number. */
export const integer: ValueRule = (value) =>
  /^[+-]?[0-9]+$/.test(value) ? accept(value) : reject('The value has to be an integer value.');

/** `counter`, `size-in-bytes`: a whole number greater or equal 0. */
export const nonNegativeInteger: ValueRule = (value) =>
  isDigits(value) ? accept(value) : reject('The value has to be a whole number greater or equal 0.');

/** `cc-number`, `bin`: everything but digits is dropped (spaces, dashes), then at least one digit must remain. */
export const digitsOnly: ValueRule = (value) => {
  const digits = value.replace(/[^0-9]+/g, '');
  return digits === '' ? reject('The value has to be a number.') : accept(digits);
};

/** Phone numbers: a leading `00` becomes `+`, `(0)` and all but `+` and digits are dropped. */
export const phoneNumber: ValueRule = (value) => {
  const international = value.startsWith('00') ? `+${value.slice(2)}` : value;
  const cleaned = international.replaceAll('(0)', '').replace(/[^+0-9]+/g, '');
  return NUMERIC.test(cleaned) ? accept(cleaned) : reject('Phone number has an invalid format.');
};

/** `iban`, `bic`: uppercased, everything but letters and digits dropped. */
export const bankCode: ValueRule = (value) => {
  const cleaned = value.toUpperCase().replace(/[^0-9A-Z]+/g, '');
  return cleaned === '' ? reject('The value has to consist of letters and digits.') : accept(cleaned);
};

/** Crypto-currency addresses (`btc`, `dash`, `xmr`): letters and digits only. */
export const alphanumeric: ValueRule = (value) =>
  /^[a-zA-Z0-9]+$/.test(value) ? accept(value) : reject('The value has to consist of letters and digits only.');

/**
 * `AS`: `AS64500`, `as64500`, `64500` or asdot `1.10` (= 65546), stored as
 * MISP stores it: the bare decimal number, 0-4294967295.
 */
export const autonomousSystem: ValueRule = (value) => {
  const REASON = 'AS number has to be an integer between 0 and 4294967295.';
  const bare = /^as/i.test(value) ? value.slice(2).trim() : value;
  const dot = bare.split('.');
  let asn: number;
  if (dot.length === 2) {
    const [high = '', low = ''] = dot;
    if (!isDigits(high) || !isDigits(low) || high.length > 5 || low.length > 5) return reject(REASON);
    if (Number(high) > 65535 || Number(low) > 65535) return reject(REASON);
    asn = Number(high) * 65536 + Number(low);
  } else {
    if (!isDigits(bare) || canonicalDigits(bare).length > 10) return reject(REASON);
    asn = Number(bare);
  }
  return asn <= 4294967295 ? accept(String(asn)) : reject(REASON);
};

/** `vulnerability`: `CVE-YYYY-NNNN...`, uppercased, an en dash accepted for a hyphen. */
export const cveId: ValueRule = (value) => {
  const upper = value.replaceAll('\u2013', '-').toUpperCase();
  return /^CVE-[0-9]{4}-[0-9]{4,}$/.test(upper) ? accept(upper) : reject('Invalid format. Expected: CVE-xxxx-xxxx...');
};

/** `weakness`: `CWE-N`, uppercased, an en dash accepted for a hyphen. */
export const cweId: ValueRule = (value) => {
  const upper = value.replaceAll('\u2013', '-').toUpperCase();
  return /^CWE-[0-9]+$/.test(upper) ? accept(upper) : reject('Invalid format. Expected: CWE-x...');
};

const HTTP_METHODS = new Set(
  (
    'OPTIONS GET HEAD POST PUT DELETE TRACE CONNECT PROPFIND PROPPATCH MKCOL COPY MOVE LOCK UNLOCK ' +
    'VERSION-CONTROL REPORT CHECKOUT CHECKIN UNCHECKOUT MKWORKSPACE UPDATE LABEL MERGE BASELINE-CONTROL ' +
    'MKACTIVITY ORDERPATCH ACL PATCH SEARCH'
  ).split(' '),
);

/** `http-method`: one of the HTTP/WebDAV methods MISP knows, uppercased. */
export const httpMethod: ValueRule = (value) => {
  const upper = value.toUpperCase();
  return HTTP_METHODS.has(upper) ? accept(upper) : reject('Unknown HTTP method.');
};

/** `hex`: hex digits, uppercased as MISP stores them. */
export const hexString: ValueRule = (value) => {
  const upper = value.toUpperCase();
  return /^[0-9A-F]+$/.test(upper) ? accept(upper) : reject('The value has to consist of hexadecimal characters.');
};

/** `boolean`: `true`/`1` become `1`, `false`/`0` become `0` (case-insensitive). */
export const booleanFlag: ValueRule = (value) => {
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === '1') return accept('1');
  if (lower === 'false' || lower === '0') return accept('0');
  return reject('The value has to be true, false, 1 or 0.');
};

/** `cortex`: a JSON document, kept as given. */
export const jsonDocument: ValueRule = (value) => {
  try {
    JSON.parse(value);
    return accept(value);
  } catch {
    return reject('The value has to be valid JSON.');
  }
};

/** `windows-service-name`/`-displayname`: at most 256 bytes, no slashes or backslashes. */
export const windowsServiceName: ValueRule = (value) =>
  new TextEncoder().encode(value).length > 256 || /[\\/]/.test(value)
    ? reject('Only values shorter than 256 characters that do not include any forward or backward slashes are allowed.')
    : accept(value);

/** `uuid`: RFC 4122 text form, lowercased. */
export const uuid: ValueRule = (value) => {
  const lower = value.toLowerCase();
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(lower)
    ? accept(lower)
    : reject('The value has to be a UUID.');
};

/** The file name half of `filename|...` composites: non-empty, on one line, kept as given. */
export const fileName: ValueRule = (value) => {
  if (value === '') return reject('Filename must not be empty.');
  return hasNewline(value) ? reject('Filename must not contain new line character.') : accept(value);
};
