import { createGalaxyIndex, type GalaxyCluster, type LoadedGalaxies } from '@waggle/intel';
import { InputError } from '@waggle/errors';
import { NOTHING, type EnrichAttribute, type EnrichmentModule } from '../module.js';
import { ATTACK_TYPE_TECHNIQUES, attackTypesIn, normaliseAttackType } from './attack-types.js';

/** Deps of the galaxy-context module. */
export interface GalaxyContextDeps {
  /** Galaxies and clusters (intel's `loadGalaxiesFromDir`). */
  readonly galaxies: Pick<LoadedGalaxies, 'galaxies' | 'clusters'>;
  /** Extra or overriding attack-type → technique id entries. */
  readonly attackTypes?: Readonly<Record<string, string>>;
  /** Galaxy types whose clusters may be tagged (default: ATT&CK techniques, groups, software, and the MISP actor/malware galaxies). */
  readonly galaxyTypes?: readonly string[];
}

/** Galaxy types tagged by default; the deprecated per-matrix MITRE copies are left out so one technique gives one tag. */
export const DEFAULT_GALAXY_TYPES: readonly string[] = ['mitre-attack-pattern', 'mitre-intrusion-set', 'mitre-malware', 'mitre-tool', 'threat-actor', 'ransomware', 'botnet', 'backdoor', 'rat', 'stealer', 'exploit-kit', 'tool'];
const ACTOR_TYPES = new Set(['threat-actor', 'mitre-intrusion-set']);
const TECHNIQUE_TYPE = 'mitre-attack-pattern';
const CVE = /^CVE-\d{4}-\d{4,}$/i;
const CVE_ANYWHERE = /CVE-\d{4}-\d{4,}/gi;

/**
 * `galaxy-context`: MISP galaxy-cluster tags (`misp-galaxy:<type>="<value>"`)
 * for an attack type (a finding's `attack-type`, e.g. `ssh-bruteforce` →
 * `misp-galaxy:mitre-attack-pattern="Brute Force - T1110"`), a threat-actor
 * name or synonym, and a CVE id (the clusters whose description or meta
 * mention it: the actors and malware known to exploit it).
 */
export function createGalaxyContextModule(deps: GalaxyContextDeps): EnrichmentModule {
  const allowed = new Set(deps.galaxyTypes ?? DEFAULT_GALAXY_TYPES);
  const index = createGalaxyIndex(deps.galaxies);
  const techniques = new Map<string, string>();
  for (const [k, v] of Object.entries({ ...ATTACK_TYPE_TECHNIQUES, ...(deps.attackTypes ?? {}) })) techniques.set(normaliseAttackType(k), v);
  let byCve: Map<string, GalaxyCluster[]> | undefined;
  const cveIndex = (): Map<string, GalaxyCluster[]> => {
    if (byCve !== undefined) return byCve;
    byCve = new Map();
    for (const cluster of deps.galaxies.clusters) {
      if (!allowed.has(cluster.type)) continue;
      const text = [cluster.description, ...Object.values(cluster.meta).flat()].join(' ');
      for (const m of new Set(Array.from(text.matchAll(CVE_ANYWHERE), (x) => x[0].toUpperCase()))) {
        const list = byCve.get(m) ?? [];
        list.push(cluster);
        byCve.set(m, list);
      }
    }
    return byCve;
  };
  const technique = (attackType: string): GalaxyCluster[] => {
    const id = techniques.get(normaliseAttackType(attackType));
    // Values that already are a technique id or name (`T1110`, `Brute Force`) are looked up as they are.
    return index.find(id ?? attackType).filter((c) => c.type === TECHNIQUE_TYPE && allowed.has(c.type) && !c.revoked);
  };
  const clustersFor = (attribute: EnrichAttribute): GalaxyCluster[] => {
    switch (attribute.type) {
      case 'threat-actor':
        return index.find(attribute.value).filter((c) => ACTOR_TYPES.has(c.type) && allowed.has(c.type));
      case 'vulnerability': {
        const id = attribute.value.trim().toUpperCase();
        if (!CVE.test(id)) throw new InputError(`"${attribute.value}" is not a CVE id (CVE-YYYY-NNNN)`, { field: 'value' });
        return cveIndex().get(id) ?? [];
      }
      default:
        return attackTypesIn(attribute.value).flatMap(technique);
    }
  };
  return {
    name: 'galaxy-context',
    version: '1.0',
    description: 'MITRE ATT&CK technique tags for attack types, and galaxy-cluster tags for threat actors and CVE ids, from MISP galaxies.',
    inputTypes: ['text', 'threat-actor', 'vulnerability'],
    outputTypes: [],
    enrich(attribute) {
      try {
        const tags = [...new Set(clustersFor(attribute).map((c) => c.tag_name))];
        return Promise.resolve(tags.length === 0 ? NOTHING : { attributes: [], objects: [], tags });
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
  };
}
