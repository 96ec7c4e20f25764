import type { Distribution } from '../model/records.js';
import type { CoreConfig } from './core-config.js';
import { DEFAULT_MAINTENANCE_MESSAGE, SETTING_DEFINITIONS, settingDefinition, type SettingDefinition, type SettingValue } from './setting-definitions.js';

/** A value as sent by a client, read for a setting: the typed value, or why it is not one. */
export type CoercedValue = { readonly ok: true; readonly value: SettingValue } | { readonly ok: false; readonly message: string };

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = { '1': true, '0': false, true: true, false: false };

/**
 * Reads a client's value as the setting's type. MISP trims the value and casts it; waggle takes
 * the same loose forms (`"10"` for 10, `1`/`"true"` for true) but refuses what a cast would
 * silently turn into something else (`"abc"` into 0, 10.5 into 10, `"yes"` into true).
 */
export function coerceSettingValue(def: SettingDefinition, raw: unknown): CoercedValue {
  switch (def.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const text = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim().toLowerCase() : undefined;
      const b = text === undefined ? undefined : BOOLEAN_TEXT[text];
      return b === undefined ? { ok: false, message: "Value is not a boolean, make sure that you convert 'true' to true for example." } : { ok: true, value: b };
    }
    case 'numeric': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : undefined;
      if (n === undefined || !Number.isFinite(n)) return { ok: false, message: 'This setting has to be a number.' };
      if (!Number.isSafeInteger(n)) return { ok: false, message: 'This setting has to be a whole number.' };
      return { ok: true, value: n };
    }
    case 'string': {
      if (typeof raw === 'string') return { ok: true, value: raw.trim() };
      if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: String(raw) };
      return { ok: false, message: 'This setting has to be a string.' };
    }
  }
}

/** The stored form of a value (JSON, so that its type survives). */
export function encodeSettingValue(value: SettingValue): string {
  return JSON.stringify(value);
}

/** A stored value read back, or undefined when it is not a usable value of the setting (then the default applies). */
export function decodeSettingValue(def: SettingDefinition, stored: string): SettingValue | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return undefined;
  }
  const typeOk = def.type === 'boolean' ? typeof parsed === 'boolean' : def.type === 'numeric' ? Number.isSafeInteger(parsed) : typeof parsed === 'string';
  if (!typeOk) return undefined;
  const value = parsed as SettingValue;
  return def.invalid?.(value) === undefined ? value : undefined;
}

/** The settings in force: the start-up configuration as changed by the stored settings. */
export interface EffectiveSettings extends CoreConfig {
  /** Every setting waggle knows, by name: the stored value, else the default. */
  readonly values: ReadonlyMap<string, SettingValue>;
  /** Which settings have a stored value. */
  readonly stored: ReadonlySet<string>;
  /** `MISP.live`: false lets only site admins in. */
  readonly live: boolean;
  /** What users who are turned away read (`MISP.maintenance_message`, `$email` replaced as MISP does). */
  readonly maintenanceMessage: string;
  /** `MISP.max_correlations_per_event`: at most this many correlations in one event view (0 means MISP's 5000). */
  readonly maxCorrelationsPerEvent: number;
}

function distribution(value: SettingValue, fallback: Distribution): Distribution {
  if (value === 'event') return 5;
  const n = Number(value);
  return n === 0 || n === 1 || n === 2 || n === 3 ? n : fallback;
}

/** Builds the settings in force from the start-up configuration and the stored rows. */
export function effectiveSettings(config: CoreConfig, rows: readonly { readonly setting: string; readonly value: string }[]): EffectiveSettings {
  const values = new Map<string, SettingValue>(SETTING_DEFINITIONS.map((d) => [d.name, d.default(config)]));
  const stored = new Set<string>();
  for (const row of rows) {
    const def = settingDefinition(row.setting);
    const value = def === undefined ? undefined : decodeSettingValue(def, row.value);
    if (value === undefined) continue;
    values.set(row.setting, value);
    stored.add(row.setting);
  }
  const get = (name: string): SettingValue => values.get(name) as SettingValue;
  const message = String(get('MISP.maintenance_message')).trim() === '' ? DEFAULT_MAINTENANCE_MESSAGE : String(get('MISP.maintenance_message'));
  const email = String(get('MISP.email'));
  return {
    values,
    stored,
    live: get('MISP.live') === true,
    maintenanceMessage: email !== '' ? message.replaceAll('$email', email) : message,
    maxCorrelationsPerEvent: Number(get('MISP.max_correlations_per_event')) || 5000,
    correlationCap: Number(get('MISP.correlation_limit')),
    defaultEventDistribution: distribution(get('MISP.default_event_distribution'), config.defaultEventDistribution),
    defaultAttributeDistribution: distribution(get('MISP.default_attribute_distribution'), config.defaultAttributeDistribution),
    strictObjectTemplates: get('Waggle.strict_object_templates') === true,
  };
}
