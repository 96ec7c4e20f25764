import { describe, expect, it } from 'vitest';
import { formatStrategyTable } from './format-strategy-table.js';
import { linkAptGalaxies, type GalaxyLink } from './galaxy-link.js';
import { parseAptDatabase } from './parse-apt-database.js';
import type { StrategyRow } from './strategy-table.js';
import { TINY_PERIOD, tinyAptFiles } from './test-support/tiny-apt.js';

describe('linkAptGalaxies', () => {
  const db = parseAptDatabase(tinyAptFiles(), TINY_PERIOD);
  const clusters: Record<string, GalaxyLink> = {
    x: { uuid: 'u-x', tag: 'misp-galaxy:threat-actor="X"', galaxy: 'threat-actor' },
    'fancy y': { uuid: 'u-y', tag: 'misp-galaxy:threat-actor="Fancy Y"', galaxy: 'threat-actor' },
    'spearphishing attachment': { uuid: 'u-t', tag: 'misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1193"', galaxy: 'mitre-attack-pattern' },
  };
  const lookup = (name: string): GalaxyLink | undefined => clusters[name.toLowerCase()];

  it('links APT names directly or through an alias, and techniques by name', () => {
    const links = linkAptGalaxies(db, lookup);
    expect(links.actors.find((a) => a.name === 'X')).toEqual({ name: 'X', link: clusters.x });
    expect(links.actors.find((a) => a.name === 'Y')).toEqual({ name: 'Y', link: clusters['fancy y'], via: 'Fancy Y' });
    expect(links.actors.find((a) => a.name === 'Z')).toEqual({ name: 'Z' });
    expect(links.matchedActors).toBe(2);
    expect(links.techniques).toEqual([{ name: 'Credential Dumping' }, { name: 'Spearphishing Attachment', link: clusters['spearphishing attachment'] }]);
    expect(links.matchedTechniques).toBe(1);
  });

  it('matches nothing with an empty lookup', () => {
    const links = linkAptGalaxies(db, () => undefined);
    expect([links.matchedActors, links.matchedTechniques]).toEqual([0, 0]);
    expect(links.actors).toHaveLength(db.actors.length);
  });
});

describe('formatStrategyTable', () => {
  const row = (strategy: StrategyRow['strategy'], delayMonths: number, c: StrategyRow['case'], successful: number): StrategyRow => ({ strategy, delayMonths, case: c, campaigns: 10, successful, probability: successful / 10, ciLow: 0.1, ciHigh: 0.5, updates: 7 });

  it('shows odds ratios against Immediate-optimistic, or - when none exists', () => {
    const text = formatStrategyTable([row('immediate', 0, 'optimistic', 2), row('planned', 3, 'pessimistic', 5), row('reactive', 1, 'optimistic', 0)]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^strategy\s+case\s+campaigns\s+successful\s+P\(compromised\)\s+95% CI\s+updates\s+odds ratio vs immediate-opt$/);
    expect(lines[2]).toMatch(/^Immediate\s+optimistic\s+10\s+2\s+20\.0%\s+10\.0%–50\.0%\s+7\s+1\.00x$/);
    expect(lines[3]).toMatch(/^Planned 3m\s+pessimistic .* 4\.00x$/);
    expect(lines[4]).toMatch(/ -$/);
  });

  it('uses an explicit baseline when the rows lack one', () => {
    const text = formatStrategyTable([row('planned', 1, 'optimistic', 5)], row('immediate', 0, 'optimistic', 2));
    expect(text).toMatch(/4\.00x$/);
    expect(formatStrategyTable([row('planned', 1, 'optimistic', 5)])).toMatch(/ -$/);
  });
});
