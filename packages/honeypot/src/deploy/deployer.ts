import type { Secret } from '@waggle/errors';
import type { Catalogue } from '../profiles/catalogue.js';
import type { ListenAddress } from '../profiles/service-factory.js';
import type { Profile } from '../profiles/profile-types.js';
import type { MispClient } from '@waggle/client';
import type { Reporter } from '../report/reporter.js';
import { stableUuid } from '../report/stable-uuid.js';
import { sensorTag } from '../report/batch-to-event.js';
import type { RunningService } from '../service.js';
import { readDeployState, writeDeployState, type DeployedInstance, type DeployState } from './deploy-state.js';
import { unwrapEvent } from './misp-event-json.js';
import { planDeployment, type DeploymentCaps, type Plan } from './plan-deployment.js';
import { subscribeEventStream, type SseSubscription } from '@waggle/client';

/** Dependencies of {@link createDeployer}. */
export interface DeployerDeps {
  /** waggle (or MISP) REST client, for the polling fallback. */
  client: MispClient;
  /** Base URL and key of waggle, for `GET /events/stream`. */
  url: string;
  key: Secret;
  catalogue: Catalogue;
  caps: Omit<DeploymentCaps, 'running'>;
  /** Plans wait for `waggle honeypot approve` instead of starting. */
  approval: boolean;
  statePath: string;
  /** Address honeypots listen on. */
  host: string;
  now: () => Date;
  /** Starts a profile (the composition root binds sinks, sensor and limits). */
  startService: (profile: Profile, listen: ListenAddress) => Promise<RunningService>;
  /** Reports the honeypots' sessions back (part of the same sink the services write to). */
  reporter?: Reporter;
  /** How often expiry and approvals are checked (default 1 s). */
  tickMs?: number;
  /** Polling period while the stream is down (default 30 s). */
  pollIntervalMs?: number;
  log?: (message: string) => void;
  fetch?: typeof fetch;
  /** Event timestamp (Unix seconds) polling starts after; default now. */
  pollSince?: number;
  /** Sensors of this deployer: their own reports are not planned on (no feedback loop). */
  ownSensors?: readonly string[];
}

/** The adaptive deployer daemon. */
export interface Deployer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Plans for one MISP event (from the stream or polling) and applies the plan. */
  handleEvent(json: unknown): Promise<Plan>;
  /** Starts approved instances and stops expired ones. */
  tick(): Promise<void>;
  list(): DeployedInstance[];
  /** The port an instance listens on, when running in this process. */
  running(id: string): RunningService | undefined;
  /** `stream` while the SSE stream is open, `polling` otherwise. */
  mode(): 'stream' | 'polling' | 'stopped';
}

const ACTIVE = new Set(['pending-approval', 'approved', 'running']);

/**
 * Creates the deployer: it listens to waggle's event stream (polling
 * `events/restSearch` by timestamp when the stream is down), plans with
 * {@link planDeployment}, starts honeypots in this process (or records them
 * for approval), keeps the state file current, stops honeypots at expiry and
 * lets the reporter send their sessions back.
 */
