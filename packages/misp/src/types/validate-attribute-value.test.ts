import { describe, expect, it } from 'vitest';
import { describeTypes } from './describe-types.js';
import { SAMPLE_VALUES } from './test-support/sample-values.js';
import { isCompositeType } from './type-registry.js';
import { utf8TooLong, validateAttributeValue } from './validate-attribute-value.js';

describe('validateAttributeValue: every known type', () => {
  it('has a sample for every type in describe-types.json', () => {
    const missing = describeTypes().types.filter((type) => !(type in SAMPLE_VALUES));
    expect(missing).toEqual([]);
  });

  describe.each(describeTypes().types)('%s', (type) => {
    const sample = SAMPLE_VALUES[type];

    it('accepts a plausible value and normalises it', () => {
      expect(sample).toBeDefined();
      if (!sample) return;
      const verdict = validateAttributeValue(type, sample.input);
      expect(verdict).toMatchObject({ ok: true, value: sample.normalised });
    });

    it('fills value1/value2 consistently with the composite format', () => {
      if (!sample) return;
      const verdict = validateAttributeValue(type, sample.input);
      if (!verdict.ok) throw new Error(verdict.reason);
      if (isCompositeType(type)) {
        expect(`${verdict.value1}|${verdict.value2}`).toBe(verdict.value);
      } else {
        expect(verdict).toMatchObject({ value1: verdict.value, value2: '' });
      }
    });

    it('is idempotent: the normalised value validates to itself', () => {
      if (!sample) return;
      expect(validateAttributeValue(type, sample.normalised)).toMatchObject({ ok: true, value: sample.normalised });
    });

    it('refuses empty and blank values', () => {
      for (const blank of ['', '   ', '\n\t ']) {
        expect(validateAttributeValue(type, blank)).toEqual({ ok: false, reason: 'Value must not be empty.' });
      }
    });

    it('refuses values made only of control characters', () => {
      expect(validateAttributeValue(type, '\u0001\u0002').ok).toBe(false);
    });
  });
});

describe('validateAttributeValue: general rules', () => {
  it('refuses unknown types, naming them', () => {
    expect(validateAttributeValue('no-such-type', 'x')).toEqual({ ok: false, reason: 'Unknown attribute type "no-such-type".' });
    expect(validateAttributeValue('MD5', 'd41d8cd98f00b204e9800998ecf8427e').ok).toBe(false);
    expect(validateAttributeValue('__proto__', 'x').ok).toBe(false);
  });

  it('refuses a non-string value arriving through an untyped boundary', () => {
    expect(validateAttributeValue('text', 42 as unknown as string)).toEqual({ ok: false, reason: 'Value has to be a string.' });
  });

  it('trims surrounding whitespace but keeps inner text', () => {
    expect(validateAttributeValue('text', '  two\nlines \t')).toMatchObject({ ok: true, value: 'two\nlines' });
    expect(validateAttributeValue('filename', ' my file.txt ')).toMatchObject({ ok: true, value: 'my file.txt' });
  });

  it('refuses values longer than 65535 bytes', () => {
    expect(validateAttributeValue('text', 'a'.repeat(65_535)).ok).toBe(true);
    expect(validateAttributeValue('text', 'a'.repeat(65_536)).ok).toBe(false);
    expect(validateAttributeValue('text', 'é'.repeat(32_768)).ok).toBe(false);
    expect(validateAttributeValue('text', 'é'.repeat(32_767)).ok).toBe(true);
    // Four bytes per emoji (a surrogate pair), three per CJK character.
    expect(validateAttributeValue('text', '😀'.repeat(16_383)).ok).toBe(true);
    expect(validateAttributeValue('text', '😀'.repeat(16_384)).ok).toBe(false);
    expect(validateAttributeValue('text', '中'.repeat(21_845)).ok).toBe(true);
    expect(validateAttributeValue('text', '中'.repeat(21_846)).ok).toBe(false);
  });

  it('counts UTF-8 bytes as an encoder does, around the limit and with lone surrogates', () => {
    const pieces = ['a', 'é', '中', '😀', '\ud800', '\udc00'];
    let seed = 7;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 300; round++) {
      let text = '';
      const units = 1 + (next() % 60);
      for (let i = 0; i < units; i++) text += pieces[next() % pieces.length];
      const bytes = new TextEncoder().encode(text).length;
      for (const max of [bytes - 1, bytes, bytes + 1, Math.floor(bytes / 2)]) expect(utf8TooLong(text, max), JSON.stringify({ text, max })).toBe(bytes > max);
    }
  });

  it('lets free-text types hold several lines but not single-line types', () => {
    for (const type of ['text', 'comment', 'other', 'yara', 'snort', 'email-body', 'pgp-public-key']) {
      expect(validateAttributeValue(type, 'a\nb').ok, type).toBe(true);
    }
    for (const type of ['filename', 'url', 'uri', 'user-agent', 'regkey', 'email-subject', 'threat-actor', 'named pipe']) {
      expect(validateAttributeValue(type, 'a\nb'), type).toEqual({ ok: false, reason: 'Value must not contain new line character.' });
    }
  });
});

