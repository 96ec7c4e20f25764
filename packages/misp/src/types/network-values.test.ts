import { describe, expect, it } from 'vitest';
import { joinIpPort } from './network-values.js';
import { validateAttributeValue } from './validate-attribute-value.js';

const valueOf = (type: string, value: string): string | undefined => {
  const verdict = validateAttributeValue(type, value);
  return verdict.ok ? verdict.value : undefined;
};

describe('ip-src / ip-dst', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['192.0.2.1/32', '192.0.2.1'],
    ['192.0.2.0/24', '192.0.2.0/24'],
    ['192.0.2.77/24', '192.0.2.77/24'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['10.0.0.0/08', '10.0.0.0/8'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8::1/128', '2001:db8::1'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['192[.]0[.]2[.]1', '192.0.2.1'],
    ['192(dot)0(dot)2(dot)1', '192.0.2.1'],
  ])('%s → %s', (input, expected) => {
    expect(valueOf('ip-src', input)).toBe(expected);
    expect(valueOf('ip-dst', input)).toBe(expected);
  });

  it.each(['256.1.1.1', '1.2.3', '01.2.3.4', '192.0.2.1/33', '2001:db8::/129', '192.0.2.1/', '192.0.2.1/a', '1.2.3.4/8/8', 'fe80::1%eth0', 'example.com', '1.2.3.4:80', '::1::'])(
    'refuses %j',
    (input) => {
      expect(validateAttributeValue('ip-dst', input).ok).toBe(false);
    },
  );
});

describe('ip|port', () => {
  it.each([
    ['192.0.2.1|80', '192.0.2.1|80'],
    ['192.0.2.1:80', '192.0.2.1|80'],
    ['192.0.2.1|0080', '192.0.2.1|80'],
    ['2001:db8::1|443', '2001:db8::1|443'],
    ['[2001:DB8::1]:443', '2001:db8::1|443'],
    ['2001:db8::1.443', '2001:db8::1|443'],
    ['2001:db8::1 port 443', '2001:db8::1|443'],
    ['2001:db8::1p443', '2001:db8::1|443'],
    ['2001:db8::1#443', '2001:db8::1|443'],
    ['2001:db8::1:443', '2001:db8::1|443'],
    ['::ffff:192.0.2.1|25', '::ffff:192.0.2.1|25'],
    ['192.0.2.1|65535', '192.0.2.1|65535'],
  ])('%s → %s', (input, expected) => {
    expect(valueOf('ip-dst|port', input)).toBe(expected);
    expect(valueOf('ip-src|port', input)).toBe(expected);
  });

  it.each(['192.0.2.1', '192.0.2.1|0', '192.0.2.1|65536', '192.0.2.1|http', '192.0.2.0/24|80', '192.0.2.1:80:81', '999.0.2.1|80', '[2001:db8::1]443'])(
    'refuses %j',
    (input) => {
      expect(validateAttributeValue('ip-dst|port', input).ok).toBe(false);
    },
  );

  it('joinIpPort leaves values it does not understand alone', () => {
    expect(joinIpPort('192.0.2.1')).toBe('192.0.2.1');
    expect(joinIpPort(':80')).toBe(':80');
  });
});

describe('port', () => {
  it('accepts 1-65535', () => {
    expect(valueOf('port', '1')).toBe('1');
    expect(valueOf('port', '65535')).toBe('65535');
    expect(valueOf('port', '0443')).toBe('443');
  });

  it.each(['0', '65536', '-1', '80/tcp', '8o', '1e3', '000000000000000000080000'])('refuses %j', (input) => {
    expect(validateAttributeValue('port', input).ok).toBe(false);
  });
});

describe('domain / hostname', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['.example.com.', 'example.com'],
    ['sub_domain.example.com', 'sub_domain.example.com'],
    ['xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['MÜNCHEN.DE', 'xn--mnchen-3ya.de'],
    ['例え.テスト', 'xn--r8jz45g.xn--zckzah'],
    ['evil[.]example[dot]org', 'evil.example.org'],
    ['a.b.c.d.example.co', 'a.b.c.d.example.co'],
  ])('%s → %s', (input, expected) => {
    expect(valueOf('domain', input)).toBe(expected);
    expect(valueOf('hostname', input)).toBe(expected);
  });

  it.each(['localhost', 'example', 'example.c', 'exa mple.com', 'a..example.com', 'http://example.com', 'example.com/path', `${'a'.repeat(64)}.com`, `${'a.'.repeat(127)}com`, 'exam!ple.com'])(
    'refuses %j',
    (input) => {
      expect(validateAttributeValue('domain', input).ok).toBe(false);
      expect(validateAttributeValue('hostname', input).ok).toBe(false);
    },
  );

  it('hostname|port lowercases and accepts host:port', () => {
    expect(valueOf('hostname|port', 'WWW.Example.com:8080')).toBe('www.example.com|8080');
    expect(valueOf('hostname|port', 'www.example.com|443')).toBe('www.example.com|443');
    expect(validateAttributeValue('hostname|port', 'www.example.com|0').ok).toBe(false);
    expect(validateAttributeValue('hostname|port', 'localhost|80').ok).toBe(false);
    expect(validateAttributeValue('hostname|port', 'www.example.com').ok).toBe(false);
  });

  it('domain|ip normalises both halves', () => {
    expect(validateAttributeValue('domain|ip', 'Example.com.|2001:0db8::0001')).toEqual({
      ok: true,
      value: 'example.com|2001:db8::1',
      value1: 'example.com',
      value2: '2001:db8::1',
    });
    expect(valueOf('domain|ip', 'example[.]com|192.0.2.1')).toBe('example.com|192.0.2.1');
    expect(validateAttributeValue('domain|ip', 'example.com|192.0.2.0/24').ok).toBe(false);
    expect(validateAttributeValue('domain|ip', 'example|192.0.2.1').ok).toBe(false);
    expect(validateAttributeValue('domain|ip', '192.0.2.1|example.com').ok).toBe(false);
  });
});

