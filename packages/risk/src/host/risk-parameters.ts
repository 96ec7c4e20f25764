/**
 * The numbers of the host model. Each is a judgement, documented in the
 * package README (## Host risk) with its reason; all can be overridden.
 */
export interface RiskParameters {
  /** Likelihood for a CVE that EPSS does not score (new, or missing from the file): about the median EPSS score. */
  readonly unknownEpssPrior: number;
  /** Lowest base likelihood, so every factor stays a finite ratio. */
  readonly minimumProbability: number;
  /** Highest base likelihood, so odds updates stay finite. */
  readonly maximumProbability: number;
  /** Floor for a CVE in CISA KEV: exploitation has been seen in the wild. */
  readonly kevFloor: number;
  /** Floor for a KEV entry known to be used in ransomware campaigns. */
  readonly kevRansomwareFloor: number;
  /** Exposure factors by level (see {@link ExposureLevel}). */
  readonly exposure: Readonly<Record<ExposureLevel, number>>;
  /** Likelihood ratio of the first exploitation sighting of a CVE; grows with log2(1 + count) up to `sightingCap`. */
  readonly sightingRatio: number;
  readonly sightingCap: number;
  /** Likelihood ratio of an intrusion alert on this host naming the CVE; grows with log10(count) up to `alertCveCap`. */
  readonly alertCveRatio: number;
  readonly alertCveCap: number;
  /** Likelihood ratio for network-reachable vulnerabilities when the host has intrusion alerts not naming a CVE. */
  readonly alertHostRatio: number;
  /** Likelihood ratio when a threat actor that targets the host's sector is known to exploit the CVE. */
  readonly actorCveRatio: number;
  /** Likelihood ratios when such an actor uses an exploitation technique that fits the vulnerability's exposure. */
  readonly techniqueRatios: Readonly<Record<string, { readonly ratio: number; readonly levels: readonly ExposureLevel[]; readonly name: string }>>;
}

/**
 * How reachable the vulnerable code is: the package listens on a routable
 * address (`network`), is a dependency of such a listener
 * (`network-dependency`), listens or is used only on loopback (`loopback`),
 * has no listener (`local`), or nothing is known about listeners (`unknown`).
 */
export type ExposureLevel = 'network' | 'network-dependency' | 'loopback' | 'local' | 'unknown';

/** waggle's default parameters. */
export const DEFAULT_RISK_PARAMETERS: RiskParameters = {
  unknownEpssPrior: 0.001,
  minimumProbability: 1e-5,
  maximumProbability: 0.999,
  kevFloor: 0.5,
  kevRansomwareFloor: 0.7,
  exposure: { network: 1, 'network-dependency': 0.5, loopback: 0.25, local: 0.1, unknown: 1 },
  sightingRatio: 3,
  sightingCap: 10,
  alertCveRatio: 5,
  alertCveCap: 20,
  alertHostRatio: 1.5,
  actorCveRatio: 3,
  techniqueRatios: {
    T1190: { ratio: 1.5, levels: ['network', 'network-dependency'], name: 'Exploit Public-Facing Application' },
    T1210: { ratio: 1.3, levels: ['network', 'network-dependency', 'loopback'], name: 'Exploitation of Remote Services' },
    T1068: { ratio: 1.5, levels: ['local', 'loopback'], name: 'Exploitation for Privilege Escalation' },
    T1203: { ratio: 1.2, levels: ['local'], name: 'Exploitation for Client Execution' },
  },
};
