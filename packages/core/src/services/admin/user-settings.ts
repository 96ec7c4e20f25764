import { ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../../access/principal.js';
import type { UserRecord } from '../../model/records.js';
import type { Repositories, UserSettingRecord } from '../../ports/store.js';
import type { MispJson } from '../../views/misp-json.js';
import type { CoreDeps } from '../deps.js';
import { requireWritable } from './admin-lookups.js';

/** A setting MISP knows: `restricted` names the role flag it needs, `internal` ones are never set through the API. */
interface SettingDefinition {
  readonly restricted?: 'perm_site_admin';
  readonly internal?: boolean;
  /** What the decoded value must be, beyond valid JSON (waggle applies these settings, so it checks them). */
  readonly check?: (value: unknown) => string | undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** MISP's `UserSetting::VALID_SETTINGS`, in its order. */
export const USER_SETTINGS: Readonly<Record<string, SettingDefinition>> = {
  publish_alert_filter: {},
  dashboard_access: { restricted: 'perm_site_admin' },
  dashboard: {},
  homepage: {},
  default_restsearch_parameters: {
    // Merged under restSearch filters: an object of filters (PHP's empty array `[]` clears it).
    check: (v) => (isPlainObject(v) || (Array.isArray(v) && v.length === 0) ? undefined : 'default_restsearch_parameters must be a JSON object of restSearch filters.'),
  },
  tag_numerical_value_override: {
    check: (v) =>
      (isPlainObject(v) && Object.values(v).every((n) => typeof n === 'number' || (typeof n === 'string' && n.trim() !== '' && Number.isFinite(Number(n))))) ||
      (Array.isArray(v) && v.length === 0)
        ? undefined
        : 'tag_numerical_value_override must be a JSON object of tag name to number.',
  },
  event_index_hide_columns: {
    check: (v) => (Array.isArray(v) && v.every((c) => typeof c === 'string') ? undefined : 'event_index_hide_columns must be a JSON list of column names.'),
  },
  oidc: { internal: true },
};

/** What `user_settings/index` filters on (`setting`, `user_id` = all, me, org or an id, `page`, `limit`). */
export interface UserSettingIndexFilter {
  readonly setting?: string;
  readonly userId?: string;
  readonly page?: number;
  readonly limit?: number;
}

/** `user_settings/setSetting`: the setting, its value as sent (absent when the body has none) and the user. */
export interface UserSettingInput {
  readonly setting?: string;
  readonly value?: unknown;
  readonly userId?: string;
}

/** `user_settings/delete`: by id, or by name (and user, the caller by default). */
export type UserSettingSelector = { readonly id: string } | { readonly setting?: string; readonly userId?: string };

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * MISP's `beforeValidate`: arrays and objects are JSON-encoded, '' / 'null' / nothing become `[]`,
 * other text is kept (and must be JSON), numbers and booleans become their JSON text.
 */
export function encodeSettingValue(value: unknown): string {
  if (value === undefined || value === null || value === '' || value === 'null') return '[]';
  if (typeof value === 'string') {
    if (!isValidJson(value)) throw new InputError('Invalid JSON.', { field: 'value' });
    return value;
  }
  return JSON.stringify(value);
}

/** MISP's `afterFind`: the stored text JSON-decoded (null when it is not JSON). */
export function decodeSettingValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** `{id, user_id, setting, value, timestamp}` with ids as strings and the value decoded. */
export function userSettingJson(r: UserSettingRecord): MispJson {
  return { id: String(r.id), user_id: String(r.user_id), setting: r.setting, value: decodeSettingValue(r.value), timestamp: String(r.timestamp) };
}

/** A user's settings as `users/view` shows them: name → decoded value (internal ones for site admins only); `[]` when none, as PHP's empty array. */
export async function userSettingValues(repos: Pick<Repositories, 'listUserSettings'>, p: Principal, userId: number): Promise<Record<string, unknown> | []> {
  const rows = (await repos.listUserSettings({ userIds: [userId] })).filter((r) => p.role.perm_site_admin || USER_SETTINGS[r.setting]?.internal !== true);
  return rows.length === 0 ? [] : Object.fromEntries(rows.map((r) => [r.setting, decodeSettingValue(r.value)]));
}

/** MISP's `checkSettingAccess`: true, or the permissions the setting needs. */
function settingAccess(p: Principal, setting: string): true | string {
  const def = USER_SETTINGS[setting];
  if (def?.internal === true) return 'site_admin';
  if (def?.restricted !== undefined && !p.role[def.restricted]) return def.restricted.slice(5);
  return true;
}

function requireSettingAccess(p: Principal, setting: string): void {
  const access = settingAccess(p, setting);
  if (access !== true) throw new ForbiddenError(`This setting is restricted and requires the following permission(s): ${access}`);
}

/** MISP's `checkAccess`: site admins any setting; org admins those of their organisation's users; others their own. */
function mayAccess(p: Principal, owner: UserRecord | undefined, setting: string): boolean {
  if (owner === undefined) return false;
  if (USER_SETTINGS[setting]?.internal === true && !p.role.perm_site_admin) return false;
  if (p.role.perm_site_admin) return true;
  if (p.role.perm_admin) return owner.org_id === p.org.id;
  return owner.id === p.user.id;
}

function numericId(v: string | undefined, message: string): number {
  if (v === undefined || !/^[0-9]+$/.test(v.trim())) throw new InputError(message, { field: 'id' });
  return Number(v);
}

/** MISP's per-user settings (`user_settings/*`) and the values other use cases read from them. */
export function createUserSettingService(deps: Pick<CoreDeps, 'store' | 'clock'>) {
  const { store, clock } = deps;

  /** Users whose settings the principal may list: undefined = everyone (site admins). */
  async function listableUserIds(repos: Repositories, p: Principal): Promise<number[] | undefined> {
    if (p.role.perm_site_admin) return undefined;
    if (p.role.perm_admin) return (await repos.listUsers({ orgId: p.org.id })).map((u) => u.id);
    return [p.user.id];
  }

  async function valueOf(userId: number, setting: string): Promise<unknown> {
    const [row] = await store.read((repos) => repos.listUserSettings({ userIds: [userId], setting }));
    return row === undefined ? undefined : decodeSettingValue(row.value);
  }

  return {
    /** `GET user_settings/index`: `[{UserSetting}]` the principal may see, in id order. */
    async index(p: Principal, filter: UserSettingIndexFilter): Promise<MispJson[]> {
      return store.read(async (repos) => {
        let userIds = await listableUserIds(repos, p);
        const narrow = (ids: number[]): void => {
          userIds = userIds === undefined ? ids : userIds.filter((id) => ids.includes(id));
        };
        const who = filter.userId?.trim();
        if (who !== undefined && who !== '' && who !== 'all') {
          if (who === 'me') narrow([p.user.id]);
          else if (who === 'org') narrow((await repos.listUsers({ orgId: p.org.id })).map((u) => u.id));
          else narrow([numericId(who, 'user_id must be all, me, org or a user id.')]);
        }
        const setting = filter.setting !== undefined && filter.setting !== '' ? filter.setting : undefined;
        let rows = await repos.listUserSettings({ ...(userIds !== undefined ? { userIds } : {}), ...(setting !== undefined ? { setting } : {}) });
        if (!p.role.perm_site_admin) rows = rows.filter((r) => USER_SETTINGS[r.setting]?.internal !== true);
        const limit = filter.limit ?? (filter.page !== undefined ? 60 : undefined);
        if (limit !== undefined) rows = rows.slice(((filter.page ?? 1) - 1) * limit, (filter.page ?? 1) * limit);
        return rows.map((r) => ({ UserSetting: userSettingJson(r) }));
      });
    },

    /** `GET user_settings/view/{id}`: `{UserSetting}`; 404 "Invalid user setting." when missing or not the principal's to see. */
    async view(p: Principal, id: string): Promise<MispJson> {
      const settingId = numericId(id, 'Invalid ID passed.');
      return store.read(async (repos) => {
        const row = await repos.getUserSetting(settingId);
        if (row === undefined || !mayAccess(p, await repos.getUser(row.user_id), row.setting)) throw new NotFoundError('Invalid user setting.');
        return { UserSetting: userSettingJson(row) };
      });
    },

    /** `user_settings/getSetting`: the bare setting (no `UserSetting` wrapper, as MISP answers). */
    async get(p: Principal, setting: string, userId: string | undefined): Promise<MispJson> {
      if (USER_SETTINGS[setting] === undefined) throw new NotFoundError('Invalid setting.');
      const owner = userId === undefined ? p.user.id : numericId(userId, 'user_id must be a user id.');
      return store.read(async (repos) => {
        const [row] = await repos.listUserSettings({ userIds: [owner], setting });
        if (row === undefined || !mayAccess(p, await repos.getUser(owner), setting)) throw new NotFoundError('Invalid setting.');
        return userSettingJson(row);
      });
    },

    /** `POST user_settings/setSetting`: creates or replaces the setting, answers `{UserSetting}`. */
    async set(p: Principal, input: UserSettingInput): Promise<MispJson> {
      requireWritable(p, 'change user settings');
      const setting = input.setting;
      if (setting === undefined || setting === '') throw new InputError('This endpoint expects both a setting and a value to be set.', { field: 'setting' });
      const def = USER_SETTINGS[setting];
      if (def === undefined) throw new InputError('Invalid setting.', { field: 'setting' });
      requireSettingAccess(p, setting);
      const value = encodeSettingValue(input.value);
      const problem = def.check?.(decodeSettingValue(value));
      if (problem !== undefined) throw new InputError(problem, { field: 'value' });
      return store.write(async (repos) => {
        let owner = p.user;
        if (input.userId !== undefined && input.userId !== '') {
          const target = await repos.getUser(numericId(input.userId, 'user_id must be a user id.'));
          // MISP lets site admins set anyone's settings and org admins those of their organisation's users.
          if (target === undefined || !(p.role.perm_site_admin || (p.role.perm_admin && target.org_id === p.org.id) || target.id === p.user.id)) {
            throw new NotFoundError('Invalid user.');
          }
          owner = target;
        }
        return { UserSetting: userSettingJson(await repos.putUserSetting(owner.id, setting, value, clock.now())) };
      });
    },

    /** `user_settings/delete[/{id}]`: removes the setting and returns its id. */
    async remove(p: Principal, selector: UserSettingSelector): Promise<number> {
      requireWritable(p, 'change user settings');
      return store.write(async (repos) => {
        let row: UserSettingRecord | undefined;
        if ('id' in selector) {
          row = await repos.getUserSetting(numericId(selector.id, 'Invalid ID passed.'));
        } else {
          if (selector.setting === undefined || selector.setting === '') throw new InputError('No setting name to delete provided.', { field: 'setting' });
          const owner = selector.userId === undefined || selector.userId === '' ? p.user.id : numericId(selector.userId, 'user_id must be a user id.');
          [row] = await repos.listUserSettings({ userIds: [owner], setting: selector.setting });
        }
        if (row === undefined || !mayAccess(p, await repos.getUser(row.user_id), row.setting)) throw new NotFoundError('Invalid user setting.');
        requireSettingAccess(p, row.setting);
        await repos.deleteUserSetting(row.id);
        return row.id;
      });
    },

    /** The caller's `default_restsearch_parameters` (MISP's `getDefaultRestSearchParameters`): {} when unset. */
    async restSearchDefaults(p: Principal): Promise<Record<string, unknown>> {
      const v = await valueOf(p.user.id, 'default_restsearch_parameters');
      return isPlainObject(v) ? v : {};
    },

    /** The caller's `tag_numerical_value_override` (tag name → number): {} when unset. */
    async tagNumericalValueOverride(p: Principal): Promise<Record<string, number>> {
      const v = await valueOf(p.user.id, 'tag_numerical_value_override');
      if (!isPlainObject(v)) return {};
      return Object.fromEntries(Object.entries(v).map(([k, n]) => [k, Number(n)]).filter(([, n]) => Number.isFinite(n)));
    },
  };
}

export type UserSettingService = ReturnType<typeof createUserSettingService>;
