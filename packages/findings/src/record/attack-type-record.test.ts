import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import type { AttackTypeRecord } from '../finding.js';
import { mergeDetectorEntry, parseAttackTypeRecord, serializeAttackTypeRecord, validateDetectorName } from './attack-type-record.js';
import { combinedConfidence, topAttackType } from './combined-confidence.js';

const suricata: AttackTypeRecord = {
  suricata: { version: '7.0.8', reference: 'sid:2001219', attacks: [{ attack_type: 'ssh-brute-force', confidence: 0.8 }] },
};

function inputError(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect((caught as Error).message).toMatch(pattern);
}

describe('attack_type record codec', () => {
  it('round-trips through serialize and parse', () => {
    const text = serializeAttackTypeRecord(suricata);
    expect(parseAttackTypeRecord(text)).toEqual(suricata);
  });

  it('serializes with a stable key order whatever the input order', () => {
    const a = { b: { attacks: [{ confidence: 0.5, attack_type: 'x' }], version: '1' }, a: { reference: 'r', version: '2', attacks: [{ attack_type: 'y', confidence: 1 }] } };
    const b = { a: { version: '2', attacks: [{ attack_type: 'y', confidence: 1 }], reference: 'r' }, b: { version: '1', attacks: [{ attack_type: 'x', confidence: 0.5 }] } };
    expect(serializeAttackTypeRecord(a)).toBe(serializeAttackTypeRecord(b));
    expect(serializeAttackTypeRecord(a)).toBe('{"a":{"version":"2","reference":"r","attacks":[{"attack_type":"y","confidence":1}]},"b":{"version":"1","attacks":[{"attack_type":"x","confidence":0.5}]}}');
  });

  it('accepts the empty record', () => {
    expect(parseAttackTypeRecord('{}')).toEqual({});
  });

  it.each([
    ['not JSON', '{suricata', /not valid JSON/],
    ['an array', '[]', /must be a JSON object/],
    ['a string', '"x"', /must be a JSON object/],
    ['null', 'null', /must be a JSON object/],
    ['an entry that is not an object', '{"s":1}', /attack-type\.s must be an object/],
    ['a missing version', '{"s":{"attacks":[{"attack_type":"a","confidence":0.1}]}}', /version must be a non-empty string/],
    ['an empty version', '{"s":{"version":" ","attacks":[{"attack_type":"a","confidence":0.1}]}}', /version must be a non-empty string/],
    ['a numeric reference', '{"s":{"version":"1","reference":5,"attacks":[{"attack_type":"a","confidence":0.1}]}}', /reference must be a non-empty string/],
    ['no attacks', '{"s":{"version":"1","attacks":[]}}', /attacks must be a non-empty array/],
    ['attacks not a list', '{"s":{"version":"1","attacks":{}}}', /attacks must be a non-empty array/],
    ['confidence above 1', '{"s":{"version":"1","attacks":[{"attack_type":"a","confidence":1.5}]}}', /confidence must be a number in \[0, 1\]/],
    ['negative confidence', '{"s":{"version":"1","attacks":[{"attack_type":"a","confidence":-0.1}]}}', /confidence must be a number in \[0, 1\]/],
    ['confidence as a string', '{"s":{"version":"1","attacks":[{"attack_type":"a","confidence":"0.5"}]}}', /confidence must be a number/],
    ['an empty attack_type', '{"s":{"version":"1","attacks":[{"attack_type":"","confidence":0.5}]}}', /attack_type must be a non-empty string/],
    ['a duplicate attack_type', '{"s":{"version":"1","attacks":[{"attack_type":"a","confidence":0.5},{"attack_type":"a","confidence":0.2}]}}', /lists "a" twice/],
    ['a typo in a key', '{"s":{"version":"1","attacks":[{"attack_type":"a","confidance":0.5}]}}', /unknown key "confidance"/],
    ['an unknown entry key', '{"s":{"version":"1","model":"m","attacks":[{"attack_type":"a","confidence":0.5}]}}', /unknown key "model"/],
    ['a bad detector name', '{" bad":{"version":"1","attacks":[{"attack_type":"a","confidence":0.5}]}}', /detector name/],
  ])('rejects %s with an InputError', (_label, text, pattern) => {
    inputError(() => parseAttackTypeRecord(text), pattern);
  });

  it('rejects non-text input', () => {
    inputError(() => parseAttackTypeRecord(42 as unknown as string), /must be JSON text/);
  });

  it('refuses to serialize an invalid record', () => {
    inputError(() => serializeAttackTypeRecord({ s: { version: '1', attacks: [{ attack_type: 'a', confidence: Number.NaN }] } }), /confidence/);
  });
});