export function createDeployer(deps: DeployerDeps): Deployer {
  const log = deps.log ?? ((): void => undefined);
  const services = new Map<string, RunningService>();
  const state: DeployState = readDeployState(deps.statePath);
  let sub: SseSubscription | undefined;
  let mode: 'stream' | 'polling' | 'stopped' = 'stopped';
  let tickTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let lastTimestamp = deps.pollSince ?? Math.floor(deps.now().getTime() / 1000);
  let queue: Promise<unknown> = Promise.resolve();
  const handled = new Map<string, string>();
  // The fallback is announced once per outage, not at every reconnection attempt.
  let warned = false;

  const save = (): void => writeDeployState(deps.statePath, state);
  // Approvals are written by another process: merge their status before deciding.
  const reload = (): void => {
    const disk = readDeployState(deps.statePath);
    for (const d of disk.instances) {
      const mine = state.instances.find((i) => i.id === d.id);
      if (mine !== undefined && mine.status === 'pending-approval' && (d.status === 'approved' || d.status === 'rejected')) mine.status = d.status;
    }
  };
  const serialised = <T>(f: () => Promise<T>): Promise<T> => {
    const next = queue.then(f, f);
    queue = next.catch(() => undefined);
    return next;
  };

  const startInstance = async (inst: DeployedInstance): Promise<void> => {
    const profile = deps.catalogue.find(inst.profile);
    if (profile === undefined) {
      inst.status = 'failed';
      inst.error = `profile ${inst.profile} is no longer in the catalogue`;
      return;
    }
    try {
      const svc = await deps.startService(profile, { host: inst.host, port: inst.port });
      services.set(inst.id, svc);
      const now = deps.now();
      inst.status = 'running';
      inst.started_at = now.toISOString();
      inst.expires_at = new Date(now.getTime() + inst.lifetime_ms).toISOString();
      log(`started ${inst.profile} on ${inst.host}:${String(svc.port)} until ${inst.expires_at} (event ${inst.origin.event_uuid}: ${inst.reason})`);
    } catch (e) {
      inst.status = 'failed';
      inst.error = (e as Error).message;
      log(`could not start ${inst.profile} on port ${String(inst.port)}: ${inst.error}`);
    }
  };

  const stopInstance = async (inst: DeployedInstance, why: string): Promise<void> => {
    const svc = services.get(inst.id);
    services.delete(inst.id);
    await svc?.close();
    inst.status = 'stopped';
    inst.stopped_at = deps.now().toISOString();
    log(`stopped ${inst.profile} on port ${String(inst.port)}: ${why}`);
  };

  const apply = async (plan: Plan): Promise<void> => {
    for (const d of plan.decisions) {
      if (d.action !== 'start' || d.port === undefined || d.lifetimeMs === undefined) continue;
      const inst: DeployedInstance = {
        id: stableUuid('deployment', plan.event.uuid, d.profile, plan.createdAt).slice(0, 8),
        profile: d.profile,
        host: deps.host,
        port: d.port,
        status: deps.approval ? 'pending-approval' : 'approved',
        origin: { event_uuid: plan.event.uuid, event_info: plan.event.info },
        trigger: d.trigger,
        reason: d.reason,
        lifetime_ms: d.lifetimeMs,
        created_at: plan.createdAt,
      };
      state.instances.push(inst);
      if (deps.approval) log(`plan ${inst.id}: ${inst.profile} on port ${String(inst.port)} waits for approval (waggle honeypot approve ${inst.id}): ${inst.reason}`);
      else await startInstance(inst);
    }
    save();
  };

  const handleEvent = (json: unknown): Promise<Plan> => serialised(async () => {
    const ev = unwrapEvent(json);
    const ts = Number(ev.timestamp ?? 0);
    if (Number.isFinite(ts) && ts > lastTimestamp) lastTimestamp = ts;
    const own = new Set((deps.ownSensors ?? []).map(sensorTag));
    const skip = (ev.Tag ?? []).find((t) => own.has(t.name ?? ''));
    if (skip !== undefined) return { event: { uuid: ev.uuid ?? '', info: ev.info ?? '' }, createdAt: deps.now().toISOString(), decisions: [], notes: [`reported by this deployer's own sensor (${String(skip.name)}); not planned on`] };
    reload();
    const running = state.instances.filter((i) => ACTIVE.has(i.status)).map((i) => ({ profile: i.profile, port: i.port }));
    const plan = planDeployment(ev, deps.catalogue, { ...deps.caps, running }, deps.now());
    // The stream and the poller can both deliver an event; the same version is planned once.
    const version = `${String(ev.timestamp ?? '')}`;
    if (ev.uuid !== undefined && handled.get(ev.uuid) === version && version !== '') return plan;
    if (ev.uuid !== undefined) handled.set(ev.uuid, version);
    await apply(plan);
    return plan;
  });

  const tick = (): Promise<void> => serialised(async () => {
    reload();
    const now = deps.now().getTime();
    let changed = false;
    for (const inst of state.instances) {
      if (inst.status === 'approved') {
        await startInstance(inst);
        changed = true;
      } else if (inst.status === 'running' && inst.expires_at !== undefined && Date.parse(inst.expires_at) <= now) {
        await stopInstance(inst, `lifetime over (${inst.expires_at})`);
        changed = true;
      }
    }
    if (changed) save();
  });

  const poll = async (): Promise<void> => {
    const json = (await deps.client.request('POST', '/events/restSearch', { event_timestamp: lastTimestamp + 1, includeEventTags: true })) as { response?: unknown[] } | undefined;
    for (const e of json?.response ?? []) await handleEvent(e);
  };

  const connect = (): void => {
    if (mode === 'stopped') return;
    const s = subscribeEventStream({
      url: `${deps.url.replace(/\/+$/, '')}/events/stream?topics=misp_json_event`,
      key: deps.key,
      ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
      onOpen: () => {
        mode = 'stream';
        warned = false;
        log('listening to the event stream');
      },
      onMessage: (m) => {
        if (m.event !== 'misp_json_event') return;
        let payload: { action?: string } & Record<string, unknown>;
        try {
          payload = JSON.parse(m.data) as typeof payload;
        } catch {
          return;
        }
        if (payload.action === 'delete') return;
        handleEvent(payload).catch((e: unknown) => log(`event not handled: ${String(e)}`));
      },
    });
    sub = s;
    s.closed.then(
      () => fallBack('the event stream ended'),
      (e: unknown) => fallBack(`the event stream failed: ${(e as Error).message}`),
    );
  };

  const fallBack = (why: string): void => {
    if (mode === 'stopped') return;
    const wasStream = mode === 'stream';
    mode = 'polling';
    if (wasStream || !warned) log(`${why}; polling events/restSearch every ${String(deps.pollIntervalMs ?? 30_000)} ms`);
    warned = true;
    if (pollTimer !== undefined) return;
    pollTimer = setTimeout(function again() {
      pollTimer = undefined;
      if (mode !== 'polling') return;
      poll().catch((e: unknown) => log(`polling failed: ${String(e)}`)).finally(() => {
        if (mode === 'polling') connect();
      });
    }, deps.pollIntervalMs ?? 30_000);
  };

  return {
    async start() {
      // Honeypots of a previous run are not listening any more: run them again until their expiry.
      for (const inst of state.instances) if (inst.status === 'running') inst.status = 'approved';
      save();
      mode = 'polling';
      connect();
      await tick();
      tickTimer = setInterval(() => {
        tick().catch((e: unknown) => log(`tick failed: ${String(e)}`));
      }, deps.tickMs ?? 1000);
      deps.reporter?.start(deps.tickMs ?? 1000);
    },
    async stop() {
      mode = 'stopped';
      sub?.close();
      if (tickTimer !== undefined) clearInterval(tickTimer);
      if (pollTimer !== undefined) clearTimeout(pollTimer);
      await queue;
      for (const [id, svc] of services) {
        await svc.close();
        services.delete(id);
      }
      // Left as "running" so the next start brings them back until they expire.
      save();
      await deps.reporter?.stop();
    },
    handleEvent,
    tick,
    list: () => state.instances.map((i) => ({ ...i })),
    running: (id) => services.get(id),
    mode: () => mode,
  };
}
