import type { SystemSettingRepository } from '@waggle/core';
import type { RepoContext } from '../db/rows.js';

/** Server settings changed through the API, over SQL (one row per setting). */
export function systemSettingRepository(ctx: RepoContext): SystemSettingRepository {
  const { db } = ctx;
  return {
    async listSystemSettings() {
      const rows = await db.selectFrom('system_settings').selectAll().orderBy('setting').execute();
      return rows.map((r) => ({ id: Number(r.id), setting: r.setting, value: r.value }));
    },
    async putSystemSetting(setting, value) {
      await db
        .insertInto('system_settings')
        .values({ setting, value })
        .onConflict((oc) => oc.column('setting').doUpdateSet({ value }))
        .execute();
    },
  };
}
