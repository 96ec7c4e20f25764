import { InputError, Secret } from '@waggle/errors';
import { isJsonObject } from './misp-json.js';
import { emptySyncRules, parseSyncRules, type SyncRules } from './sync-rules.js';

/**
 * A remote MISP-protocol instance this one synchronises with: the waggle
 * counterpart of a row of MISP's `servers` table.
 */
export interface SyncServer {
  /** Local id; also what `SharingGroupServer.server_id` refers to in local sharing groups. */
  readonly id: string;
  readonly name: string;
  /** Base URL of the remote API, without a trailing slash. */
  readonly url: string;
  /** The remote sync user's API key; never printed. */
  readonly authkey: Secret;
  /** UUID of the organisation that runs the remote instance (MISP's `RemoteOrg.uuid`). */
  readonly remoteOrgUuid?: string;
  readonly pull: boolean;
  readonly push: boolean;
  readonly pushSightings: boolean;
  readonly pushGalaxyClusters: boolean;
  readonly pullGalaxyClusters: boolean;
  readonly pushRules: SyncRules;
  readonly pullRules: SyncRules;
  /** Accept a self-signed TLS certificate (the integrator wires this into its fetch/agent). */
  readonly selfSigned: boolean;
  /** Per-request timeout; the remote client's default applies when absent. */
  readonly timeoutMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FLAGS = ['pull', 'push', 'pushSightings', 'pushGalaxyClusters', 'pullGalaxyClusters', 'selfSigned'] as const;

interface Problem {
  readonly field: string;
  readonly message: string;
}

/**
 * Validates a server definition (from configuration or an admin API) and
 * returns a {@link SyncServer}. Every problem is reported at once in one
 * {@link InputError}; `details.field` names the first, `details.problems` all.
 * Flags default to false, rules to "no rules".
 */
export function parseSyncServer(input: unknown): SyncServer {
  if (!isJsonObject(input)) throw new InputError('server: must be an object', { field: 'server' });
  const problems: Problem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field, message });
  };

  const id = typeof input.id === 'number' && Number.isInteger(input.id) ? String(input.id) : input.id;
  if (typeof id !== 'string' || id.trim() === '') problem('id', 'must be a non-empty string or an integer');
  if (typeof input.name !== 'string' || input.name.trim() === '') problem('name', 'must be a non-empty string');

  let url = '';
  if (typeof input.url !== 'string') problem('url', 'must be an http(s) URL');
  else {
    try {
      const parsed = new URL(input.url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problem('url', 'must use http or https');
      else if (parsed.username !== '' || parsed.password !== '') problem('url', 'must not carry credentials; use authkey');
      else if (parsed.search !== '' || parsed.hash !== '') problem('url', 'must not have a query or fragment');
      // MISP's Server::beforeSave trims the trailing slash too; paths are appended to it.
      else url = input.url.replace(/\/+$/, '');
    } catch {
      problem('url', 'must be an http(s) URL');
    }
  }

  let authkey: Secret | undefined;
  if (input.authkey instanceof Secret) authkey = input.authkey;
  else if (typeof input.authkey === 'string' && input.authkey.trim() !== '') authkey = new Secret(input.authkey.trim());
  if (authkey === undefined || authkey.reveal().trim() === '') problem('authkey', 'must be a non-empty string');
  else if (/[\r\n]/.test(authkey.reveal())) problem('authkey', 'must not contain line breaks');

  if (input.remoteOrgUuid !== undefined && (typeof input.remoteOrgUuid !== 'string' || !UUID.test(input.remoteOrgUuid))) {
    problem('remoteOrgUuid', 'must be a UUID');
  }
  for (const flag of FLAGS) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean') problem(flag, 'must be a boolean');
  }
  if (input.timeoutMs !== undefined && (typeof input.timeoutMs !== 'number' || !Number.isInteger(input.timeoutMs) || input.timeoutMs <= 0)) {
    problem('timeoutMs', 'must be a positive integer (milliseconds)');
  }

  const rules = (key: 'pushRules' | 'pullRules'): SyncRules => {
    try {
      return parseSyncRules(input[key], key);
    } catch (error) {
      if (error instanceof InputError) problem(error.details.field ?? key, error.message.replace(/^[^:]*: /, ''));
      else throw error;
      return emptySyncRules();
    }
  };
  const pushRules = rules('pushRules');
  const pullRules = rules('pullRules');

  const first = problems[0];
  if (first !== undefined) {
    const message = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new InputError(`Invalid sync server: ${message}`, { field: first.field, problems });
  }
  const flag = (k: (typeof FLAGS)[number]): boolean => input[k] === true;
  return {
    id: (id as string).trim(),
    name: (input.name as string).trim(),
    url,
    authkey: authkey as Secret,
    ...(typeof input.remoteOrgUuid === 'string' ? { remoteOrgUuid: input.remoteOrgUuid.toLowerCase() } : {}),
    pull: flag('pull'),
    push: flag('push'),
    pushSightings: flag('pushSightings'),
    pushGalaxyClusters: flag('pushGalaxyClusters'),
    pullGalaxyClusters: flag('pullGalaxyClusters'),
    pushRules,
    pullRules,
    selfSigned: flag('selfSigned'),
    ...(typeof input.timeoutMs === 'number' ? { timeoutMs: input.timeoutMs } : {}),
  };
}
