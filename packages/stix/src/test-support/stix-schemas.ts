import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { domainToASCII, fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { StixObject } from '../common/stix-types.js';

/** The shared data folder: `WAGGLE_SHARED_DATA`, else `shared/data` beside the repository, else `/work/shared/data` (a clone elsewhere, as in CI). */
export const SHARED_DATA = process.env.WAGGLE_SHARED_DATA ?? (existsSync(fileURLToPath(new URL('../../../../../shared/data/', import.meta.url))) ? fileURLToPath(new URL('../../../../../shared/data/', import.meta.url)) : '/work/shared/data/');
const SCHEMAS = join(SHARED_DATA, 'stix2-json-schemas', 'schemas');
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas';

// ajv-formats is CommonJS; its default export is the plugin function.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The verdict on one object. */
export interface SchemaVerdict {
  readonly id: string;
  readonly schema: string;
  readonly errors: readonly string[];
}

/** Validates STIX objects against the OASIS STIX 2.1 JSON schemas, choosing the schema by `type`. */
export interface StixSchemas {
  /** Validates one object: SDO/SRO/SCO by its own schema, custom objects by the common core schema. */
  validateObject(object: StixObject): SchemaVerdict;
  /** The verdicts of every invalid object of a bundle, plus the bundle envelope's if it is invalid. */
  invalidObjects(bundle: { readonly type?: string; readonly id?: string; readonly objects: readonly StixObject[] }): SchemaVerdict[];
}

let cached: StixSchemas | undefined;

function schemaNameFor(type: string): string {
  if (type === 'marking-definition') return 'common/marking-definition.json';
  const folder = ['sdos', 'sros', 'observables'].find((f) => existsSync(join(SCHEMAS, f, `${type}.json`)));
  return folder === undefined ? 'common/core.json' : `${folder}/${type}.json`;
}

/** Loads every schema once into Ajv 2020 (draft 2020-12) with ajv-formats. */
export function loadStixSchemas(): StixSchemas {
  if (cached) return cached;
  // The OASIS patterns use escapes (`\-`) that unicode-mode regular expressions reject.
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  // domain-name values use `idn-hostname`, which ajv-formats lacks: checked as a host name in punycode.
  const hostname = /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i;
  ajv.addFormat('idn-hostname', (value: string) => {
    const ascii = domainToASCII(value);
    return ascii !== '' && hostname.test(ascii);
  });
  for (const folder of ['common', 'sdos', 'sros', 'observables']) {
    for (const file of readdirSync(join(SCHEMAS, folder)).filter((f) => f.endsWith('.json'))) {
      ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, folder, file), 'utf8')) as object);
    }
  }
  const validators = new Map<string, ValidateFunction>();
  const validator = (name: string): ValidateFunction => {
    let validate = validators.get(name);
    if (validate === undefined) {
      validate = ajv.getSchema(`${BASE}/${name}`);
      if (validate === undefined) throw new Error(`schema ${name} is not loaded`);
      validators.set(name, validate);
    }
    return validate;
  };
  const errorsOf = (validate: ValidateFunction): string[] => (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  const validateObject = (object: StixObject): SchemaVerdict => {
    const schema = schemaNameFor(object.type);
    const validate = validator(schema);
    return { id: object.id, schema, errors: validate(object) ? [] : errorsOf(validate) };
  };
  cached = {
    validateObject,
    invalidObjects(bundle) {
      const bad = bundle.objects.map(validateObject).filter((v) => v.errors.length > 0);
      // The envelope is checked by hand: the OASIS bundle schema's custom-object branch is a oneOf of
      // core and cyber-observable-core, which every custom SDO satisfies twice, so it rejects them all.
      const envelope: string[] = [];
      if (bundle.type !== 'bundle') envelope.push('type must be "bundle"');
      if (typeof bundle.id !== 'string' || !/^bundle--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(bundle.id)) envelope.push('id must be bundle--<uuid>');
      if (bundle.objects.length === 0) envelope.push('objects must not be empty');
      if (envelope.length > 0) bad.push({ id: String(bundle.id), schema: 'common/bundle.json', errors: envelope });
      return bad;
    },
  };
  return cached;
}
