import { ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { SETTING_DEFINITIONS, settingDefinition, type SettingDefinition, type SettingValue } from '../settings/setting-definitions.js';
import { coerceSettingValue, effectiveSettings, encodeSettingValue } from '../settings/setting-values.js';
import type { MispJson } from '../views/misp-json.js';
import { audit } from './audit.js';
import type { CoreDeps } from './deps.js';

/** MISP's ACL refusal: the settings are for site admins only. */
const NO_PERMISSION = 'You do not have permission to use this functionality.';

/** What a client sends to change a setting (`servers/serverSettingsEdit`). */
export interface SettingEdit {
  /** The new value, as sent: it is read as the setting's type. */
  readonly value: unknown;
  /** Save a value that MISP's check warns about (the value must still be valid). */
  readonly force: boolean;
}

function requireSettingsAccess(p: Principal): void {
  if (!p.role.perm_site_admin) throw new ForbiddenError(NO_PERMISSION);
}

function definitionOf(name: string): SettingDefinition {
  const def = settingDefinition(name);
  if (def === undefined) throw new NotFoundError(`Setting ${name} is invalid.`, { field: 'setting' });
  return def;
}

/** MISP's tab of a setting: its first name part, Security for `Secur…` and top-level names. */
function tabOf(name: string): string {
  const dot = name.indexOf('.');
  if (dot === -1) return 'Security';
  const branch = name.slice(0, dot);
  return branch.startsWith('Secur') ? 'Security' : branch;
}

/** What MISP's check says about the value in force, if anything. */
function problemWith(def: SettingDefinition, value: SettingValue): string | undefined {
  return def.invalid?.(value) ?? def.warning?.(value);
}

/** The fields MISP shows of a setting definition, with the value in force (its REST dump leaves descriptions out). */
function describe(def: SettingDefinition, value: SettingValue, withDescription = true): MispJson {
  return {
    level: def.level,
    ...(withDescription ? { description: def.description } : {}),
    value,
    test: def.test,
    type: def.type,
    ...(def.null === true ? { null: true } : {}),
    ...(def.options !== undefined ? { options: def.options } : {}),
    ...(def.errorMessage !== undefined ? { errorMessage: def.errorMessage } : {}),
  };
}

/**
 * MISP's server settings for the ones waggle understands (site admins only, as in MISP): list
 * them with the values in force, read one, change one. Values are stored, typed and checked;
 * a change takes effect on the next request of every user.
 */
export function createServerSettingService(deps: CoreDeps) {
  const { store, clock, settings } = deps;
  return {
    /** `servers/serverSettings`: `finalSettings` as MISP's REST dump has it (sorted by level, no descriptions). */
    async list(p: Principal): Promise<MispJson> {
      requireSettingsAccess(p);
      const current = await settings.current();
      const finalSettings: MispJson[] = [];
      for (const level of [0, 1, 2, 3]) {
        for (const def of SETTING_DEFINITIONS.filter((d) => d.level === level)) {
          const value = current.values.get(def.name) as SettingValue;
          const problem = problemWith(def, value);
          finalSettings.push({ ...describe(def, value, false), ...(problem !== undefined ? { error: 1, errorMessage: problem } : {}), tab: tabOf(def.name), setting: def.name });
        }
      }
      return { finalSettings };
    },

    /** `servers/getSetting/<name>`: the setting's definition with its value in force and its name. */
    async get(p: Principal, name: string): Promise<MispJson> {
      requireSettingsAccess(p);
      const def = definitionOf(name);
      const current = await settings.current();
      return { ...describe(def, current.values.get(def.name) as SettingValue), name: def.name };
    },

    /** `GET servers/serverSettingsEdit/<name>`: `{ <name>: <value in force> }`. */
    async value(p: Principal, name: string): Promise<MispJson> {
      requireSettingsAccess(p);
      const def = definitionOf(name);
      return { [def.name]: (await settings.current()).values.get(def.name) as SettingValue };
    },

    /** `POST servers/serverSettingsEdit/<name>`: checks and stores the value (audited); nothing is stored on any refusal. */
    async edit(p: Principal, name: string, edit: SettingEdit): Promise<SettingValue> {
      requireSettingsAccess(p);
      if (p.readOnly) throw new ForbiddenError('This auth key is read-only; it cannot change server settings.');
      const def = definitionOf(name);
      const raw = edit.value;
      if (raw === undefined || raw === null || typeof raw === 'object') throw new InputError('Invalid input. Expected: {"value": "new_setting"}', { field: 'value' });
      if (typeof raw === 'string' && raw.trim() === '*****') throw new InputError('No change.', { field: 'value' });
      const coerced = coerceSettingValue(def, raw);
      if (!coerced.ok) throw new InputError(`${def.name}: ${coerced.message}`, { field: def.name });
      const value = coerced.value;
      const invalid = def.invalid?.(value);
      if (invalid !== undefined) throw new InputError(`${def.name}: ${invalid}`, { field: def.name });
      const warning = def.warning?.(value);
      if (warning !== undefined && !edit.force) throw new InputError(`${def.name}: ${warning} Send "force": true to save it anyway.`, { field: def.name });
      await store.write(async (repos) => {
        const before = effectiveSettings(deps.config, await repos.listSystemSettings()).values.get(def.name);
        await repos.putSystemSetting(def.name, encodeSettingValue(value));
        await audit(repos, p, clock.now(), { action: 'serverSettingsEdit', model: 'Server', modelId: 0, title: 'Server setting changed', change: { [def.name]: [before, value] } });
      });
      settings.invalidate();
      return value;
    },
  };
}

/** The server setting service's type. */
export type ServerSettingService = ReturnType<typeof createServerSettingService>;
