/**
 * The producers whose events are read under UMA only (ADR 0013, mode `uma`), as configured:
 * organisation UUIDs or names, matched case-insensitively against an event's creator.
 */
export interface UmaProducers {
  /** Whether the organisation (an event's `Orgc`) is one of them. */
  has(org: { readonly uuid?: unknown; readonly name?: unknown } | undefined): boolean;
}

/** A matcher over the configured organisation references (none: nobody is a producer under UMA). */
export function umaProducers(refs: readonly string[] = []): UmaProducers {
  const set = new Set(refs.map((r) => r.toLowerCase()));
  return {
    has(org) {
      if (org === undefined || set.size === 0) return false;
      return (typeof org.uuid === 'string' && set.has(org.uuid.toLowerCase())) || (typeof org.name === 'string' && set.has(org.name.toLowerCase()));
    },
  };
}

/**
 * Whether an event may go to a party outside this server by the server's own configuration (a
 * push, a feed, the NATS audience bridge): a producer's event leaves for its own organisation
 * only, since everyone else reads it through UMA, one granted event at a time.
 */
export function leavesUnderUma(producers: UmaProducers, event: { readonly Orgc?: unknown }, recipientOrgUuid?: string): boolean {
  const orgc = (typeof event.Orgc === 'object' && event.Orgc !== null ? event.Orgc : undefined) as { uuid?: unknown; name?: unknown } | undefined;
  if (!producers.has(orgc)) return true;
  return recipientOrgUuid !== undefined && typeof orgc?.uuid === 'string' && orgc.uuid.toLowerCase() === recipientOrgUuid.toLowerCase();
}
