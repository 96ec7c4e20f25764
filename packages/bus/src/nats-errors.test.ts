import { describe, expect, it } from 'vitest';
import { errors } from '@nats-io/transport-node';
import { JetStreamApiError } from '@nats-io/jetstream';
import { InputError, UnavailableError } from '@waggle/errors';
import { redactUrl, translateNatsError } from './nats-errors.js';

describe('translateNatsError', () => {
  const transient: [string, Error][] = [
    ['connection refused', new errors.ConnectionError('connection refused')],
    ['closed connection', new errors.ClosedConnectionError()],
    ['timeout', new errors.TimeoutError()],
    ['socket error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['JetStream 503', new JetStreamApiError({ code: 503, err_code: 10008, description: 'JetStream system temporarily unavailable' })],
  ];

  it.each(transient)('turns %s into a retryable UnavailableError keeping the cause', (_, error) => {
    const translated = translateNatsError(error, 'publish');
    expect(translated).toBeInstanceOf(UnavailableError);
    expect((translated as UnavailableError).retryable).toBe(true);
    expect((translated as UnavailableError).cause).toBe(error);
  });

  it('passes waggle errors, API refusals and unknown errors through', () => {
    const input = new InputError('bad');
    const refusal = new JetStreamApiError({ code: 400, err_code: 10065, description: 'subjects overlap with an existing stream' });
    const other = new Error('something else');
    expect(translateNatsError(input, 'x')).toBe(input);
    expect(translateNatsError(refusal, 'x')).toBe(refusal);
    expect(translateNatsError(other, 'x')).toBe(other);
  });
});

describe('redactUrl', () => {
  it('hides credentials and keeps the rest', () => {
    expect(redactUrl('nats://alice:s3cret@nats.example:4222')).toBe('nats://***@nats.example:4222');
    expect(redactUrl('nats://token@127.0.0.1:4222')).toBe('nats://***@127.0.0.1:4222');
    expect(redactUrl('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
  });
});
