import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, NotFoundError } from '@waggle/errors';
import { createGalaxyIndex, loadGalaxiesFromDir, type GalaxyIndex } from '@waggle/intel';
import {
  APT_STRATEGIES,
  DEFAULT_DELAYS,
  computeStrategyTable,
  evaluateStrategy,
  formatMonth,
  formatStrategyTable,
  linkAptGalaxies,
  loadAptDatabase,
  type AptDatabase,
  type AptStrategy,
  type GalaxyLookup,
  type StrategyRow,
} from '@waggle/risk';

interface RiskAptOptions {
  data: string;
  strategy?: string;
  delay?: string;
  galaxies?: string;
  json?: boolean;
}

// Actor names first resolve to threat-actor clusters (what waggle events are tagged with),
// then to ATT&CK intrusion sets; technique names to ATT&CK attack patterns.
const GALAXY_PREFERENCE = ['threat-actor', 'mitre-intrusion-set', 'mitre-enterprise-attack-intrusion-set', 'mitre-attack-pattern', 'mitre-enterprise-attack-attack-pattern'];

/** A name → galaxy cluster lookup over a MISP galaxy index (value, synonym or external id). */
export function galaxyLookup(index: GalaxyIndex): GalaxyLookup {
  return (name) => {
    const found = index.find(name);
    if (found.length === 0) return undefined;
    const rank = (type: string): number => {
      const i = GALAXY_PREFERENCE.indexOf(type);
      return i < 0 ? GALAXY_PREFERENCE.length : i;
    };
    const best = [...found].sort((a, b) => rank(a.type) - rank(b.type))[0];
    return best === undefined ? undefined : { uuid: best.uuid, tag: best.tag_name, galaxy: best.type };
  };
}

function parseOptions(opts: RiskAptOptions): { strategies: AptStrategy[]; delays: number[] } {
  let strategies = [...APT_STRATEGIES];
  if (opts.strategy !== undefined) {
    if (!(APT_STRATEGIES as readonly string[]).includes(opts.strategy)) throw new InputError(`--strategy must be one of ${APT_STRATEGIES.join(', ')}, got "${opts.strategy}"`, { field: 'strategy' });
    strategies = [opts.strategy as AptStrategy];
  }
  let delays = [...DEFAULT_DELAYS];
  if (opts.delay !== undefined) {
    if (!/^\d+$/.test(opts.delay) || Number(opts.delay) > 120) throw new InputError(`--delay must be a whole number of months from 0 to 120, got "${opts.delay}"`, { field: 'delay' });
    if (opts.strategy === 'immediate' && Number(opts.delay) !== 0) throw new InputError('--delay does not apply to the immediate strategy (it has no delay)', { field: 'delay' });
    delays = [Number(opts.delay)];
  }
  return { strategies, delays };
}

/** The JSON object of one row: exactly the documented keys. */
function jsonRow(r: StrategyRow): Record<string, unknown> {
  return { strategy: r.strategy, delay_months: r.delayMonths, case: r.case, campaigns: r.campaigns, successful: r.successful, probability: r.probability, ci_low: r.ciLow, ci_high: r.ciHigh, updates: r.updates };
}

function galaxyReport(db: AptDatabase, dir: string): string {
  if (!existsSync(dir)) throw new NotFoundError(`MISP galaxy folder not found: ${dir}`);
  const loaded = loadGalaxiesFromDir(dir);
  if (loaded.clusters.length === 0) throw new InputError(`no galaxy clusters found in ${dir} (expected ${dir}/clusters/*.json)`);
  const links = linkAptGalaxies(db, galaxyLookup(createGalaxyIndex(loaded)));
  const inCampaigns = new Set(db.campaigns.map((c) => c.apt));
  const lines = [
    `APT names linked to MISP galaxy clusters: ${links.matchedActors} of ${links.actors.length}; techniques: ${links.matchedTechniques} of ${links.techniques.length}`,
    `APTs of the campaigns considered (${inCampaigns.size}):`,
    ...links.actors.filter((a) => inCampaigns.has(a.name)).map((a) => `  ${a.name}: ${a.link === undefined ? 'no galaxy cluster' : `${a.link.tag}${a.via === undefined ? '' : ` (via alias ${a.via})`}`}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Registers `waggle risk apt` (the `risk` group is shared with other risk commands). */
export function registerRiskAptCommands(program: Command): void {
  const risk = program.commands.find((c) => c.name() === 'risk') ?? program.command('risk').description('compromise probability');
  risk
    .command('apt')
    .description('probability that APT campaigns (2008-2020) compromise a host, per software update strategy (Di Tizio et al., IEEE TSE 2022)')
    .requiredOption('--data <dir>', 'APT campaign database folder (upstream layout: neo4j_db/raw_data, data_analysis)')
    .option('--strategy <name>', `only this strategy: ${APT_STRATEGIES.join(', ')}`)
    .option('--delay <k>', 'only this delay in months for planned/reactive/informed-reactive (default 1, 3 and 7)')
    .option('--galaxies <dir>', 'misp-galaxy folder: link APT names and techniques to galaxy clusters')
    .option('--json', 'print one JSON array, one object per strategy, delay and case')
    .action((opts: RiskAptOptions) => {
      const { strategies, delays } = parseOptions(opts);
      const db = loadAptDatabase(opts.data);
      const rows = computeStrategyTable(db, { strategies, delays });
      const galaxies = opts.galaxies === undefined ? undefined : galaxyReport(db, opts.galaxies);
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify(rows.map(jsonRow), null, 2)}\n`);
        if (galaxies !== undefined) process.stderr.write(galaxies);
        return;
      }
      const baseline = rows.find((r) => r.strategy === 'immediate' && r.case === 'optimistic') ?? evaluateStrategy(db, { strategy: 'immediate', delayMonths: 0, case: 'optimistic' });
      const s = db.stats;
      process.stdout.write(
        `Campaigns considered: ${s.campaignsConsidered} (of ${s.campaignsInPeriod} campaigns with CVEs starting ${formatMonth(db.period.start)}..${formatMonth(db.period.end)}); ` +
          `products: ${db.products.map((p) => `${p.label} (${p.versions.length} versions)`).join(', ')}; data problems handled: ${db.problems.length}\n\n` +
          `${formatStrategyTable(rows, baseline)}\n`,
      );
      if (galaxies !== undefined) process.stdout.write(`\n${galaxies}`);
    });
}
