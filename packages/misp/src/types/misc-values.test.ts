import { describe, expect, it } from 'vitest';
import { validateAttributeValue } from './validate-attribute-value.js';

const valueOf = (type: string, value: string): string | undefined => {
  const verdict = validateAttributeValue(type, value);
  return verdict.ok ? verdict.value : undefined;
};

const refuses = (type: string, values: readonly string[]): void => {
  for (const value of values) expect(validateAttributeValue(type, value).ok, `${type}: ${JSON.stringify(value)}`).toBe(false);
};

describe('vulnerability / weakness', () => {
  it('uppercases and accepts an en dash', () => {
    expect(valueOf('vulnerability', 'cve-2021-44228')).toBe('CVE-2021-44228');
    expect(valueOf('vulnerability', 'CVE\u20132014\u20130160')).toBe('CVE-2014-0160');
    expect(valueOf('vulnerability', 'CVE-2024-1234567')).toBe('CVE-2024-1234567');
    expect(valueOf('weakness', 'cwe-79')).toBe('CWE-79');
  });

  it('refuses other identifiers', () => {
    refuses('vulnerability', ['CVE-2021-123', 'CVE-21-44228', 'CVE 2021 44228', 'GHSA-xxxx-yyyy-zzzz', 'CVE-2021-44228x']);
    refuses('weakness', ['CWE-', 'CWE79', 'CVE-2021-44228', 'CWE-7a']);
  });
});

describe('AS', () => {
  it.each([
    ['AS64500', '64500'],
    ['as64500', '64500'],
    ['AS 64500', '64500'],
    ['64500', '64500'],
    ['0', '0'],
    ['AS4294967295', '4294967295'],
    ['1.10', '65546'],
    ['AS65535.65535', '4294967295'],
    ['AS00123', '123'],
  ])('%s → %s', (input, expected) => {
    expect(valueOf('AS', input)).toBe(expected);
  });

  it('refuses what is not an AS number', () => {
    refuses('AS', ['AS', 'ASN64500', '4294967296', '-1', '1.65536', '1.2.3', 'AS64500x', '12345678901']);
  });
});

describe('numbers', () => {
  it('counter and size-in-bytes are whole numbers ≥ 0', () => {
    expect(valueOf('counter', '0')).toBe('0');
    expect(valueOf('size-in-bytes', '1024')).toBe('1024');
    refuses('counter', ['-1', '1.5', '1e3', 'ten']);
    refuses('size-in-bytes', ['-1', '1 KB']);
  });

  it('integer allows a sign', () => {
    expect(valueOf('integer', '-42')).toBe('-42');
    expect(valueOf('integer', '+42')).toBe('+42');
    refuses('integer', ['4.2', '0x10', 'forty']);
  });

  it('float follows PHP is_numeric', () => {
    for (const value of ['1', '-1.5', '.5', '1.', '6.02e23', '+1E-3']) expect(valueOf('float', value)).toBe(value);
    refuses('float', ['1,5', '0x1A', 'NaN', 'Infinity', '1e', '.', '1.2.3']);
  });

  it('bank-account-nr and aba-rtn must be numeric', () => {
    expect(valueOf('aba-rtn', '021000021')).toBe('021000021');
    refuses('bank-account-nr', ['GB29NWBK']);
  });

  it('cc-number and bin keep only digits', () => {
    expect(valueOf('cc-number', '4111 1111 1111 1111')).toBe('4111111111111111');
    expect(valueOf('bin', '411111')).toBe('411111');
    refuses('cc-number', ['----', 'card']);
  });

  it('phone numbers: 00 becomes +, (0) and separators dropped', () => {
    expect(valueOf('phone-number', '0049 (0)30 1234-567')).toBe('+49301234567');
    expect(valueOf('whois-registrant-phone', '+1.555.555.0100')).toBe('+15555550100');
    expect(valueOf('prtn', '(555) 555 0100')).toBe('5555550100');
    refuses('phone-number', ['call me', '++49', '12+34']);
  });
});

describe('financial identifiers', () => {
  it('iban and bic are uppercased letters and digits', () => {
    expect(valueOf('iban', 'de89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
    expect(valueOf('bic', 'deutdeff')).toBe('DEUTDEFF');
    refuses('iban', ['----', '  .  ']);
  });

  it('btc, dash and xmr are letters and digits only', () => {
    expect(valueOf('btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toBe('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq');
    refuses('btc', ['1A1z P1eP', '1A1z-P1eP']);
    refuses('xmr', ['44AF/Fq5']);
  });
});

describe('small enumerations and formats', () => {
  it('http-method is one of the known methods, uppercased', () => {
    expect(valueOf('http-method', 'get')).toBe('GET');
    expect(valueOf('http-method', 'propfind')).toBe('PROPFIND');
    expect(valueOf('http-method', 'VERSION-CONTROL')).toBe('VERSION-CONTROL');
    refuses('http-method', ['FETCH', 'GETX', 'G E T']);
  });

  it('boolean becomes 1 or 0', () => {
    expect(valueOf('boolean', 'true')).toBe('1');
    expect(valueOf('boolean', 'FALSE')).toBe('0');
    expect(valueOf('boolean', '1')).toBe('1');
    expect(valueOf('boolean', '0')).toBe('0');
    refuses('boolean', ['yes', 'no', '2', 'truthy']);
  });

  it('hex is uppercased hex digits', () => {
    expect(valueOf('hex', '4d5a9000')).toBe('4D5A9000');
    refuses('hex', ['0x4d5a', '4d 5a', 'zz']);
  });

  it('cortex must be JSON', () => {
    expect(valueOf('cortex', '{"a": [1, 2]}')).toBe('{"a": [1, 2]}');
    refuses('cortex', ['{a: 1}', '{"a":']);
  });

  it('windows service names: ≤ 256 bytes, no slashes', () => {
    expect(valueOf('windows-service-name', 'Evil Service')).toBe('Evil Service');
    refuses('windows-service-name', ['C:\\evil', 'a/b', 'x'.repeat(257)]);
    refuses('windows-service-displayname', ['a\\b']);
  });

  it('uuid is lowercased', () => {
    expect(valueOf('uuid', 'C0FFEE00-0000-4000-8000-000000000001')).toBe('c0ffee00-0000-4000-8000-000000000001');
    refuses('uuid', ['c0ffee00000040008000000000000001', 'c0ffee00-0000-4000-8000-00000000000g']);
  });

  it('anonymised values are lowercased', () => {
    expect(valueOf('anonymised', 'HASH:ABC')).toBe('hash:abc');
  });
});
