import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, Secret } from '@waggle/errors';
import { createUmaEventGate, parseUmaConfig, type UmaEventGate } from '@waggle/server';
import { createResourceServerClient } from '@waggle/uma';

/**
 * Builds the server's UMA gate from the file `WAGGLE_UMA_CONFIG` names, or
 * nothing when UMA is off for event reads. Secret files are read here, once,
 * relative to the configuration file.
 */
export function openUmaGate(path: string | undefined): UmaEventGate | undefined {
  if (path === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`WAGGLE_UMA_CONFIG ${path}: ${(e as Error).message}`);
  }
  const config = parseUmaConfig(json, path);
  if (config.routes.events === 'key') return undefined;
  const owners = config.owners.map((o) => {
    const file = resolve(dirname(path), o.clientSecretFile);
    let secret: string;
    try {
      secret = readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new InputError(`WAGGLE_UMA_CONFIG ${path}: owner "${o.org}": cannot read client_secret_file ${file}: ${(e as Error).message}`);
    }
    if (secret === '') throw new InputError(`WAGGLE_UMA_CONFIG ${path}: owner "${o.org}": ${file} is empty`);
    return { org: o.org, rs: createResourceServerClient({ asUri: config.asUri, clientId: o.clientId, clientSecret: new Secret(secret) }) };
  });
  return createUmaEventGate({ mode: config.routes.events, realm: config.realm, owners });
}
