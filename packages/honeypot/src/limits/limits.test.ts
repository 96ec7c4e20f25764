import { describe, expect, it } from 'vitest';
import { createConnectionLimiter } from './connection-limiter.js';
import { createLineBuffer } from './line-buffer.js';
import { createRateLimiter } from './token-bucket.js';

describe('token bucket', () => {
  it('allows a burst of perMinute then refills evenly', () => {
    let t = 0;
    const rl = createRateLimiter(60, () => t);
    for (let i = 0; i < 60; i += 1) expect(rl.take('a')).toBe(true);
    expect(rl.take('a')).toBe(false);
    expect(rl.take('b')).toBe(true);
    t += 1000;
    expect(rl.take('a')).toBe(true);
    expect(rl.take('a')).toBe(false);
  });

  it('keeps its key table bounded', () => {
    let t = 0;
    const rl = createRateLimiter(1, () => t, 3);
    expect(['a', 'b', 'c'].map((k) => rl.take(k))).toEqual([true, true, true]);
    expect(rl.take('d')).toBe(false);
    t += 120_000;
    expect(rl.take('d')).toBe(true);
    expect(rl.size()).toBeLessThanOrEqual(3);
  });
});

describe('connection limiter', () => {
  it('caps per address and globally, and releases once', () => {
    const l = createConnectionLimiter({ maxConnections: 3, maxConnectionsPerIp: 2, ratePerIpPerMinute: 100 }, () => 0);
    const a1 = l.admit('a');
    const a2 = l.admit('a');
    expect(l.admit('a')).toEqual({ ok: false, reason: 'max_connections_per_ip' });
    const b1 = l.admit('b');
    expect(l.admit('c')).toEqual({ ok: false, reason: 'max_connections' });
    expect([a1.ok, a2.ok, b1.ok]).toEqual([true, true, true]);
    if (a1.ok) {
      a1.release();
      a1.release();
    }
    expect(l.active()).toBe(2);
    expect(l.activeFor('a')).toBe(1);
    expect(l.admit('c').ok).toBe(true);
  });
});

describe('line buffer', () => {
  it('splits CRLF and LF lines across chunks and cuts over-long ones', () => {
    const lb = createLineBuffer(5);
    expect(lb.push(Buffer.from('ab'))).toEqual([]);
    expect(lb.push(Buffer.from('c\r\nde\nxyz'))).toEqual(['abc', 'de']);
    expect(lb.push(Buffer.from('1234567890\nok\n'))).toEqual(['xyz12', 'ok']);
    expect(lb.truncated).toBe(1);
  });
});
