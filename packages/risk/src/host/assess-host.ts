import { compareGenericVersions, versionSchemeFor, type EpssScore, type Finding, type InstalledPackage, type KevEntry } from '@waggle/inventory';
import type { Evidence } from './evidence.js';
import { createExposureMap } from './exposure.js';
import type { ListeningService } from './listening-service.js';
import { noisyOr } from './noisy-or.js';
import { DEFAULT_RISK_PARAMETERS, type RiskParameters } from './risk-parameters.js';
import { assessVulnerability, groupByVulnerability, type VulnerabilityRisk } from './vulnerability-risk.js';

/** What {@link assessHost} needs about one host. */
export interface HostRiskInput {
  readonly findings: readonly Finding[];
  /** KEV entries by CVE (`parseKev(...).entries`). */
  readonly kev: ReadonlyMap<string, KevEntry>;
  /** EPSS scores by CVE (`parseEpssCsv(...).scores`). */
  readonly epss: ReadonlyMap<string, EpssScore>;
  /** Listening services; undefined when unknown (exposure then scales nothing). */
  readonly exposure?: readonly ListeningService[];
  /** Installed packages, so libraries of a listening daemon count as exposed through `Depends`. */
  readonly packages?: readonly InstalledPackage[];
  readonly evidence?: Evidence;
}

/** Options of {@link assessHost}. */
export interface HostRiskOptions {
  readonly host?: string;
  readonly parameters?: Partial<RiskParameters>;
  /** How many top contributors to list (default 5). */
  readonly top?: number;
}

/** A vulnerability's share of the host figure: how much the host probability drops without it. */
export interface RiskContribution {
  readonly id: string;
  readonly probability: number;
  readonly marginal: number;
}

/** One upgrade, and what it buys. */
export interface PatchAdvice {
  readonly source: string;
  readonly packages: readonly string[];
  /** Highest fixed version among the vulnerabilities it fixes. */
  readonly upgradeTo: string;
  readonly fixes: readonly string[];
  /** Vulnerabilities of this source without a fix (they stay). */
  readonly unfixed: readonly string[];
  readonly probabilityAfter: number;
  readonly reduction: number;
}

/** A host's compromise probability with its explanation. */
export interface HostRisk {
  readonly host?: string;
  /** Probability of compromise through a known vulnerability in the next 30 days (EPSS horizon). */
  readonly probability: number;
  /** The noisy-OR written out with the terms used. */
  readonly formula: string;
  /** Sorted by probability, highest first. */
  readonly vulnerabilities: readonly VulnerabilityRisk[];
  readonly topContributors: readonly RiskContribution[];
  /** Upgrades ordered by how much they lower the host probability. */
  readonly patchFirst: readonly PatchAdvice[];
  readonly exposureKnown: boolean;
  /** What limited the assessment (unknown exposure, unattributed listeners, unfixable vulnerabilities). */
  readonly notes: readonly string[];
  readonly parameters: RiskParameters;
}

function maxVersion(source: string, versions: readonly string[], ecosystem: string): string {
  const scheme = versionSchemeFor(ecosystem);
  return versions.reduce((a, b) => {
    try {
      return scheme.compare(scheme.parse(a), scheme.parse(b)) >= 0 ? a : b;
    } catch {
      return compareGenericVersions(a, b) >= 0 ? a : b;
    }
  }, versions[0] ?? source);
}

/**
 * Assesses a host: each vulnerability's likelihood (see `assessVulnerability`)
 * combined with a noisy-OR, which assumes the vulnerabilities are exploited
 * independently of each other. Every figure carries the factors that made it.
 */
