import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '@waggle/core';
import { startFeedScheduler, type FeedSchedulerOptions } from './feed-scheduler.js';
import type { FeedFetchReport } from './feed-context.js';

const report = (ok: boolean): FeedFetchReport => ({
  feedId: 1, name: 'f', format: 'misp', ok, added: ok ? 1 : 0, updated: 0, unchanged: 0, forgotten: 0, attributesAdded: 0, attributesRemoved: 0, rejectedRows: 0,
  errors: ok ? [] : [{ message: 'manifest.json is broken', retryable: false }], fetchedAt: 1,
});

function fakeService(fetchAll: () => Promise<FeedFetchReport[]>) {
  const calls = { fetch: 0, cache: 0, running: 0, maxRunning: 0 };
  const service: FeedSchedulerOptions['service'] = {
    importPrincipal: async () => ({}) as Principal,
    fetchAll: async () => {
      calls.fetch++;
      calls.running++;
      calls.maxRunning = Math.max(calls.maxRunning, calls.running);
      try {
        return await fetchAll();
      } finally {
        calls.running--;
      }
    },
    cache: async () => {
      calls.cache++;
      return { successes: 0, fails: 1, feeds: [{ id: 2, name: 'c', error: 'hashes.csv line 3: bad' }] };
    },
  };
  return { service, calls };
}

describe('startFeedScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs rounds after each interval, logs problems, and keeps going after a failing round', async () => {
    vi.useFakeTimers();
    let n = 0;
    const { service, calls } = fakeService(async () => {
      n++;
      if (n === 2) throw new Error('database is down');
      return [report(n !== 3)];
    });
    const log = { info: vi.fn(), warn: vi.fn() };
    const stop = startFeedScheduler({ service, intervalSeconds: 60, log });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(calls.fetch).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.fetch).toBe(1);
    expect(log.info).toHaveBeenCalledWith('feed 1 "f": 1 added, 0 updated.');
    expect(log.warn).toHaveBeenCalledWith('feed 2 "c": caching failed: hashes.csv line 3: bad');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.fetch).toBe(2);
    expect(log.warn).toHaveBeenCalledWith('feed round failed: database is down');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.fetch).toBe(3);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('1 problem(s), first: manifest.json is broken'));
    await stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls.fetch).toBe(3);
  });

  it('never overlaps rounds, and stop waits for the running one', async () => {
    vi.useFakeTimers();
    let release: () => void = () => {};
    const { service, calls } = fakeService(() => new Promise((resolve) => (release = () => resolve([report(true)]))));
    const stop = startFeedScheduler({ service, intervalSeconds: 1, log: { info: () => {}, warn: () => {} }, firstRunAfterSeconds: 0 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls.fetch).toBe(1);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(calls).toMatchObject({ fetch: 1, maxRunning: 1, cache: 1 });
  });

  it('survives a logger that throws', async () => {
    vi.useFakeTimers();
    const { service, calls } = fakeService(async () => {
      throw new Error('boom');
    });
    const stop = startFeedScheduler({ service, intervalSeconds: 5, log: { info: () => {}, warn: () => { throw new Error('log broken'); } } });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls.fetch).toBe(4);
    await stop();
  });

  it('rejects an interval under one second', () => {
    const { service } = fakeService(async () => []);
    expect(() => startFeedScheduler({ service, intervalSeconds: 0, log: { info: () => {}, warn: () => {} } })).toThrow(/at least 1/);
  });
});
