import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { ConflictError, InputError, Secret, UnavailableError, isWaggleError } from './index.js';

describe('errors', () => {
  it('carries code, field and retryable flag', () => {
    const e = new InputError('bad value', { field: 'value' });
    expect(e.code).toBe('invalid_input');
    expect(e.details.field).toBe('value');
    expect(e.retryable).toBe(false);
    expect(isWaggleError(e)).toBe(true);
    expect(isWaggleError(new Error('x'))).toBe(false);
    expect(new UnavailableError('db busy').retryable).toBe(true);
    expect(new ConflictError('edited concurrently', {}, true).retryable).toBe(true);
    expect(e.name).toBe('InputError');
  });

  it('never prints a secret', () => {
    const s = new Secret('hunter2');
    expect(String(s)).toBe('[redacted]');
    expect(JSON.stringify({ s })).toBe('{"s":"[redacted]"}');
    expect(inspect(s)).toBe('[redacted]');
    expect(s.reveal()).toBe('hunter2');
  });
});
