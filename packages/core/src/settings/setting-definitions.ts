import type { CoreConfig } from './core-config.js';

/** How a setting's value is typed (MISP's `type`). */
export type SettingType = 'boolean' | 'numeric' | 'string';

/** A setting's value. */
export type SettingValue = boolean | number | string;

/** MISP's levels: 0 critical, 1 recommended, 2 optional, 3 deprecated. */
export type SettingLevel = 0 | 1 | 2 | 3;

/** One server setting waggle understands, described as MISP describes its settings. */
export interface SettingDefinition {
  /** MISP's dotted name (`MISP.live`), or a top-level name (`debug`). */
  readonly name: string;
  readonly level: SettingLevel;
  readonly description: string;
  readonly type: SettingType;
  /** The name of MISP's check for the value, shown as MISP shows it; waggle runs the same check. */
  readonly test: string;
  /** MISP's `null`: the setting may be left unset. */
  readonly null?: boolean;
  /** The values allowed, with their labels (MISP's `options`). */
  readonly options?: Readonly<Record<string, string>>;
  /** MISP's fixed text shown when the check fails. */
  readonly errorMessage?: string;
  /** The value in force while none is stored (some come from the start-up configuration). */
  readonly default: (config: CoreConfig) => SettingValue;
  /** Why a value of the right type cannot be used at all; `force` does not override it. */
  readonly invalid?: (value: SettingValue) => string | undefined;
  /** MISP's check of a usable value: a warning that refuses the value unless the edit is forced. */
  readonly warning?: (value: SettingValue) => string | undefined;
}

/** MISP's default maintenance message (`$email` becomes `MISP.email`). */
export const DEFAULT_MAINTENANCE_MESSAGE = 'Great things are happening! MISP is undergoing maintenance, but will return shortly. You can contact the administration at $email.';

const DISTRIBUTIONS: Readonly<Record<string, string>> = {
  '0': 'Your organisation only',
  '1': 'This community only',
  '2': 'Connected communities',
  '3': 'All communities',
};

const notSet = (v: SettingValue): string | undefined => (String(v).trim() === '' ? 'Value not set.' : undefined);

/** MISP's message for a value that is not one of the options. */
function notAnOption(options: Readonly<Record<string, string>>): (v: SettingValue) => string | undefined {
  return (v) => (Object.hasOwn(options, String(v)) ? undefined : `Invalid setting \`${String(v)}\`, valid values are: ${Object.keys(options).join(', ')}`);
}

function atLeast(min: number): (v: SettingValue) => string | undefined {
  return (v) => (typeof v === 'number' && v >= min ? undefined : `The value has to be a whole number greater or equal ${String(min)}.`);
}

const DEBUG_LEVELS: Readonly<Record<string, string>> = { '0': 'Debug off', '1': 'Debug on', '2': 'Debug + SQL dump' };

/**
 * The settings waggle understands: MISP's names, levels, types, checks and descriptions, with
 * what each does here. The ones that change behaviour take effect on the next request.
 */
