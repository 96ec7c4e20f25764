import { InputError } from '@waggle/errors';

/** One entry of CISA's Known Exploited Vulnerabilities catalogue. */
export interface KevEntry {
  readonly cveID: string;
  readonly vendorProject: string;
  readonly product: string;
  readonly vulnerabilityName?: string;
  readonly dateAdded: string;
  readonly dueDate?: string;
  /** `Known` or `Unknown` in CISA's data. */
  readonly knownRansomwareCampaignUse: string;
}

/** The KEV catalogue by CVE id, with the entries that were skipped and why. */
export interface KevCatalog {
  readonly catalogVersion?: string;
  readonly dateReleased?: string;
  readonly entries: ReadonlyMap<string, KevEntry>;
  readonly problems: readonly string[];
}

const CVE = /^CVE-\d{4}-\d{4,}$/;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Parses CISA's KEV JSON feed (`known_exploited_vulnerabilities.json`).
 * Entries without a valid `cveID` or `dateAdded` are skipped and listed in `problems`.
 * @throws InputError when the text is not JSON or has no `vulnerabilities` array.
 */
export function parseKev(text: string): KevCatalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`KEV catalogue is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = json as { vulnerabilities?: unknown; catalogVersion?: unknown; dateReleased?: unknown } | null;
  if (typeof root !== 'object' || root === null || !Array.isArray(root.vulnerabilities)) throw new InputError('KEV catalogue needs a "vulnerabilities" array', { field: 'vulnerabilities' });
  const entries = new Map<string, KevEntry>();
  const problems: string[] = [];
  root.vulnerabilities.forEach((v: unknown, i: number) => {
    const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    const cveID = str(o.cveID);
    const dateAdded = str(o.dateAdded);
    if (cveID === undefined || !CVE.test(cveID) || dateAdded === undefined) {
      problems.push(`vulnerabilities[${i}]: needs a cveID like CVE-2024-1234 and a dateAdded`);
      return;
    }
    const name = str(o.vulnerabilityName);
    const due = str(o.dueDate);
    entries.set(cveID, {
      cveID,
      vendorProject: str(o.vendorProject) ?? '',
      product: str(o.product) ?? '',
      ...(name !== undefined ? { vulnerabilityName: name } : {}),
      dateAdded,
      ...(due !== undefined ? { dueDate: due } : {}),
      knownRansomwareCampaignUse: str(o.knownRansomwareCampaignUse) ?? 'Unknown',
    });
  });
  const version = str(root.catalogVersion);
  const released = str(root.dateReleased);
  return { ...(version !== undefined ? { catalogVersion: version } : {}), ...(released !== undefined ? { dateReleased: released } : {}), entries, problems };
}
