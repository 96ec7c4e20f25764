import { describe, expect, it } from 'vitest';
import { compareGenericVersions } from './generic-version.js';

describe('compareGenericVersions', () => {
  it.each([
    ['1.0.0', '1.0.0', 0],
    ['v1.2.3', '1.2.3', 0],
    ['1.0', '1.0.0', 0],
    ['1.2.10', '1.2.9', 1],
    ['1.0.0-alpha', '1.0.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0+build.5', '1.0.0', 0],
    ['2.14.1', '2.15.0', -1],
    ['2.0-beta9', '2.0', -1],
    ['1.0.1', '1.0.1a', -1],
    ['1.0.1z', '1.0.2', -1],
    ['4.17.20', '4.17.21', -1],
    ['007', '7', 0],
    ['99999999999999999999.1', '99999999999999999998.9', 1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compareGenericVersions(a, b)).toBe(expected);
    expect(compareGenericVersions(b, a)).toBe(expected === 0 ? 0 : -expected);
  });
});
