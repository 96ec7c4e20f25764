import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { InputError, Secret } from '@waggle/errors';
import { parseSyncServer } from './sync-server.js';

const valid = {
  id: 3,
  name: 'CIRCL',
  url: 'https://misp.example.org/',
  authkey: 'A'.repeat(40),
  remoteOrgUuid: '22222222-2222-4222-8222-222222222222',
  pull: true,
  push: false,
  pushRules: '{"tags":{"OR":[],"NOT":["tlp:red"]}}',
  timeoutMs: 5000,
};

describe('parseSyncServer', () => {
  it('normalises a valid definition', () => {
    const server = parseSyncServer(valid);
    expect(server.id).toBe('3');
    expect(server.url).toBe('https://misp.example.org');
    expect(server.authkey).toBeInstanceOf(Secret);
    expect(server.authkey.reveal()).toBe('A'.repeat(40));
    expect(server.pull).toBe(true);
    expect(server.pushSightings).toBe(false);
    expect(server.pushRules.tags.NOT).toEqual(['tlp:red']);
    expect(server.pullRules.tags.OR).toEqual([]);
    expect(server.timeoutMs).toBe(5000);
  });

  it('never prints the key', () => {
    const server = parseSyncServer(valid);
    expect(JSON.stringify(server)).not.toContain('A'.repeat(40));
    expect(inspect(server, { depth: 5 })).not.toContain('A'.repeat(40));
  });

  it('reports every problem at once, naming the first field', () => {
    try {
      parseSyncServer({ id: '', name: 1, url: 'ftp://x', authkey: '', remoteOrgUuid: 'nope', push: 'yes', timeoutMs: -1, pullRules: { tags: { AND: [] } } });
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const e = error as InputError;
      expect(e.details.field).toBe('id');
      const fields = (e.details.problems as { field: string }[]).map((p) => p.field);
      expect(fields).toEqual(['id', 'name', 'url', 'authkey', 'remoteOrgUuid', 'push', 'timeoutMs', 'pullRules.tags.AND']);
    }
  });

  it('refuses URLs with credentials or queries and non-objects', () => {
    expect(() => parseSyncServer({ ...valid, url: 'https://u:p@h.test' })).toThrow(/credentials/);
    expect(() => parseSyncServer({ ...valid, url: 'https://h.test/?a=1' })).toThrow(/query/);
    expect(() => parseSyncServer({ ...valid, url: 'not a url' })).toThrow(/url/);
    expect(() => parseSyncServer({ ...valid, authkey: 'a\nb' })).toThrow(/line breaks/);
    expect(() => parseSyncServer('x')).toThrow(InputError);
  });
});
