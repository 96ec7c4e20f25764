import type { Catalogue, PortRange, Profile, RunningService } from '@waggle/honeypot';
import type { Alert } from '../rules/alert.js';

/** Opt-in active responses, bounded. */
export interface DecoySettings {
  /** Start a honeypot on a port an attacker probes (default false). */
  readonly enabled: boolean;
  /** Address the decoys listen on. */
  readonly host: string;
  /** Ports decoys may take; a probe elsewhere is only reported. */
  readonly ports: readonly PortRange[];
  readonly maxInstances: number;
  readonly lifetimeSeconds: number;
  /** Profile for probed ports the catalogue has nothing for (none: such probes start nothing). */
  readonly fallbackProfile?: string;
  /**
   * Hand a brute-forcing source over to the SSH decoy by redirecting its
   * traffic (an nftables rule). Needs root; `dry-run` only reports the rule.
   */
  readonly redirect: 'off' | 'dry-run' | 'on';
  /** Port of the SSH decoy the redirect sends to. */
  readonly redirectPort: number;
}

export const DEFAULT_DECOY_SETTINGS: DecoySettings = { enabled: false, host: '0.0.0.0', ports: [{ from: 1024, to: 65535 }], maxInstances: 3, lifetimeSeconds: 3600, redirect: 'off', redirectPort: 2222 };

/** A decoy the agent started, with why. */
export interface Decoy {
  readonly profile: string;
  readonly port: number;
  readonly started: string;
  readonly expires: string;
  readonly reason: string;
}

/** What the responder did about one alert. */
export interface ResponseAction {
  readonly action: 'started-decoy' | 'redirect' | 'skipped';
  readonly detail: string;
}

/** What the responder needs: how to start a profile and run a command, the clock, a log. */
export interface DecoyResponderDeps {
  readonly settings: DecoySettings;
  readonly catalogue: Catalogue;
  readonly start: (profile: Profile, listen: { host: string; port: number }) => Promise<RunningService>;
  /** Runs a command (argv) with privileges the agent has; used only when `redirect` is `on`. */
  readonly run?: (argv: readonly string[]) => Promise<void>;
  readonly now: () => Date;
  readonly log?: (message: string) => void;
}

/** Active responses to alerts: decoys on probed ports, redirects of brute-forcing sources. */
export interface DecoyResponder {
  onAlert(alert: Alert): Promise<ResponseAction[]>;
  /** Decoys running now. */
  list(): Decoy[];
  /** Stops decoys whose lifetime is over; returns how many. */
  expire(): Promise<number>;
  stopAll(): Promise<void>;
}

const inRanges = (port: number, ranges: readonly PortRange[]): boolean => ranges.some((r) => port >= r.from && port <= r.to);

/** The nftables rule that sends one source's SSH traffic to the decoy port. */
export function redirectRule(ip: string, decoyPort: number): string[] {
  const family = ip.includes(':') ? 'ip6' : 'ip';
  return ['nft', 'add', 'rule', family, 'nat', 'prerouting', family, 'saddr', ip, 'tcp', 'dport', '22', 'redirect', 'to', `:${String(decoyPort)}`];
}

/**
 * Creates the responder. Every action is bounded (allowed ports, instance
 * cap, lifetime) and reported; failures (a port taken, no privilege for a
 * port below 1024) are logged, never fatal.
 */
export function createDecoyResponder(deps: DecoyResponderDeps): DecoyResponder {
  const { settings } = deps;
  const running = new Map<number, { decoy: Decoy; service: RunningService }>();
  const redirected = new Set<string>();
  const log = deps.log ?? ((): void => undefined);

  async function startDecoy(alert: Alert & { port: number }): Promise<ResponseAction> {
    const port = alert.port;
    if (running.has(port)) return { action: 'skipped', detail: `a decoy already listens on ${String(port)}` };
    if (!inRanges(port, settings.ports)) return { action: 'skipped', detail: `port ${String(port)} is outside the decoy ports` };
    if (running.size >= settings.maxInstances) return { action: 'skipped', detail: `${String(settings.maxInstances)} decoys already run (cap)` };
    const profile = deps.catalogue.byPort(port)[0] ?? (settings.fallbackProfile !== undefined ? deps.catalogue.find(settings.fallbackProfile) : undefined);
    if (profile === undefined) return { action: 'skipped', detail: `no honeypot profile fits port ${String(port)}` };
    try {
      const service = await deps.start(profile, { host: settings.host, port });
      const now = deps.now();
      const decoy: Decoy = { profile: profile.name, port, started: now.toISOString(), expires: new Date(now.getTime() + settings.lifetimeSeconds * 1000).toISOString(), reason: `${alert.ip ?? 'a source'} probed port ${String(port)}` };
      running.set(port, { decoy, service });
      log(`decoy ${profile.name} listening on ${settings.host}:${String(port)} until ${decoy.expires} (${decoy.reason})`);
      return { action: 'started-decoy', detail: `${profile.name} on ${String(port)}` };
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'EACCES' ? `no privilege to listen on port ${String(port)}` : (e as Error).message;
      log(`decoy ${profile.name} on ${String(port)} not started: ${why}`);
      return { action: 'skipped', detail: why };
    }
  }

  async function redirect(ip: string): Promise<ResponseAction> {
    if (redirected.has(ip)) return { action: 'skipped', detail: `${ip} is already redirected` };
    const argv = redirectRule(ip, settings.redirectPort);
    if (settings.redirect === 'dry-run' || deps.run === undefined) {
      log(`would run: ${argv.join(' ')}`);
      return { action: 'redirect', detail: `dry run: ${argv.join(' ')}` };
    }
    try {
      await deps.run(argv);
      redirected.add(ip);
      return { action: 'redirect', detail: argv.join(' ') };
    } catch (e) {
      log(`redirect of ${ip} failed: ${(e as Error).message}`);
      return { action: 'skipped', detail: (e as Error).message };
    }
  }

  return {
    async onAlert(alert) {
      const out: ResponseAction[] = [];
      if (settings.enabled && alert.rule === 'port-probe' && alert.port !== undefined) out.push(await startDecoy(alert as Alert & { port: number }));
      if (settings.redirect !== 'off' && alert.rule === 'ssh-brute-force' && alert.ip !== undefined) out.push(await redirect(alert.ip));
      return out;
    },
    list: () => [...running.values()].map((r) => r.decoy),
    async expire() {
      const now = deps.now().getTime();
      let n = 0;
      for (const [port, r] of running) {
        if (Date.parse(r.decoy.expires) > now) continue;
        running.delete(port);
        await r.service.close();
        log(`decoy ${r.decoy.profile} on ${String(port)} stopped (lifetime over)`);
        n += 1;
      }
      return n;
    },
    async stopAll() {
      for (const r of running.values()) await r.service.close();
      running.clear();
    },
  };
}
