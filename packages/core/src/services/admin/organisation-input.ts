import { optBool, optString, optUuid } from '../../input/coerce.js';
import { unwrap } from '../../input/parse-misp.js';
import { InputError } from '@waggle/errors';

/** An organisation as given by a client (every field optional; `add` requires a name). */
export interface OrganisationInput {
  readonly name?: string;
  readonly uuid?: string;
  readonly description?: string;
  readonly type?: string;
  readonly nationality?: string;
  readonly sector?: string;
  readonly contacts?: string;
  readonly local?: boolean;
  /** Comma-separated e-mail domains. */
  readonly restricted_to_domain?: string;
  readonly landingpage?: string;
}

/** A list or a comma/newline-separated string of domains, stored comma-separated. */
function domains(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const parts = Array.isArray(value) ? value.map((v, i) => optString(v, `${field}[${i}]`, 255) ?? '') : (optString(value, field) ?? '').split(/[\n,]/);
  return parts.map((s) => s.trim()).filter((s) => s !== '').join(',');
}

/** Parses `{"Organisation": {...}}` or a bare organisation; unknown keys are ignored. */
export function parseOrganisationInput(body: unknown): OrganisationInput {
  const o = unwrap(body ?? {}, 'Organisation');
  const out: Record<string, unknown> = {
    name: optString(o.name, 'Organisation.name', 255)?.trim(),
    uuid: optUuid(o.uuid, 'Organisation.uuid'),
    description: optString(o.description, 'Organisation.description'),
    type: optString(o.type, 'Organisation.type', 255),
    nationality: optString(o.nationality, 'Organisation.nationality', 255),
    sector: optString(o.sector, 'Organisation.sector', 255),
    contacts: optString(o.contacts, 'Organisation.contacts'),
    local: optBool(o.local, 'Organisation.local'),
    restricted_to_domain: domains(o.restricted_to_domain, 'Organisation.restricted_to_domain'),
    landingpage: optString(o.landingpage, 'Organisation.landingpage'),
  };
  if (out.name === '') throw new InputError('Organisation.name must not be empty', { field: 'Organisation.name' });
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as OrganisationInput;
}
