import type { Bus, Topic } from '@waggle/bus';
import type { TemplateRegistry } from '@waggle/misp';
import type { Store } from '../ports/store.js';
import type { CoreConfig } from '../settings/core-config.js';
import type { LiveSettings } from '../settings/live-settings.js';

/** Time source (Unix seconds), injected so tests are deterministic. */
export interface Clock {
  now(): number;
}

/** Id source, injected for the same reason. */
export interface IdSource {
  uuid(): string;
}

/** The start-up configuration: see {@link CoreConfig} in settings/core-config.ts. */
export type { CoreConfig } from '../settings/core-config.js';

/** Everything the use cases need, handed to each service factory. */
export interface CoreDeps {
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly templates: TemplateRegistry;
  readonly config: CoreConfig;
  /** The server settings in force (`servers/serverSettings`): `config` changed by what site admins stored. */
  readonly settings: LiveSettings;
}

/** A message to publish once the transaction that caused it has committed. */
export interface Outgoing {
  readonly topic: Topic;
  readonly payload: unknown;
}

/** Default settings, as in MISP's defaults. */
export const DEFAULT_CORE_CONFIG: CoreConfig = {
  correlationCap: 20,
  defaultEventDistribution: 1,
  defaultAttributeDistribution: 5,
  strictObjectTemplates: true,
};

/** Publishes after commit; a bus failure never undoes a committed write. */
export async function publishAll(bus: Bus, messages: readonly Outgoing[]): Promise<void> {
  for (const m of messages) {
    try {
      await bus.publish(m.topic, m.payload);
    } catch {
      // The write is durable; subscribers that need completeness re-read the store.
    }
  }
}