describe('email types', () => {
  it('lowercases the address types MISP lowercases', () => {
    for (const type of ['email', 'email-src', 'email-dst', 'target-email', 'whois-registrant-email']) {
      expect(valueOf(type, 'John.Doe@Example.COM'), type).toBe('john.doe@example.com');
    }
    for (const type of ['eppn', 'dns-soa-email', 'jabber-id']) {
      expect(valueOf(type, 'John.Doe@Example.COM'), type).toBe('John.Doe@Example.COM');
    }
  });

  it('refangs email, email-src and email-dst', () => {
    expect(valueOf('email-src', 'john[at]example[.]com')).toBe('john@example.com');
    expect(valueOf('email-dst', 'john[@]example(dot)com')).toBe('john@example.com');
  });

  it.each(['john.example.com', 'john@example', 'john doe@example.com', '@'])('refuses %j', (input) => {
    expect(validateAttributeValue('email', input).ok).toBe(false);
  });
});

describe('url, uri and link', () => {
  it('refangs urls and links', () => {
    expect(valueOf('url', 'hxxps://evil[.]example[:]8080/a')).toBe('https://evil.example:8080/a');
    expect(valueOf('url', '[hxxp://]evil.example')).toBe('http://evil.example');
    expect(valueOf('link', 'hXXp://example[.]org/report')).toBe('http://example.org/report');
    expect(valueOf('uri', 'hxxp://kept')).toBe('hxxp://kept');
  });

  it('accepts url values without a scheme (feeds often omit it)', () => {
    expect(valueOf('url', 'evil.example/gate.php')).toBe('evil.example/gate.php');
  });

  it('wants an absolute URL for link', () => {
    expect(valueOf('link', 'https://www.example.com/a?b=c#d')).toBe('https://www.example.com/a?b=c#d');
    expect(valueOf('link', 'ftp://ftp.example.com/file')).toBe('ftp://ftp.example.com/file');
    expect(valueOf('link', 'mailto:someone@example.com')).toBe('mailto:someone@example.com');
    for (const bad of ['www.example.com', 'https://', 'http:///path', 'https://exa mple.com', 'urn:isbn:123', 'just text']) {
      expect(validateAttributeValue('link', bad).ok, bad).toBe(false);
    }
  });
});

describe('mac-address / mac-eui-64', () => {
  it.each([
    ['00:1A:2B:3C:4D:5E', '00:1a:2b:3c:4d:5e'],
    ['00-1a-2b-3c-4d-5e', '00:1a:2b:3c:4d:5e'],
    ['001a.2b3c.4d5e', '00:1a:2b:3c:4d:5e'],
    ['001A2B3C4D5E', '00:1a:2b:3c:4d:5e'],
  ])('%s → %s', (input, expected) => {
    expect(valueOf('mac-address', input)).toBe(expected);
  });

  it.each(['00:1a:2b:3c:4d', '00:1a:2b:3c:4d:5e:6f', '00:1a:2b:3c:4d:5g', '001a2b3c4d5'])('refuses %j', (input) => {
    expect(validateAttributeValue('mac-address', input).ok).toBe(false);
  });

  it('mac-eui-64 has 8 octets', () => {
    expect(valueOf('mac-eui-64', '00:1A:2B:FF:FE:3C:4D:5E')).toBe('00:1a:2b:ff:fe:3c:4d:5e');
    expect(validateAttributeValue('mac-eui-64', '00:1a:2b:3c:4d:5e').ok).toBe(false);
  });
});

describe('onion-address', () => {
  it('accepts v2 and v3 names', () => {
    expect(valueOf('onion-address', 'ExampleOnionAddr.onion')).toBe('exampleonionaddr.onion');
    expect(valueOf('onion-address', `${'a'.repeat(56)}.onion`)).toBe(`${'a'.repeat(56)}.onion`);
  });

  it.each(['example.onion', `${'a'.repeat(16)}.com`, `${'a'.repeat(15)}1.onion`])('refuses %j', (input) => {
    expect(validateAttributeValue('onion-address', input).ok).toBe(false);
  });
});
