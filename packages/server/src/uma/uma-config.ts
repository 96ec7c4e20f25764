import { z } from 'zod';
import { InputError } from '@waggle/errors';
import type { UmaRouteMode } from './uma-gate.js';

/** The UMA section of a deployment (file named by `WAGGLE_UMA_CONFIG`), validated. */
export interface UmaConfig {
  /** Base URL of the UMA authorisation server (discovery at `/.well-known/uma2-configuration`). */
  readonly asUri: string;
  readonly realm: string;
  /** Per route group; today the group is `events` (single-event reads). */
  readonly routes: { readonly events: UmaRouteMode };
  /** Producer organisations (UUID or name) and their resource-server client at the AS. */
  readonly owners: readonly { readonly org: string; readonly clientId: string; readonly clientSecretFile: string }[];
}

const schema = z.object({
  as_uri: z.string().url(),
  realm: z.string().regex(/^[^"\\]+$/, 'no quotes or backslashes').default('waggle'),
  routes: z.object({ events: z.enum(['key', 'uma', 'either']).default('uma') }).strict().default({ events: 'uma' }),
  owners: z.array(z.object({ org: z.string().min(1), client_id: z.string().min(1), client_secret_file: z.string().min(1) }).strict()).min(1),
}).strict();

/** Validates the parsed JSON of a UMA configuration file; every problem is named with its path. */
export function parseUmaConfig(json: unknown, source: string): UmaConfig {
  const r = schema.safeParse(json);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new InputError(`${source}: invalid UMA configuration:\n  - ${problems.join('\n  - ')}`);
  }
  const c = r.data;
  return {
    asUri: c.as_uri.replace(/\/+$/, ''),
    realm: c.realm,
    routes: { events: c.routes.events },
    owners: c.owners.map((o) => ({ org: o.org, clientId: o.client_id, clientSecretFile: o.client_secret_file })),
  };
}
