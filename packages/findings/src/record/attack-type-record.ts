import { InputError } from '@waggle/errors';
import type { AttackEntry, AttackTypeRecord, DetectorEntry } from '../finding.js';

/** The attack_type a detector uses to say "this is not an attack". */
export const BENIGN = 'benign';

const MAX_NAME = 128;
const MAX_ATTACKS = 64;
const DETECTOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/;

type Json = Record<string, unknown>;

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(o: Json, allowed: readonly string[], field: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new InputError(`${field}: unknown key "${k}" (allowed: ${allowed.join(', ')})`, { field: `${field}.${k}` });
  }
}

function nonEmptyString(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new InputError(`${field} must be a non-empty string`, { field });
  if (v.length > MAX_NAME * 8) throw new InputError(`${field} is longer than ${String(MAX_NAME * 8)} characters`, { field });
  return v;
}

/** Checks a detector name: 1–128 characters, letters, digits and `._:/@-`, starting with a letter or digit. */
export function validateDetectorName(name: unknown, field = 'detector'): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME || !DETECTOR_NAME.test(name)) {
    throw new InputError(`${field}: detector name must be 1-${String(MAX_NAME)} characters of letters, digits and ._:/@- (got ${JSON.stringify(name)})`, { field });
  }
  return name;
}

function validateAttack(raw: unknown, field: string): AttackEntry {
  if (!isPlainObject(raw)) throw new InputError(`${field} must be an object {attack_type, confidence}`, { field });
  checkKeys(raw, ['attack_type', 'confidence'], field);
  const attackType = nonEmptyString(raw.attack_type, `${field}.attack_type`);
  if (attackType.length > MAX_NAME) throw new InputError(`${field}.attack_type is longer than ${String(MAX_NAME)} characters`, { field: `${field}.attack_type` });
  const c = raw.confidence;
  if (typeof c !== 'number' || !Number.isFinite(c) || c < 0 || c > 1) {
    throw new InputError(`${field}.confidence must be a number in [0, 1] (got ${JSON.stringify(c)})`, { field: `${field}.confidence` });
  }
  return { attack_type: attackType, confidence: c };
}

/**
 * Validates one detector entry: `{version, reference?, attacks}` with 1–64
 * attacks, each attack_type at most once. Unknown keys are rejected so a typo
 * (`confidance`) never passes silently.
 */
export function validateDetectorEntry(raw: unknown, field = 'entry'): DetectorEntry {
  if (!isPlainObject(raw)) throw new InputError(`${field} must be an object {version, reference?, attacks}`, { field });
  checkKeys(raw, ['version', 'reference', 'attacks'], field);
  const version = nonEmptyString(raw.version, `${field}.version`);
  const reference = raw.reference === undefined ? undefined : nonEmptyString(raw.reference, `${field}.reference`);
  if (!Array.isArray(raw.attacks) || raw.attacks.length === 0) throw new InputError(`${field}.attacks must be a non-empty array`, { field: `${field}.attacks` });
  if (raw.attacks.length > MAX_ATTACKS) throw new InputError(`${field}.attacks has more than ${String(MAX_ATTACKS)} entries`, { field: `${field}.attacks` });
  const attacks = raw.attacks.map((a, i) => validateAttack(a, `${field}.attacks[${String(i)}]`));
  const seen = new Set<string>();
  for (const a of attacks) {
    if (seen.has(a.attack_type)) throw new InputError(`${field}.attacks lists "${a.attack_type}" twice`, { field: `${field}.attacks` });
    seen.add(a.attack_type);
  }
  return reference === undefined ? { version, attacks } : { version, reference, attacks };
}

/** Validates an already-parsed record (an object of detector name → entry). */
export function validateAttackTypeRecord(raw: unknown, field = 'attack-type'): AttackTypeRecord {
  if (!isPlainObject(raw)) throw new InputError(`${field} must be a JSON object of detector name → {version, reference?, attacks}`, { field });
  const out: Record<string, DetectorEntry> = {};
  for (const [name, entry] of Object.entries(raw)) {
    validateDetectorName(name, `${field}.${name}`);
    out[name] = validateDetectorEntry(entry, `${field}.${name}`);
  }
  return out;
}

/** Parses the JSON text of an `attack-type` attribute; throws `InputError` on bad JSON or shape. */
export function parseAttackTypeRecord(text: string): AttackTypeRecord {
  if (typeof text !== 'string') throw new InputError('attack-type must be JSON text', { field: 'attack-type' });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`attack-type is not valid JSON: ${(error as Error).message}`, { field: 'attack-type' });
  }
  return validateAttackTypeRecord(json);
}

/**
 * Serializes a record with a stable layout: detectors sorted by name, each
 * entry's keys in the order version, reference, attacks, and attacks in the
 * order given. Equal records therefore give byte-equal text, so an edit that
 * changes nothing is recognisable. Validates first.
 */
export function serializeAttackTypeRecord(record: AttackTypeRecord): string {
  const valid = validateAttackTypeRecord(record);
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(valid).sort()) {
    const e = valid[name] as DetectorEntry;
    out[name] = {
      version: e.version,
      ...(e.reference === undefined ? {} : { reference: e.reference }),
      attacks: e.attacks.map((a) => ({ attack_type: a.attack_type, confidence: a.confidence })),
    };
  }
  return JSON.stringify(out);
}

/** Returns a new record with `detector`'s entry added or replaced; other detectors' entries are untouched. */
export function mergeDetectorEntry(record: AttackTypeRecord, detector: string, entry: DetectorEntry): AttackTypeRecord {
  validateDetectorName(detector);
  const valid = validateDetectorEntry(entry, `attack-type.${detector}`);
  return { ...validateAttackTypeRecord(record), [detector]: valid };
}
