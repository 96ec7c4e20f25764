import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { Rational, positiveRational } from './rational.js';

const r = (s: string): Rational => Rational.parse(s);

describe('Rational', () => {
  it('parses decimals, fractions, exponents and numbers exactly, in lowest terms', () => {
    expect(r('0.5').toString()).toBe('1/2');
    expect(r('2/6').toString()).toBe('1/3');
    expect(r('-1/3').toString()).toBe('-1/3');
    expect(r('3').toString()).toBe('3');
    expect(r('1e-3').toString()).toBe('1/1000');
    expect(r('2.5E2').toString()).toBe('250');
    expect(r('.25').toString()).toBe('1/4');
    expect(r(' 7 / 14 ').toString()).toBe('1/2');
    expect(Rational.parse(0.1).toString()).toBe('1/10');
    expect(Rational.parse(5n).toString()).toBe('5');
    expect(Rational.of(3n, -6n).toString()).toBe('-1/2');
  });

  it('adds without rounding: 0.1 + 0.2 is exactly 0.3, three thirds are exactly 1', () => {
    expect(r('0.1').add(r('0.2')).compare(r('0.3'))).toBe(0);
    expect(r('1/3').add(r('1/3')).add(r('1/3')).toString()).toBe('1');
    expect(r('1/2').sub(r('3/4')).toString()).toBe('-1/4');
    expect(r('2/3').mul(r('3/4')).toString()).toBe('1/2');
    expect(r('1/2').div(r('1/4')).toString()).toBe('2');
    expect(r('7/2').floor()).toBe(3n);
    expect(r('-7/2').floor()).toBe(-4n);
    expect(r('-4').floor()).toBe(-4n);
    expect(r('1/3').compare(r('0.3333'))).toBe(1);
    expect(r('0.3333').compare(r('1/3'))).toBe(-1);
    expect(r('3/4').toNumber()).toBe(0.75);
    expect(JSON.stringify({ e: r('0.25') })).toBe('{"e":"1/4"}');
  });

  it.each(['', 'abc', '1/0', '0x10', '1.2.3', '1/-2', '--1', 'e5', '1e', '½'])('rejects %j with an InputError naming the field', (bad) => {
    expect(() => Rational.parse(bad, 'epsilon')).toThrow(InputError);
    try {
      Rational.parse(bad, 'epsilon');
    } catch (error) {
      expect((error as InputError).details.field).toBe('epsilon');
    }
  });

  it('rejects non-finite numbers, absurd exponents, non-strings and division by zero', () => {
    expect(() => Rational.parse(Number.NaN)).toThrow(/not a finite number/);
    expect(() => Rational.parse(Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
    expect(() => Rational.parse('1e999999')).toThrow(/out of range/);
    expect(() => Rational.parse({} as unknown as string)).toThrow(InputError);
    expect(() => r('1').div(r('0'))).toThrow(/division by zero/);
    expect(() => Rational.of(1n, 0n)).toThrow(/denominator/);
  });

  it('positiveRational refuses zero and negatives', () => {
    expect(positiveRational('1/4', 'epsilon').toString()).toBe('1/4');
    expect(() => positiveRational('0', 'epsilon')).toThrow(/epsilon must be greater than 0/);
    expect(() => positiveRational('-0.5', 'epsilon')).toThrow(/epsilon must be greater than 0/);
  });
});
