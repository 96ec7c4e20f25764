import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createCatalogue, createMemorySink, DEFAULT_LIMITS, loadProfiles, startProfile } from '@waggle/honeypot';
import type { Alert } from '../rules/alert.js';
import { createDecoyResponder, DEFAULT_DECOY_SETTINGS, redirectRule } from './decoy-responder.js';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function talk(port: number, send: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => {
      got += d.toString();
      if (got.includes('\r\n')) s.end();
    });
    s.on('error', reject);
    s.on('close', () => resolve(got));
    s.write(send);
  });
}

const probe = (port: number): Alert => ({ rule: 'port-probe', severity: 'low', time: new Date(), ip: '203.0.113.77', port, message: 'probe', evidence: [] });

describe('decoy responder', () => {
  it('starts a real honeypot on a probed port, within the caps, and stops it when its lifetime is over', async () => {
    let now = new Date('2026-12-02T10:00:00Z');
    const sink = createMemorySink();
    const responder = createDecoyResponder({
      settings: { ...DEFAULT_DECOY_SETTINGS, enabled: true, host: '127.0.0.1', maxInstances: 1, lifetimeSeconds: 60, fallbackProfile: 'redis' },
      catalogue: createCatalogue(loadProfiles()),
      now: () => now,
      start: (profile, listen) => startProfile(profile, listen, { sink, sensor: 'agent-test', limits: DEFAULT_LIMITS, now: () => now, sessionId: () => randomBytes(6).toString('hex') }),
    });
    const port = await freePort();
    expect(await responder.onAlert(probe(port))).toEqual([{ action: 'started-decoy', detail: `redis on ${String(port)}` }]);
    expect(await talk(port, 'PING\r\n')).toContain('+PONG');
    expect(responder.list()).toMatchObject([{ profile: 'redis', port }]);
    // Cap: a second probe elsewhere starts nothing; a port outside the allowed ranges neither.
    expect((await responder.onAlert(probe(await freePort())))[0]?.action).toBe('skipped');
    now = new Date(now.getTime() + 61_000);
    expect(await responder.expire()).toBe(1);
    expect(responder.list()).toEqual([]);
    await expect(talk(port, 'PING\r\n')).rejects.toThrow();
  });

  it('only reports the redirect in dry-run mode, and builds the nftables rule per address family', async () => {
    const ran: string[][] = [];
    const responder = createDecoyResponder({
      settings: { ...DEFAULT_DECOY_SETTINGS, redirect: 'dry-run' },
      catalogue: createCatalogue([]),
      now: () => new Date(),
      start: () => Promise.reject(new Error('not used')),
      run: async (argv) => {
        ran.push([...argv]);
      },
    });
    const actions = await responder.onAlert({ rule: 'ssh-brute-force', severity: 'medium', time: new Date(), ip: '203.0.113.5', message: 'bf', evidence: [] });
    expect(actions[0]?.detail).toContain('dry run: nft add rule ip nat prerouting ip saddr 203.0.113.5 tcp dport 22 redirect to :2222');
    expect(ran).toEqual([]);
    expect(redirectRule('2001:db8::1', 2200).slice(0, 4)).toEqual(['nft', 'add', 'rule', 'ip6']);
  });
});