describe('validateAttributeValue: composites', () => {
  it('needs exactly one |', () => {
    for (const value of ['a.exe', 'a|b|d41d8cd98f00b204e9800998ecf8427e']) {
      expect(validateAttributeValue('filename|md5', value)).toEqual({
        ok: false,
        reason: 'Composite type found but the value is not in the composite (value1|value2) format.',
      });
    }
  });

  it('needs both halves', () => {
    expect(validateAttributeValue('filename|md5', '|d41d8cd98f00b204e9800998ecf8427e').ok).toBe(false);
    expect(validateAttributeValue('filename|md5', 'a.exe|').ok).toBe(false);
    expect(validateAttributeValue('domain|ip', 'example.com|').ok).toBe(false);
  });

  it('lets regkey|value have an empty value', () => {
    expect(validateAttributeValue('regkey|value', 'HKLM\\Run\\x|')).toMatchObject({ ok: true, value1: 'HKLM\\Run\\x', value2: '' });
  });

  it('keeps the file name as given and lowercases the hash', () => {
    expect(validateAttributeValue('filename|sha1', 'Setup.EXE|DA39A3EE5E6B4B0D3255BFEF95601890AFD80709')).toEqual({
      ok: true,
      value: 'Setup.EXE|da39a3ee5e6b4b0d3255bfef95601890afd80709',
      value1: 'Setup.EXE',
      value2: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    });
  });

  it('checks the hash half of malware-sample as md5', () => {
    expect(validateAttributeValue('malware-sample', 'a.exe|d41d8cd98f00b204e9800998ecf8427e').ok).toBe(true);
    expect(validateAttributeValue('malware-sample', 'a.exe|not-a-hash').ok).toBe(false);
  });

  it('checks the hash half of the other filename| composites with its own format', () => {
    expect(validateAttributeValue('filename|ssdeep', 'a.exe|3:abc:def').ok).toBe(true);
    expect(validateAttributeValue('filename|ssdeep', 'a.exe|abc').ok).toBe(false);
    expect(validateAttributeValue('filename|impfuzzy', 'a.exe|abc').ok).toBe(false);
    expect(validateAttributeValue('filename|tlsh', 'a.exe|t1abc').ok).toBe(false);
    expect(validateAttributeValue('filename|vhash', 'a.exe|x\ny').ok).toBe(false);
  });

  it('refuses a new line in the file name', () => {
    expect(validateAttributeValue('filename|md5', 'a\nb|d41d8cd98f00b204e9800998ecf8427e')).toEqual({
      ok: false,
      reason: 'Filename must not contain new line character.',
    });
  });
});
