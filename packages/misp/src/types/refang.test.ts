import { describe, expect, it } from 'vitest';
import { refangValue } from './refang.js';

describe('refangValue', () => {
  it('refangs urls and links', () => {
    expect(refangValue('url', 'hxxps://evil[.]example[dot]com(dot)net[:]81/x')).toBe('https://evil.example.com.net:81/x');
    expect(refangValue('link', 'HXXP://a[.]b')).toBe('http://a.b');
    expect(refangValue('url', 'meow://a.b')).toBe('http://a.b');
    expect(refangValue('url', 'h[tt]ps://a.b')).toBe('https://a.b');
    expect(refangValue('url', '[hxxp://]a.b')).toBe('http://a.b');
  });

  it('only rewrites the scheme at the start', () => {
    expect(refangValue('url', 'http://a.b/?next=hxxp://c')).toBe('http://a.b/?next=hxxp://c');
  });

  it('refangs dots in addresses and names, @ in email addresses', () => {
    expect(refangValue('ip-dst', '10[.]0[.]0[.]1')).toBe('10.0.0.1');
    expect(refangValue('domain|ip', 'a[.]b|10(dot)0.0.1')).toBe('a.b|10.0.0.1');
    expect(refangValue('email-src', 'a[at]b[.]c')).toBe('a@b.c');
    expect(refangValue('email', 'a[@]b.c')).toBe('a@b.c');
  });

  it('leaves other types alone', () => {
    expect(refangValue('text', 'hxxp://a[.]b')).toBe('hxxp://a[.]b');
    expect(refangValue('target-email', 'a[at]b.c')).toBe('a[at]b.c');
    expect(refangValue('uri', 'hxxp://a')).toBe('hxxp://a');
  });
});
