import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@waggle/errors';
import { request } from 'node:http';
import { createFanoutSink } from '../log/fanout-sink.js';
import { createMemorySink } from '../log/memory-sink.js';
import { createReporter } from '../report/reporter.js';
import { createCatalogue } from '../profiles/catalogue.js';
import { loadProfiles } from '../profiles/load-profiles.js';
import { httpFactory } from '../profiles/default-factories.js';
import { createMispClient } from '@waggle/client';
import { DEFAULT_LIMITS } from '../service.js';
import { startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import { decideInstance, readDeployState } from './deploy-state.js';
import { createDeployer, type Deployer } from './deployer.js';
import { DEFAULT_CAPS } from './plan-deployment.js';

const accepts = (port: number): Promise<boolean> => new Promise((resolve) => {
  const s = connect({ host: '127.0.0.1', port }, () => {
    s.destroy();
    resolve(true);
  });
  s.on('error', () => resolve(false));
});

async function until<T>(f: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('deployer against a running waggle server', () => {
  let srv: ListeningServer;
  let dir: string;
  const catalogue = createCatalogue(loadProfiles());
  let clock = Date.parse('2026-12-02T12:00:00Z');
  const sink = createMemorySink();
  const make = (approval: boolean, statePath: string): Deployer => createDeployer({
    client: createMispClient({ url: srv.url, key: new Secret(srv.server.adminKey) }),
    url: srv.url,
    key: new Secret(srv.server.adminKey),
    catalogue,
    // Ports 0 let the OS choose, so parallel test runs never collide.
    caps: { ...DEFAULT_CAPS, lifetimeMs: 60_000, allowedPorts: [] },
    approval,
    statePath,
    host: '127.0.0.1',
    now: () => new Date(clock),
    startService: (profile, listen) => httpFactory(profile, { ...listen, port: 0 }, { sink, sensor: 'deployer-test', limits: DEFAULT_LIMITS, now: () => new Date(clock), sessionId: () => 'abcdefabcdef' }),
    tickMs: 25,
    pollIntervalMs: 200,
  });
  beforeAll(async () => {
    srv = await startListeningServer();
    dir = mkdtempSync(join(tmpdir(), 'hp-deploy-'));
  });
  afterAll(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the matching honeypot when a CVE event is published on the stream, and stops it at expiry', async () => {
    const statePath = join(dir, 'state.json');
    const deployer = make(false, statePath);
    await deployer.start();
    try {
      await until(() => (deployer.mode() === 'stream' ? true : undefined));
      const add = await srv.server.call('POST', '/events/add', { info: 'Partner: Log4Shell against our Solr', Tag: [{ name: 'cve:CVE-2021-44228' }], Attribute: [{ type: 'ip-src', value: '198.51.100.23' }] });
      expect(add.status).toBe(200);
      const inst = await until(() => deployer.list().find((i) => i.status === 'running'));
      expect(inst.profile).toBe('log4shell');
      expect(inst.origin.event_info).toBe('Partner: Log4Shell against our Solr');
      expect(inst.reason).toContain('CVE-2021-44228');
      const port = deployer.running(inst.id)?.port as number;
      expect(await accepts(port)).toBe(true);
      expect(readDeployState(statePath).instances[0]).toMatchObject({ id: inst.id, status: 'running', expires_at: '2026-12-02T12:01:00.000Z' });

      clock += 59_000;
      await deployer.tick();
      expect(await accepts(port)).toBe(true);
      clock += 2_000;
      await until(() => deployer.list().find((i) => i.id === inst.id && i.status === 'stopped'));
      expect(await accepts(port)).toBe(false);
      expect(readDeployState(statePath).instances[0]?.status).toBe('stopped');
    } finally {
      await deployer.stop();
    }
  });

  it('in approval mode waits for `approve` before starting', async () => {
    const statePath = join(dir, 'approval.json');
    const deployer = make(true, statePath);
    await deployer.start();
    try {
      await until(() => (deployer.mode() === 'stream' ? true : undefined));
      await srv.server.call('POST', '/events/add', { info: 'F5 mass exploitation', Attribute: [{ type: 'vulnerability', value: 'CVE-2022-1388' }] });
      const pending = await until(() => deployer.list().find((i) => i.profile === 'f5-bigip'));
      expect(pending.status).toBe('pending-approval');
      await deployer.tick();
      expect(deployer.running(pending.id)).toBeUndefined();
      expect(() => decideInstance(statePath, 'nope', true)).toThrow(/No deployment nope/);
      decideInstance(statePath, pending.id, true);
      expect(() => decideInstance(statePath, pending.id, true)).toThrow(/is approved, not waiting/);
      const running = await until(() => deployer.list().find((i) => i.id === pending.id && i.status === 'running'));
      expect(await accepts(deployer.running(running.id)?.port as number)).toBe(true);
    } finally {
      await deployer.stop();
    }
  });

  it('reports the sessions of its honeypots back to waggle', async () => {
    const key = new Secret(srv.server.adminKey);
    const client = createMispClient({ url: srv.url, key });
    const reporter = createReporter({ client, spoolDir: join(dir, 'spool'), now: () => new Date(clock) });
    const seen = createMemorySink();
    const sink = createFanoutSink(seen, reporter.sink());
    let n = 0;
    const deployer = createDeployer({
      client, url: srv.url, key, catalogue, caps: { ...DEFAULT_CAPS, lifetimeMs: 60_000 }, approval: false, statePath: join(dir, 'report.json'), host: '127.0.0.1', now: () => new Date(clock),
      startService: (profile, listen) => httpFactory(profile, { ...listen, port: 0 }, { sink, sensor: 'deployer-report', limits: DEFAULT_LIMITS, now: () => new Date(clock), sessionId: () => (n++).toString(16).padStart(12, '0') }),
      reporter, ownSensors: ['deployer-report'], tickMs: 25,
    });
    await deployer.start();
    try {
      await until(() => (deployer.mode() === 'stream' ? true : undefined));
      await srv.server.call('POST', '/events/add', { info: 'Spring4Shell wave', Tag: [{ name: 'cve:CVE-2022-22965' }] });
      const inst = await until(() => deployer.list().find((i) => i.profile === 'spring4shell' && i.status === 'running'));
      const port = deployer.running(inst.id)?.port as number;
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/greeting', headers: { 'content-type': 'application/x-www-form-urlencoded', connection: 'close' } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end('class.module.classLoader.resources.context.parent.pipeline.first.pattern=x');
      });
      await seen.waitFor((e) => e.eventid === 'cowrie.session.closed');
      const found = await (async () => {
        for (let i = 0; i < 200; i++) {
          const r = ((await srv.server.call('POST', '/events/restSearch', { tags: ['waggle:honeypot-sensor="deployer-report"'] })).json as { response: { Event: Record<string, unknown> }[] }).response;
          if (r.length > 0) return r;
          await new Promise((x) => setTimeout(x, 25));
        }
        return [];
      })();
      expect(found).toHaveLength(1);
      expect(((found[0]?.Event.Tag ?? []) as { name: string }[]).map((t) => t.name)).toContain('cve:CVE-2022-22965');
      // Its own report names a CVE too, yet is not planned on (no feedback loop).
      const own = await deployer.handleEvent(found[0]);
      expect(own.decisions).toEqual([]);
      expect(own.notes[0]).toContain("own sensor");
      expect(deployer.list().filter((i) => i.status === 'running')).toHaveLength(1);
    } finally {
      await deployer.stop();
    }
  });

  it('falls back to polling events/restSearch when the stream is unavailable', async () => {
    const statePath = join(dir, 'poll.json');
    // A fetch that refuses the stream endpoint only, as a proxy that buffers SSE would.
    const noStream: typeof fetch = async (input, init) => (String(input).includes('/events/stream') ? new Response('no', { status: 503 }) : fetch(input, init));
    const deployer = createDeployer({ ...{
      client: createMispClient({ url: srv.url, key: new Secret(srv.server.adminKey) }),
      url: srv.url,
      key: new Secret(srv.server.adminKey),
      catalogue,
      caps: { ...DEFAULT_CAPS, lifetimeMs: 60_000 },
      approval: false,
      statePath,
      host: '127.0.0.1',
      now: () => new Date(clock),
      startService: (profile, listen) => httpFactory(profile, { ...listen, port: 0 }, { sink, sensor: 'deployer-test', limits: DEFAULT_LIMITS, now: () => new Date(clock), sessionId: () => 'abcdefabcdef' }),
      tickMs: 25,
      pollIntervalMs: 100,
      // The test server's clock is far in the past: poll from its epoch.
      pollSince: 1_700_000_000,
    }, fetch: noStream });
    await deployer.start();
    try {
      await until(() => (deployer.mode() === 'polling' ? true : undefined));
      await srv.server.call('POST', '/events/add', { info: 'MOVEit', Tag: [{ name: 'cve:CVE-2023-34362' }] });
      const inst = await until(() => deployer.list().find((i) => i.profile === 'moveit-transfer' && i.status === 'running'));
      expect(inst.origin.event_info).toBe('MOVEit');
    } finally {
      await deployer.stop();
    }
  });
});
