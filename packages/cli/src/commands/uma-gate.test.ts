import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openUmaGate } from './uma-gate.js';

describe('WAGGLE_UMA_CONFIG', () => {
  const dirs: string[] = [];
  const write = (config: unknown, secret = 's3cret\n'): string => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-uma-config-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'producer.secret'), secret);
    const path = join(dir, 'uma.json');
    writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config));
    return path;
  };
  const valid = { as_uri: 'http://127.0.0.1:8090/', owners: [{ org: 'Producer', client_id: 'rs-1', client_secret_file: 'producer.secret' }] };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('builds a gate in uma mode by default, and none when the events group stays on keys', () => {
    expect(openUmaGate(undefined)).toBeUndefined();
    expect(openUmaGate(write(valid))?.mode).toBe('uma');
    expect(openUmaGate(write({ ...valid, routes: { events: 'either' } }))?.mode).toBe('either');
    expect(openUmaGate(write({ ...valid, routes: { events: 'key' } }))).toBeUndefined();
  });

  it('names every problem of a bad file', () => {
    expect(() => openUmaGate(write('{not json'))).toThrow(/uma\.json: .*JSON/);
    expect(() => openUmaGate(write({ as_uri: 'not a url', owners: [], extra: 1 }))).toThrow(/as_uri: .*\n.*owners: .*\n.*(top level|extra)/s);
    expect(() => openUmaGate(write({ ...valid, routes: { events: 'sometimes' } }))).toThrow(/routes\.events/);
    expect(() => openUmaGate(write({ ...valid, realm: 'a"b' }))).toThrow(/realm: no quotes/);
    expect(() => openUmaGate(write(valid, '  \n'))).toThrow(/producer\.secret is empty/);
    expect(() => openUmaGate(write({ ...valid, owners: [{ ...valid.owners[0], client_secret_file: 'missing.secret' }] }))).toThrow(/owner "Producer": cannot read client_secret_file/);
    expect(() => openUmaGate('/nonexistent/uma.json')).toThrow(/WAGGLE_UMA_CONFIG \/nonexistent\/uma\.json/);
  });
});