describe('mergeDetectorEntry', () => {
  it('adds an entry and leaves the others untouched', () => {
    const merged = mergeDetectorEntry(suricata, 'waggle-rules', { version: '1', attacks: [{ attack_type: 'ssh-brute-force', confidence: 0.6 }] });
    expect(Object.keys(merged).sort()).toEqual(['suricata', 'waggle-rules']);
    expect(merged.suricata).toEqual(suricata.suricata);
    expect(suricata).not.toHaveProperty('waggle-rules');
  });

  it('replaces an existing entry of the same detector', () => {
    const merged = mergeDetectorEntry(suricata, 'suricata', { version: '7.0.9', attacks: [{ attack_type: BENIGN_T, confidence: 0.9 }] });
    expect(merged).toEqual({ suricata: { version: '7.0.9', attacks: [{ attack_type: 'benign', confidence: 0.9 }] } });
  });

  it('rejects a bad detector name or entry and leaves the record unchanged', () => {
    const before = serializeAttackTypeRecord(suricata);
    inputError(() => mergeDetectorEntry(suricata, '', { version: '1', attacks: [{ attack_type: 'a', confidence: 0.1 }] }), /detector name/);
    inputError(() => mergeDetectorEntry(suricata, 'x', { version: '1', attacks: [{ attack_type: 'a', confidence: 2 }] }), /confidence/);
    expect(serializeAttackTypeRecord(suricata)).toBe(before);
  });

  it('validates detector names', () => {
    expect(validateDetectorName('waggle-ml')).toBe('waggle-ml');
    inputError(() => validateDetectorName('a'.repeat(129)), /detector name/);
    inputError(() => validateDetectorName('has space'), /detector name/);
  });
});

const BENIGN_T = 'benign';

describe('combinedConfidence', () => {
  const rules = (attack: string, confidence: number): AttackTypeRecord => mergeDetectorEntry(suricata, 'waggle-rules', { version: '1', attacks: [{ attack_type: attack, confidence }] });

  it('is the detector confidence with one detector', () => {
    expect(combinedConfidence(suricata)).toBe(0.8);
  });
  it('rises when a second detector agrees (noisy-OR)', () => {
    expect(combinedConfidence(rules('ssh-brute-force', 0.6))).toBe(0.92);
  });
  it('falls when a second detector says benign', () => {
    expect(combinedConfidence(rules(BENIGN_T, 0.7))).toBe(0.24);
  });
  it('is 0 for an empty record or a sure benign verdict', () => {
    expect(combinedConfidence({})).toBe(0);
    expect(combinedConfidence(rules(BENIGN_T, 1))).toBe(0);
  });
  it('takes each detector at its most confident attack', () => {
    expect(combinedConfidence({ d: { version: '1', attacks: [{ attack_type: 'a', confidence: 0.3 }, { attack_type: 'b', confidence: 0.5 }] } })).toBe(0.5);
  });
});

describe('topAttackType', () => {
  it('picks the attack type with the highest combined confidence', () => {
    const r: AttackTypeRecord = {
      a: { version: '1', attacks: [{ attack_type: 'port-scan', confidence: 0.6 }, { attack_type: 'dos', confidence: 0.7 }] },
      b: { version: '1', attacks: [{ attack_type: 'port-scan', confidence: 0.5 }] },
    };
    expect(topAttackType(r)).toEqual({ attack_type: 'port-scan', confidence: 0.8 });
  });
  it('breaks ties by name and ignores benign', () => {
    const r: AttackTypeRecord = { a: { version: '1', attacks: [{ attack_type: 'zeta', confidence: 0.5 }, { attack_type: 'alpha', confidence: 0.5 }, { attack_type: 'benign', confidence: 0.9 }] } };
    expect(topAttackType(r)).toEqual({ attack_type: 'alpha', confidence: 0.5 });
  });
  it('is undefined when every verdict is benign', () => {
    expect(topAttackType({ a: { version: '1', attacks: [{ attack_type: 'benign', confidence: 0.9 }] } })).toBeUndefined();
    expect(topAttackType({})).toBeUndefined();
  });
});
