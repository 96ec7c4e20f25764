import type { AptDatabase } from './types.js';

/** A MISP galaxy cluster as waggle events tag it. */
export interface GalaxyLink {
  readonly uuid: string;
  /** `misp-galaxy:threat-actor="APT28"`. */
  readonly tag: string;
  /** Galaxy type: `threat-actor`, `mitre-intrusion-set`, `mitre-attack-pattern`, … */
  readonly galaxy: string;
}

/** Finds the cluster for a name (value or synonym); injected so this package stays free of I/O. */
export type GalaxyLookup = (name: string) => GalaxyLink | undefined;

/** One APT or technique name and the cluster it was linked to, if any. */
export interface LinkedName {
  readonly name: string;
  readonly link?: GalaxyLink;
  /** The alias that matched, when the name itself did not. */
  readonly via?: string;
}

/** Galaxy links of the database's APTs and of their techniques. */
export interface AptGalaxyLinks {
  readonly actors: readonly LinkedName[];
  readonly techniques: readonly LinkedName[];
  readonly matchedActors: number;
  readonly matchedTechniques: number;
}

/**
 * Links every APT name (trying its aliases from Aliases.csv when the name fails) and every
 * technique name used by an APT to MISP galaxy clusters, so explanations carry the same tags as
 * waggle events.
 */
export function linkAptGalaxies(db: AptDatabase, lookup: GalaxyLookup): AptGalaxyLinks {
  const actors = db.actors.map((name): LinkedName => {
    const direct = lookup(name);
    if (direct !== undefined) return { name, link: direct };
    for (const alias of db.aliases.get(name) ?? []) {
      const link = lookup(alias);
      if (link !== undefined) return { name, link, via: alias };
    }
    return { name };
  });
  const techniqueNames = [...new Set([...db.techniques.values()].flat())].sort((a, b) => a.localeCompare(b));
  const techniques = techniqueNames.map((name): LinkedName => {
    const link = lookup(name);
    return link === undefined ? { name } : { name, link };
  });
  return {
    actors,
    techniques,
    matchedActors: actors.filter((a) => a.link !== undefined).length,
    matchedTechniques: techniques.filter((t) => t.link !== undefined).length,
  };
}
