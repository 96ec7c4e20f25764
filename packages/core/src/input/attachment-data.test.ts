import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { attachmentData, carriesData } from './attachment-data.js';
import { parseAttribute } from './parse-misp.js';

describe('attachmentData', () => {
  it('keeps base64 data on attachment and malware-sample, and nothing elsewhere', () => {
    expect(attachmentData('attachment', 'QUJD', 'A')).toBe('QUJD');
    expect(attachmentData('malware-sample', 'QUI=', 'A')).toBe('QUI=');
    expect(attachmentData('attachment', 'QQ==', 'A')).toBe('QQ==');
    expect(attachmentData('text', 'not base64!', 'A')).toBeUndefined();
    expect(attachmentData('attachment', undefined, 'A')).toBeUndefined();
    expect(attachmentData('attachment', '', 'A')).toBeUndefined();
    expect(carriesData('attachment') && carriesData('malware-sample') && !carriesData('filename')).toBe(true);
  });

  it('removes MIME line breaks', () => {
    expect(attachmentData('attachment', 'QUJD\r\nREVG\nR0g=', 'A')).toBe('QUJDREVGR0g=');
  });

  it('refuses other alphabets, bad padding, non-strings and over-long content, naming the field', () => {
    for (const bad of ['QUJ', 'Q===', 'QU=J', 'QUJD-_==', 'QU JD', '====', 42, { x: 1 }]) {
      expect(() => attachmentData('attachment', bad, 'Event.Attribute[3]'), String(bad)).toThrow(InputError);
      try {
        attachmentData('attachment', bad, 'Event.Attribute[3]');
      } catch (error) {
        expect((error as InputError).message).toMatch(/^Event\.Attribute\[3\]\.data /);
      }
    }
    expect(attachmentData('attachment', 'QUJDREVG', 'A', 8)).toBe('QUJDREVG');
    expect(() => attachmentData('attachment', 'QUJDREVGR0g=', 'A', 8)).toThrow(/A\.data is longer than 8 characters/);
  });
});

describe('parseAttribute data', () => {
  it('passes the data on and refuses a non-string on types that keep it', () => {
    expect(parseAttribute({ type: 'attachment', value: 'a.bin', data: 'QUJD' }).data).toBe('QUJD');
    expect(parseAttribute({ type: 'attachment', value: 'a.bin', data: '' }).data).toBeUndefined();
    expect(() => parseAttribute({ type: 'malware-sample', value: 'a|b', data: 7 })).toThrow(/Attribute\.data must be a base64 string/);
    expect(parseAttribute({ type: 'text', value: 'x', data: 7 }).data).toBeUndefined();
  });
});
