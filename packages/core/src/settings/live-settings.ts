import type { SystemSettingRepository, Store } from '../ports/store.js';
import type { CoreConfig } from './core-config.js';
import { effectiveSettings, type EffectiveSettings } from './setting-values.js';

/** The settings in force, read from the store and kept for a moment. */
export interface LiveSettings {
  /**
   * The settings in force. They are read again after an edit in this process at once, and
   * otherwise after a few seconds (another process sharing the database may have changed them).
   * Inside a transaction, pass its repositories: the read then happens in the transaction.
   */
  current(repos?: Pick<SystemSettingRepository, 'listSystemSettings'>): Promise<EffectiveSettings>;
  /** Forgets what was read (an edit has committed). */
  invalidate(): void;
}

/** Settings over the store; `config` (the start-up configuration) gives the defaults. */
export function createLiveSettings(store: Pick<Store, 'read'>, config: CoreConfig, options: { readonly ttlMs?: number; readonly now?: () => number } = {}): LiveSettings {
  const ttl = options.ttlMs ?? 5000;
  const now = options.now ?? Date.now;
  let cached: { readonly settings: EffectiveSettings; readonly until: number; readonly generation: number } | undefined;
  // Bumped by invalidate(): a read that started before an edit must not be kept after it.
  let generation = 0;
  return {
    async current(repos) {
      if (cached !== undefined && cached.generation === generation && cached.until > now()) return cached.settings;
      const started = generation;
      const rows = repos !== undefined ? await repos.listSystemSettings() : await store.read((r) => r.listSystemSettings());
      const settings = effectiveSettings(config, rows);
      if (started === generation) cached = { settings, until: now() + ttl, generation };
      return settings;
    },
    invalidate() {
      generation++;
      cached = undefined;
    },
  };
}
