import { sql } from 'kysely';
import type { AuthKeyRecord, Ref, RoleRecord, UserRecord, UserRepository } from '@waggle/core';
import { uuidForms, changes, asId, fromRow, fromRows, isUuid, mustExist, type RepoContext } from '../db/rows.js';

const toRole = (row: unknown): RoleRecord => fromRow<RoleRecord>('roles', row);
const toUser = (row: unknown): UserRecord => fromRow<UserRecord>('users', row);
const toAuthKey = (row: unknown): AuthKeyRecord => fromRow<AuthKeyRecord>('auth_keys', row);

/** Roles, users and their API keys over SQL. A user is referenced by id or e-mail address. */
export function userRepository(ctx: RepoContext): UserRepository {
  const { db } = ctx;

  async function getRole(id: number): Promise<RoleRecord | undefined> {
    const row = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toRole(row);
  }

  async function userById(id: number): Promise<UserRecord | undefined> {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async function userByEmail(email: string): Promise<UserRecord | undefined> {
    const exact = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    if (exact !== undefined) return toUser(exact);
    // The unique index is case-sensitive; a case-insensitive look-up prefers the oldest match.
    const folded = await db
      .selectFrom('users')
      .selectAll()
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return folded === undefined ? undefined : toUser(folded);
  }

  async function getUser(ref: Ref): Promise<UserRecord | undefined> {
    const id = asId(ref);
    if (id !== undefined) return userById(id);
    return typeof ref === 'string' && ref !== '' ? userByEmail(ref) : undefined;
  }

  async function getAuthKey(ref: Ref): Promise<AuthKeyRecord | undefined> {
    const id = asId(ref);
    const q = db.selectFrom('auth_keys').selectAll();
    let row: unknown;
    if (id !== undefined) row = await q.where('id', '=', id).executeTakeFirst();
    else if (typeof ref === 'string' && isUuid(ref)) row = await q.where('uuid', 'in', uuidForms(ref)).executeTakeFirst();
    return row === undefined ? undefined : toAuthKey(row);
  }

  return {
    async insertRole(role) {
      return toRole(await db.insertInto('roles').values(role).returningAll().executeTakeFirstOrThrow());
    },
    getRole,
    async listRoles() {
      return fromRows<RoleRecord>('roles', await db.selectFrom('roles').selectAll().orderBy('id').execute());
    },
    async deleteRole(id) {
      await db.deleteFrom('roles').where('id', '=', id).execute();
    },
    async updateRole(id, patch) {
      const set = changes(patch);
      if (set === undefined) return mustExist(await getRole(id), 'Role', id);
      const row = await db.updateTable('roles').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return toRole(mustExist(row, 'Role', id));
    },

    async insertUser(user) {
      return toUser(await db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow());
    },
    getUser,
    async listUsers(filter = {}) {
      let q = db.selectFrom('users').selectAll();
      if (filter.orgId !== undefined) q = q.where('org_id', '=', filter.orgId);
      return fromRows<UserRecord>('users', await q.orderBy('id').execute());
    },
    async updateUser(id, patch) {
      const set = changes(patch);
      if (set === undefined) return mustExist(await userById(id), 'User', id);
      const row = await db.updateTable('users').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return toUser(mustExist(row, 'User', id));
    },
    async deleteUser(id) {
      // Keys first: if the second statement fails outside a transaction, no key outlives its user.
      await db.deleteFrom('auth_keys').where('user_id', '=', id).execute();
      await db.deleteFrom('user_settings').where('user_id', '=', id).execute();
      await db.deleteFrom('users').where('id', '=', id).execute();
    },

    async insertAuthKey(key) {
      return toAuthKey(await db.insertInto('auth_keys').values(key).returningAll().executeTakeFirstOrThrow());
    },
    async findAuthKeys(start, end) {
      const rows = await db
        .selectFrom('auth_keys')
        .selectAll()
        .where('authkey_start', '=', start)
        .where('authkey_end', '=', end)
        .orderBy('id')
        .execute();
      return fromRows<AuthKeyRecord>('auth_keys', rows);
    },
    getAuthKey,
    async listAuthKeys(filter = {}) {
      let q = db.selectFrom('auth_keys').selectAll();
      if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
      const { orgId } = filter;
      if (orgId !== undefined) q = q.where('user_id', 'in', (eb) => eb.selectFrom('users').select('id').where('org_id', '=', orgId));
      return fromRows<AuthKeyRecord>('auth_keys', await q.orderBy('id').execute());
    },
    async deleteAuthKey(id) {
      await db.deleteFrom('auth_keys').where('id', '=', id).execute();
    },
  };
}
