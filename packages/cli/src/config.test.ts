import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

describe('readConfig', () => {
  it('has defaults for the sharing schedules and the SQLite cache', () => {
    const c = readConfig({ data: '/tmp/w' }, {});
    expect(c.syncIntervalSeconds).toBe(300);
    expect(c.feedIntervalSeconds).toBe(3600);
    expect(c.sqliteCacheMiB).toBe(32);
  });

  it('reads them from the environment, 0 turning a schedule off', () => {
    const c = readConfig({ data: '/tmp/w' }, { WAGGLE_SYNC_INTERVAL: '0', WAGGLE_FEED_INTERVAL: '60', WAGGLE_SQLITE_CACHE_MB: '256' });
    expect([c.syncIntervalSeconds, c.feedIntervalSeconds, c.sqliteCacheMiB]).toEqual([0, 60, 256]);
  });

  it('reports every bad value at once', () => {
    expect(() => readConfig({ data: '/tmp/w' }, { WAGGLE_SYNC_INTERVAL: '-1', WAGGLE_FEED_INTERVAL: 'soon', WAGGLE_SQLITE_CACHE_MB: '1' })).toThrow(
      /WAGGLE_SYNC_INTERVAL[\s\S]*WAGGLE_FEED_INTERVAL[\s\S]*WAGGLE_SQLITE_CACHE_MB/,
    );
  });
});
