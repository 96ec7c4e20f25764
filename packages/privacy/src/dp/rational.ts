import { InputError } from '@waggle/errors';

/** What the DP API accepts where a rational number is expected: `"0.5"`, `"1/3"`, `"2e-3"`, `0.25`, or a `Rational`. */
export type RationalInput = Rational | string | number | bigint;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

const DECIMAL = /^([+-]?)(\d+)?(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const FRACTION = /^([+-]?\d+)\s*\/\s*(\d+)$/;
// An exponent this large would build a BigInt of millions of digits; nobody means that.
const MAX_EXPONENT = 1000;

/**
 * An exact fraction of two BigInts, always in lowest terms with a positive
 * denominator. Privacy parameters are rationals so that ε composition
 * (summing what a recipient has been charged) is exact: with floats,
 * 0.1 + 0.2 > 0.3 and a ledger could refuse or allow one release too many.
 */
export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  /** `num/den` reduced; throws `InputError` on a zero denominator. */
  static of(num: bigint | number, den: bigint | number = 1n, field = 'value'): Rational {
    const n = BigInt(num);
    const d = BigInt(den);
    if (d === 0n) throw new InputError(`${field}: denominator must not be zero`, { field });
    const g = gcd(n, d) || 1n;
    const sign = d < 0n ? -1n : 1n;
    return new Rational((sign * n) / g, (sign * d) / g);
  }

  /**
   * Parses `"0.5"`, `"-1/3"`, `"2"`, `"1e-3"`, a finite JS number (through its
   * shortest decimal form, so `0.1` is exactly 1/10), a bigint or a Rational.
   * Anything else is an `InputError` naming `field`.
   */
  static parse(input: RationalInput, field = 'value'): Rational {
    if (input instanceof Rational) return input;
    if (typeof input === 'bigint') return Rational.of(input, 1n, field);
    if (typeof input === 'number') {
      if (!Number.isFinite(input)) throw new InputError(`${field}: ${String(input)} is not a finite number`, { field });
      return Rational.parse(String(input), field);
    }
    if (typeof input !== 'string') throw new InputError(`${field}: expected a number such as "0.5" or "1/3"`, { field });
    const text = input.trim();
    const frac = FRACTION.exec(text);
    if (frac !== null) return Rational.of(BigInt(frac[1] as string), BigInt(frac[2] as string), field);
    const dec = DECIMAL.exec(text);
    if (dec === null || (dec[2] === undefined && dec[3] === undefined)) {
      throw new InputError(`${field}: "${input}" is not a number (expected e.g. "0.5", "1/3" or "1e-3")`, { field });
    }
    const [, sign, whole = '', fraction = '', exp = '0'] = dec;
    const e = Number(exp) - fraction.length;
    if (Math.abs(e) > MAX_EXPONENT) throw new InputError(`${field}: exponent of "${input}" is out of range`, { field });
    const digits = BigInt(`${whole}${fraction}` || '0') * (sign === '-' ? -1n : 1n);
    return e >= 0 ? Rational.of(digits * 10n ** BigInt(e), 1n, field) : Rational.of(digits, 10n ** BigInt(-e), field);
  }

  add(o: Rational): Rational {
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Rational): Rational {
    return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  mul(o: Rational): Rational {
    return Rational.of(this.num * o.num, this.den * o.den);
  }

  div(o: Rational): Rational {
    if (o.num === 0n) throw new InputError('division by zero', { field: 'value' });
    return Rational.of(this.num * o.den, this.den * o.num);
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `o`. */
  compare(o: Rational): -1 | 0 | 1 {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  /** The largest integer ≤ this. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  isPositive(): boolean {
    return this.num > 0n;
  }

  /** A float approximation, for reports and error bounds only (never for sampling). */
  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }

  /** `"3"` or `"1/3"`: the exact form, which `Rational.parse` reads back. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Parses a privacy parameter that must be strictly positive (ε, a budget limit); `InputError` otherwise. */
export function positiveRational(input: RationalInput, field: string): Rational {
  const r = Rational.parse(input, field);
  if (!r.isPositive()) throw new InputError(`${field} must be greater than 0 (got ${r.toString()})`, { field });
  return r;
}
