import type { UserSettingRecord, UserSettingRepository } from '@waggle/core';
import type { RepoContext } from '../db/rows.js';

function toRecord(r: { id: number; user_id: number; setting: string; value: string; timestamp: number }): UserSettingRecord {
  return { id: Number(r.id), user_id: Number(r.user_id), setting: r.setting, value: r.value, timestamp: Number(r.timestamp) };
}

/** MISP's per-user settings over SQL (one row per user and setting). */
export function userSettingRepository(ctx: RepoContext): UserSettingRepository {
  const { db } = ctx;
  return {
    async listUserSettings(filter = {}) {
      let q = db.selectFrom('user_settings').selectAll();
      if (filter.userIds !== undefined) {
        if (filter.userIds.length === 0) return [];
        q = q.where('user_id', 'in', [...filter.userIds]);
      }
      if (filter.setting !== undefined) q = q.where('setting', '=', filter.setting);
      return (await q.orderBy('id').execute()).map(toRecord);
    },
    async getUserSetting(id) {
      const row = await db.selectFrom('user_settings').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    async putUserSetting(userId, setting, value, timestamp) {
      const row = await db
        .insertInto('user_settings')
        .values({ user_id: userId, setting, value, timestamp })
        .onConflict((oc) => oc.columns(['user_id', 'setting']).doUpdateSet({ value, timestamp }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async deleteUserSetting(id) {
      await db.deleteFrom('user_settings').where('id', '=', id).execute();
    },
  };
}
