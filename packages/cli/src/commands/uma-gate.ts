import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, Secret } from '@waggle/errors';
import { createUmaEventGate, parseUmaConfig, type UmaConfig, type UmaEventGate } from '@waggle/server';
import { createResourceServerClient } from '@waggle/uma';

/**
 * Builds the server's UMA gate from the file `WAGGLE_UMA_CONFIG` names, or
 * nothing when UMA is off for event reads. Secret files are read here, once,
 * relative to the configuration file.
 */
export function openUmaGate(path: string | undefined): UmaEventGate | undefined {
  if (path === undefined) return undefined;
  const config = readUmaConfig(path);
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

function readUmaConfig(path: string): UmaConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`WAGGLE_UMA_CONFIG ${path}: ${(e as Error).message}`);
  }
  return parseUmaConfig(json, path);
}

/**
 * The producers whose events are read under UMA only (the owners, when event reads are in mode
 * `uma`): pushes, exported feeds and the NATS audience bridge leave their events out (ADR 0013).
 */
export function umaProducersOf(path: string | undefined): readonly string[] {
  if (path === undefined) return [];
  const config = readUmaConfig(path);
  return config.routes.events === 'uma' ? config.owners.map((o) => o.org) : [];
}
