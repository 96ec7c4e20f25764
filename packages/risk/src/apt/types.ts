/** One released version of an analysed product: a row of that product's matrices. */
export interface AptProductVersion {
  /** Normalised `version` or `version|update` (Office: `2016-*|<KB>`). */
  readonly key: string;
  /** As the release list spells it, for display (`1.7 update51`, `KB4011574`). */
  readonly label: string;
  /** Month number of the first release (see `monthIndex`). */
  readonly release: number;
}

/** An analysed product: its versions in release order and which CVEs affect which versions. */
export interface AptProduct {
  /** `acrobat_reader`, `air`, `flash_player`, `jre` or `office`. */
  readonly id: string;
  readonly label: string;
  /** Matrix rows: ordered by release month, then by version number (Office: KB number). */
  readonly versions: readonly AptProductVersion[];
  /**
   * What "newer" means: `version` compares version numbers (so a newer release of an older
   * major line is never newer); `release` (Office's cumulative KBs) compares row order.
   */
  readonly ordering: 'version' | 'release';
  /** CVE id → indices of the versions it affects (ascending). */
  readonly affected: ReadonlyMap<string, readonly number[]>;
}

/** Reservation (MITRE) and publication (NVD) months of a CVE, when known. */
export interface AptCve {
  readonly id: string;
  readonly reserved?: number;
  readonly published?: number;
}

/** One APT with one start month: the unit the model counts. */
export interface AptCampaign {
  /** `<APT>@<YYYY-MM>`. */
  readonly id: string;
  readonly apt: string;
  /** Month number of `date_start`. */
  readonly start: number;
  /** Exploited CVEs (normalised ids), including ones that affect no analysed product. */
  readonly cves: readonly string[];
  /** Attack-vector rows of the same APT and month (spearphishing, drive-by, …). */
  readonly vectors: readonly string[];
}

/** Counts of what was read and dropped, for reports. */
export interface AptDatabaseStats {
  readonly campaignRows: number;
  readonly cveRows: number;
  readonly vectorRows: number;
  /** Campaigns (APT, start month) with at least one CVE, in the whole file. */
  readonly campaignsWithCves: number;
  /** …of which start inside the period. */
  readonly campaignsInPeriod: number;
  /** …of which exploit a CVE affecting an analysed product version: the campaigns considered. */
  readonly campaignsConsidered: number;
}

/** The cleaned APT campaign database the model runs on. */
export interface AptDatabase {
  /** First and last month (inclusive) of the analysis. */
  readonly period: { readonly start: number; readonly end: number };
  readonly products: readonly AptProduct[];
  /** The campaigns considered, ordered by start month then APT name. */
  readonly campaigns: readonly AptCampaign[];
  readonly cves: ReadonlyMap<string, AptCve>;
  /** Every APT name that appears in the campaign file or in ThreatActors.csv. */
  readonly actors: readonly string[];
  /** APT name → aliases (Aliases.csv, taken from MISP's threat-actor galaxy). */
  readonly aliases: ReadonlyMap<string, readonly string[]>;
  /** APT name → ATT&CK technique names (rel_threatactor_techniques.csv). */
  readonly techniques: ReadonlyMap<string, readonly string[]>;
  readonly stats: AptDatabaseStats;
  /** Data problems found and how each was handled (normalised ids, dropped rows, …). */
  readonly problems: readonly string[];
}