export const SETTING_DEFINITIONS: readonly SettingDefinition[] = [
  {
    name: 'MISP.live',
    level: 0,
    description: 'Unless set to true, the instance will only be accessible by site admins.',
    type: 'boolean',
    test: 'testLive',
    default: () => true,
    warning: (v) => (v === false ? 'MISP disabled.' : undefined),
  },
  {
    name: 'MISP.maintenance_message',
    level: 2,
    description: 'The message that users will see if the instance is not live.',
    type: 'string',
    test: 'testForEmpty',
    errorMessage: 'If this is not set the default value will be used.',
    default: () => DEFAULT_MAINTENANCE_MESSAGE,
    warning: notSet,
  },
  {
    name: 'MISP.email',
    level: 0,
    description: 'The e-mail address that MISP should use for all notifications. waggle sends no e-mail: the address only replaces $email in the maintenance message.',
    type: 'string',
    test: 'testForEmpty',
    default: () => '',
    warning: notSet,
  },
  {
    name: 'MISP.correlation_limit',
    level: 0,
    description:
      'Set a value for the maximum number of correlations a value should have before MISP will refuse to correlate it (extremely over-correlating values are rarely useful from a correlation perspective). Here: a value held by more attributes than this does not correlate; the default is the one the server was started with.',
    type: 'numeric',
    test: 'testForNumeric',
    null: true,
    default: (c) => c.correlationCap,
    invalid: atLeast(1),
  },
  {
    name: 'MISP.max_correlations_per_event',
    level: 1,
    description: 'Sets the maximum number of correlations that can be fetched with a single event. For extreme edge cases this can prevent memory issues. The default value is 5k.',
    type: 'numeric',
    test: 'testForNumeric',
    null: true,
    default: () => 5000,
    invalid: atLeast(0),
  },
  {
    name: 'MISP.default_event_distribution',
    level: 0,
    description: 'The default distribution setting for events (0-3).',
    type: 'string',
    test: 'testForEmpty',
    options: DISTRIBUTIONS,
    default: (c) => String(c.defaultEventDistribution),
    invalid: notAnOption(DISTRIBUTIONS),
  },
  {
    name: 'MISP.default_attribute_distribution',
    level: 0,
    description: 'The default distribution setting for attributes, set it to \'event\' if you would like the attributes to default to the event distribution level. (0-3 or "event")',
    type: 'string',
    test: 'testForEmpty',
    options: { ...DISTRIBUTIONS, event: 'Inherit from event' },
    default: (c) => (c.defaultAttributeDistribution === 5 ? 'event' : String(c.defaultAttributeDistribution)),
    invalid: notAnOption({ ...DISTRIBUTIONS, event: 'Inherit from event' }),
  },
  {
    name: 'MISP.background_jobs',
    level: 1,
    description:
      "Enables the use of MISP's background processing. waggle has no background workers (publishing, alerts and pushes happen within the request that asks for them): the value is kept for MISP clients and changes nothing.",
    type: 'boolean',
    test: 'testBool',
    null: true,
    default: () => false,
  },
  {
    name: 'Security.allow_self_registration',
    level: 1,
    description:
      'Enabling this setting will allow users to have access to the pre-auth registration form. This will create an inbox entry for administrators to review. waggle has no registration form: the value is kept for MISP clients and changes nothing.',
    type: 'boolean',
    test: 'testBool',
    null: true,
    default: () => false,
  },
  {
    name: 'MISP.delegation',
    level: 1,
    description:
      'This feature allows users to create org only events and ask another organisation to take ownership of the event. This allows organisations to remain anonymous by asking a partner to publish an event for them. Here: while it is off, event_delegations/delegateEvent and acceptDelegation are refused; pending requests can still be listed and deleted.',
    type: 'boolean',
    test: 'testBool',
    null: true,
    default: () => false,
  },
  {
    name: 'debug',
    level: 0,
    description: 'The debug level of the instance, always use 0 for production instances. waggle has no debug mode (logging is set when the server starts): the value is kept for MISP clients and changes nothing.',
    type: 'numeric',
    test: 'testDebug',
    options: DEBUG_LEVELS,
    default: () => 0,
    invalid: (v) => (Object.hasOwn(DEBUG_LEVELS, String(v)) ? undefined : 'This setting has to be a number between 0 and 2, with 0 disabling debug mode.'),
    warning: (v) => (v === 0 ? undefined : 'This setting has to be set to 0 on production systems. Ignore this warning if this is not the case.'),
  },
  {
    name: 'Waggle.strict_object_templates',
    level: 1,
    description: 'Refuse objects that break the rules of their object template (required and allowed relations, values); objects of templates this instance does not know are always accepted.',
    type: 'boolean',
    test: 'testBool',
    default: (c) => c.strictObjectTemplates,
  },
];

const BY_NAME = new Map(SETTING_DEFINITIONS.map((d) => [d.name, d]));

/** The definition of a setting, or undefined for a name waggle does not know. */
export function settingDefinition(name: string): SettingDefinition | undefined {
  return BY_NAME.get(name);
}