export function assessHost(input: HostRiskInput, options: HostRiskOptions = {}): HostRisk {
  const params: RiskParameters = { ...DEFAULT_RISK_PARAMETERS, ...options.parameters };
  const exposure = createExposureMap(input.exposure, input.packages);
  const ctx = { kev: input.kev, epss: input.epss, exposure, evidence: input.evidence ?? {}, params };
  const vulns = groupByVulnerability(input.findings)
    .map((g) => assessVulnerability(g, ctx))
    .sort((a, b) => b.probability - a.probability || a.id.localeCompare(b.id));
  const probability = noisyOr(vulns.map((v) => v.probability));
  // "Without these" figures in O(n): the log of Π(1 − p) minus the dropped terms
  // (certain terms, p = 1, are counted apart because their log is −∞).
  const logs = vulns.map((v) => (v.probability >= 1 ? 0 : Math.log1p(-v.probability)));
  const certain = vulns.filter((v) => v.probability >= 1).length;
  const logNone = logs.reduce((a, b) => a + b, 0);
  const without = (dropped: readonly number[]): number => {
    const certainLeft = certain - dropped.filter((i) => (vulns[i]?.probability ?? 0) >= 1).length;
    if (certainLeft > 0) return 1;
    return Math.max(0, -Math.expm1(dropped.reduce((a, i) => a - (logs[i] ?? 0), logNone)));
  };

  const topContributors = vulns
    .map((v, i) => ({ id: v.id, probability: v.probability, marginal: probability - without([i]) }))
    .sort((a, b) => b.marginal - a.marginal || a.id.localeCompare(b.id))
    .slice(0, options.top ?? 5);

  const bySource = new Map<string, number[]>();
  vulns.forEach((v, i) => {
    for (const s of v.sources) bySource.set(s, [...(bySource.get(s) ?? []), i]);
  });
  const ecosystemOf = new Map(input.findings.map((f) => [f.source, f.ecosystem]));
  const packagesOf = new Map<string, Set<string>>();
  for (const f of input.findings) packagesOf.set(f.source, (packagesOf.get(f.source) ?? new Set()).add(f.package));
  const patchFirst: PatchAdvice[] = [];
  for (const [source, mine] of bySource) {
    // Upgrading this source removes a vulnerability only if it has a fix here and no other source carries it.
    const fixed = mine.filter((i) => vulns[i]?.fixedVersions[source] !== undefined && vulns[i]?.sources.length === 1);
    if (fixed.length === 0) continue;
    const after = without(fixed);
    const fixedSet = new Set(fixed);
    patchFirst.push({
      source,
      packages: [...(packagesOf.get(source) ?? [])],
      upgradeTo: maxVersion(source, fixed.map((i) => vulns[i]?.fixedVersions[source] as string), ecosystemOf.get(source) ?? 'Debian'),
      fixes: fixed.map((i) => vulns[i]?.id as string),
      unfixed: mine.filter((i) => !fixedSet.has(i)).map((i) => vulns[i]?.id as string),
      probabilityAfter: after,
      reduction: probability - after,
    });
  }
  patchFirst.sort((a, b) => b.reduction - a.reduction || a.source.localeCompare(b.source));

  const notes: string[] = [];
  if (!exposure.known) notes.push('listening services unknown: exposure not taken into account (factor 1 for every vulnerability)');
  for (const s of exposure.unattributed) notes.push(`listener ${s.address}:${s.port}${s.process !== undefined ? ` (${s.process})` : ''} could not be tied to a package`);
  const unfixable = vulns.filter((v) => Object.keys(v.fixedVersions).length === 0).map((v) => v.id);
  if (unfixable.length > 0) notes.push(`no fixed version known for ${unfixable.join(', ')}`);
  const terms = vulns.map((v) => `(1 − ${v.probability.toPrecision(3)})`);
  return {
    ...(options.host !== undefined ? { host: options.host } : {}),
    probability,
    formula: vulns.length === 0 ? 'no vulnerabilities: 0' : `1 − ${terms.length > 8 ? `${terms.slice(0, 8).join('')}… (${terms.length} terms)` : terms.join('')} = ${probability.toPrecision(4)}`,
    vulnerabilities: vulns,
    topContributors,
    patchFirst,
    exposureKnown: exposure.known,
    notes,
    parameters: params,
  };
}
