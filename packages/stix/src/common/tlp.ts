import type { StixObject } from './stix-types.js';

interface TlpLevel {
  readonly level: 'white' | 'green' | 'amber' | 'red';
  readonly id: string;
}

// The four TLP 1.0 marking definitions fixed by the STIX 2.1 specification (section 7.2.1.4).
const LEVELS: readonly TlpLevel[] = [
  { level: 'white', id: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9' },
  { level: 'green', id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da' },
  { level: 'amber', id: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82' },
  { level: 'red', id: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed' },
];

// MISP's TLP 2.0 tags folded onto the nearest STIX 2.1 definition; the tag itself is kept as a label.
const ALIASES: Readonly<Record<string, TlpLevel['level']>> = { 'tlp:clear': 'white', 'tlp:amber+strict': 'amber' };

/** How a MISP tag maps onto STIX markings: the marking id, and whether the tag must also stay a label. */
export interface TlpMapping {
  readonly markingId: string;
  readonly keepAsLabel: boolean;
}

/** The STIX marking for a `tlp:*` tag (case-insensitive); undefined for other tags. */
export function tlpMarkingForTag(tag: string): TlpMapping | undefined {
  const name = tag.trim().toLowerCase();
  const exact = LEVELS.find((l) => `tlp:${l.level}` === name);
  if (exact) return { markingId: exact.id, keepAsLabel: tag !== name };
  const alias = ALIASES[name];
  const level = alias === undefined ? undefined : LEVELS.find((l) => l.level === alias);
  return level ? { markingId: level.id, keepAsLabel: true } : undefined;
}

/** The `tlp:*` tag of a standard TLP marking id; undefined for other ids. */
export function tagForTlpMarking(markingId: string): string | undefined {
  const level = LEVELS.find((l) => l.id === markingId);
  return level ? `tlp:${level.level}` : undefined;
}

/** The marking-definition object of a standard TLP id, exactly as the specification defines it. */
export function tlpMarkingDefinition(markingId: string): StixObject | undefined {
  const level = LEVELS.find((l) => l.id === markingId);
  if (!level) return undefined;
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: level.id,
    created: '2017-01-20T00:00:00.000Z',
    definition_type: 'tlp',
    name: `TLP:${level.level.toUpperCase()}`,
    definition: { tlp: level.level },
  };
}
