import type { Bus, Topic } from '@waggle/bus';
import type { TemplateRegistry } from '@waggle/misp';
import type { Distribution } from '../model/records.js';
import type { Store } from '../ports/store.js';

/** Time source (Unix seconds), injected so tests are deterministic. */
export interface Clock {
  now(): number;
}

/** Id source, injected for the same reason. */
export interface IdSource {
  uuid(): string;
}

/** Settings the use cases follow (read once by the CLI). */
export interface CoreConfig {
  /** Values seen more often than this stop correlating (MISP's over-correlation threshold). */
  readonly correlationCap: number;
  readonly defaultEventDistribution: Distribution;
  readonly defaultAttributeDistribution: Distribution;
  /** Reject objects that break their template's rules (unknown templates are always accepted). */
  readonly strictObjectTemplates: boolean;
}

/** Everything the use cases need, handed to each service factory. */
export interface CoreDeps {
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly templates: TemplateRegistry;
  readonly config: CoreConfig;
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
