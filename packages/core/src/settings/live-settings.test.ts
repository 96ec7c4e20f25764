import { describe, expect, it } from 'vitest';
import type { Repositories, Store, SystemSettingRecord } from '../ports/store.js';
import { DEFAULT_CORE_CONFIG } from '../services/deps.js';
import { createLiveSettings } from './live-settings.js';
import { coerceSettingValue, effectiveSettings } from './setting-values.js';
import { settingDefinition, type SettingDefinition } from './setting-definitions.js';

const def = (name: string): SettingDefinition => {
  const d = settingDefinition(name);
  if (d === undefined) throw new Error(name);
  return d;
};

/** A store whose only table is system_settings, counting reads. */
function fakeStore(rows: SystemSettingRecord[]): { store: Pick<Store, 'read'>; reads: () => number } {
  let reads = 0;
  const repos = { listSystemSettings: async () => rows.map((r) => ({ ...r })) } as unknown as Repositories;
  return {
    store: {
      read: async <T>(fn: (r: Repositories) => Promise<T>): Promise<T> => {
        reads++;
        return fn(repos);
      },
    },
    reads: () => reads,
  };
}

describe('effective settings', () => {
  it('are the start-up configuration until something is stored', () => {
    const s = effectiveSettings({ ...DEFAULT_CORE_CONFIG, correlationCap: 7 }, []);
    expect(s).toMatchObject({ live: true, correlationCap: 7, maxCorrelationsPerEvent: 5000, defaultEventDistribution: 1, defaultAttributeDistribution: 5, strictObjectTemplates: true });
    expect(s.values.get('MISP.correlation_limit')).toBe(7);
    expect(s.values.get('MISP.default_attribute_distribution')).toBe('event');
    expect(s.stored.size).toBe(0);
  });

  it('take stored values, ignore unusable ones and unknown names, and fill the maintenance message', () => {
    const rows = [
      { id: 1, setting: 'MISP.live', value: 'false' },
      { id: 2, setting: 'MISP.correlation_limit', value: '0' },
      { id: 3, setting: 'MISP.max_correlations_per_event', value: '{' },
      { id: 4, setting: 'MISP.gone', value: '1' },
      { id: 5, setting: 'MISP.email', value: '"soc@x.test"' },
      { id: 6, setting: 'MISP.default_attribute_distribution', value: '"2"' },
    ];
    const s = effectiveSettings(DEFAULT_CORE_CONFIG, rows);
    expect(s.live).toBe(false);
    expect(s.correlationCap).toBe(DEFAULT_CORE_CONFIG.correlationCap);
    expect(s.maxCorrelationsPerEvent).toBe(5000);
    expect(s.defaultAttributeDistribution).toBe(2);
    expect(s.maintenanceMessage).toContain('administration at soc@x.test.');
    expect([...s.stored].sort()).toEqual(['MISP.default_attribute_distribution', 'MISP.email', 'MISP.live']);
  });

  it("read clients' values as their type, refusing what a cast would change", () => {
    expect(coerceSettingValue(def('MISP.max_correlations_per_event'), ' 10 ')).toEqual({ ok: true, value: 10 });
    expect(coerceSettingValue(def('MISP.max_correlations_per_event'), '1e3').ok).toBe(false);
    expect(coerceSettingValue(def('MISP.max_correlations_per_event'), 10.5).ok).toBe(false);
    expect(coerceSettingValue(def('MISP.live'), 'TRUE')).toEqual({ ok: true, value: true });
    expect(coerceSettingValue(def('MISP.live'), '')).toMatchObject({ ok: false });
    expect(coerceSettingValue(def('MISP.default_event_distribution'), 2)).toEqual({ ok: true, value: '2' });
  });
});

describe('live settings', () => {
  it('are read once per few seconds, and again at once after invalidate()', async () => {
    let t = 0;
    const rows: SystemSettingRecord[] = [];
    const fake = fakeStore(rows);
    const live = createLiveSettings(fake.store, DEFAULT_CORE_CONFIG, { ttlMs: 1000, now: () => t });
    expect((await live.current()).live).toBe(true);
    rows.push({ id: 1, setting: 'MISP.live', value: 'false' });
    expect((await live.current()).live).toBe(true);
    expect(fake.reads()).toBe(1);
    t = 1500;
    expect((await live.current()).live).toBe(false);
    rows[0] = { id: 1, setting: 'MISP.live', value: 'true' };
    live.invalidate();
    expect((await live.current()).live).toBe(true);
    expect(fake.reads()).toBe(3);
  });

  it('read through the repositories given (a transaction) instead of the store', async () => {
    const fake = fakeStore([]);
    const live = createLiveSettings(fake.store, DEFAULT_CORE_CONFIG);
    const repos = { listSystemSettings: async () => [{ id: 1, setting: 'debug', value: '2' }] };
    expect((await live.current(repos)).values.get('debug')).toBe(2);
    expect(fake.reads()).toBe(0);
  });

  it('do not keep a read that an edit overtook', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let value = 'true';
    const store: Pick<Store, 'read'> = {
      read: async <T>(fn: (r: Repositories) => Promise<T>): Promise<T> => {
        const snapshot = value;
        await gate;
        return fn({ listSystemSettings: async () => [{ id: 1, setting: 'MISP.live', value: snapshot }] } as unknown as Repositories);
      },
    };
    const live = createLiveSettings(store, DEFAULT_CORE_CONFIG);
    const stale = live.current();
    value = 'false';
    live.invalidate();
    release();
    expect((await stale).live).toBe(true);
    expect((await live.current()).live).toBe(false);
  });
});
