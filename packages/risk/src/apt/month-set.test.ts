import { describe, expect, it } from 'vitest';
import { addMonth, createMonthSet, hasMonth, hasMonthFrom, isEmptyMonthSet, monthsOf } from './month-set.js';

describe('month bitsets', () => {
  it('holds the 145 months of the period in five words', () => {
    const set = createMonthSet(145);
    expect(set).toHaveLength(5);
    expect(isEmptyMonthSet(set)).toBe(true);
    for (const col of [0, 31, 32, 144]) addMonth(set, col);
    expect(monthsOf(set)).toEqual([0, 31, 32, 144]);
    expect([hasMonth(set, 31), hasMonth(set, 30), hasMonth(set, 144)]).toEqual([true, false, true]);
    expect(isEmptyMonthSet(set)).toBe(false);
  });

  it('tests "any month from a start column on" across word boundaries', () => {
    const set = createMonthSet(145);
    addMonth(set, 31);
    expect([hasMonthFrom(set, 0), hasMonthFrom(set, 31), hasMonthFrom(set, 32)]).toEqual([true, true, false]);
    addMonth(set, 100);
    expect([hasMonthFrom(set, 32), hasMonthFrom(set, 100), hasMonthFrom(set, 101), hasMonthFrom(set, 500)]).toEqual([true, true, false, false]);
  });
});
