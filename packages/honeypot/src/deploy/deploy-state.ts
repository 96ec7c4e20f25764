import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError, NotFoundError } from '@waggle/errors';
import type { TriggerKind } from './plan-deployment.js';

/** Where a deployed honeypot is in its life. */
export type InstanceStatus = 'pending-approval' | 'approved' | 'running' | 'stopped' | 'failed' | 'rejected';

/** One honeypot the deployer decided on, with the event that caused it. */
export interface DeployedInstance {
  id: string;
  profile: string;
  host: string;
  port: number;
  status: InstanceStatus;
  origin: { event_uuid: string; event_info: string };
  trigger: { kind: TriggerKind; value: string };
  reason: string;
  lifetime_ms: number;
  created_at: string;
  started_at?: string;
  expires_at?: string;
  stopped_at?: string;
  error?: string;
}

/** The deployer's state file: what runs, what waits for approval, what ran. */
export interface DeployState {
  version: 1;
  instances: DeployedInstance[];
}

/** Reads the state file; a missing file is an empty state. */
export function readDeployState(path: string): DeployState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { version: 1, instances: [] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`Deployer state file ${path} is not JSON: ${(e as Error).message}`, { field: 'state' });
  }
  const s = json as Partial<DeployState>;
  if (s.version !== 1 || !Array.isArray(s.instances)) throw new InputError(`Deployer state file ${path} is not a waggle deployer state (version 1)`, { field: 'state' });
  return s as DeployState;
}

/** Writes the state atomically, so the daemon and `waggle honeypot approve` never see half a file. */
export function writeDeployState(path: string, state: DeployState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${String(process.pid)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Marks a pending instance approved (or rejected); the running deployer starts it on its next tick. */
export function decideInstance(path: string, id: string, approve: boolean): DeployedInstance {
  const state = readDeployState(path);
  const inst = state.instances.find((i) => i.id === id || i.id.startsWith(id));
  if (inst === undefined) throw new NotFoundError(`No deployment ${id} in ${path}`, { field: 'id' });
  if (inst.status !== 'pending-approval') throw new InputError(`Deployment ${inst.id} is ${inst.status}, not waiting for approval`, { field: 'id' });
  inst.status = approve ? 'approved' : 'rejected';
  writeDeployState(path, state);
  return inst;
}
