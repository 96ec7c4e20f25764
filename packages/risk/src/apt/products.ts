/**
 * The five client products of the study and how their names are matched across files
 * (decision documented in the README): the release lists name `acrobat_reader`, `air`,
 * `flash_player`, `jre` and `office`; NVD's `rel_product_CVE.csv` uses more names for some.
 */
export interface AptProductSpec {
  readonly id: string;
  readonly label: string;
  /** Release list under `data_analysis/`. */
  readonly file: string;
  /**
   * `rel_product_CVE.csv` product names that denote the installed client on Windows.
   * Excluded on purpose: `acrobat` (the paid Acrobat, a different install), `jdk` (a host
   * running the JRE has no JDK), `air_sdk` (developer SDK, not the runtime).
   * Included: `adobe_air` (an older NVD name of the Air runtime) and
   * `flash_player_desktop_runtime` (NVD's later name of the Windows desktop Flash Player).
   */
  readonly nvdNames: readonly string[];
  /**
   * Office 2016 is versioned by KB updates assumed cumulative: NVD links CVEs to "office 2016"
   * (and word/excel/… 2016) as a whole, and the release list says which KB fixes which CVE.
   */
  readonly cumulativeKb?: { readonly nvdVersion: string };
}

/** The analysed products, in report order. */
export const APT_PRODUCTS: readonly AptProductSpec[] = [
  { id: 'acrobat_reader', label: 'Acrobat Reader', file: 'reader_versions_v2.csv', nvdNames: ['acrobat_reader'] },
  { id: 'air', label: 'Air', file: 'air_versions_v2.csv', nvdNames: ['air', 'adobe_air'] },
  { id: 'flash_player', label: 'Flash Player', file: 'flash_versions_v2.csv', nvdNames: ['flash_player', 'flash_player_desktop_runtime'] },
  { id: 'jre', label: 'JRE', file: 'jre_versions_v2.csv', nvdNames: ['jre'] },
  { id: 'office', label: 'Office 2016', file: 'office2016_versions_v2.csv', nvdNames: ['office', 'word', 'excel', 'powerpoint', 'outlook'], cumulativeKb: { nvdVersion: '2016' } },
];

/**
 * Whether a `product_os` value of `rel_product_CVE.csv` applies to a Windows installation:
 * `windows`, the `windows_*` editions, and `*` (any OS). The analysis considers Windows hosts.
 */
export function isWindowsRow(os: string): boolean {
  const v = os.trim().toLowerCase();
  return v === '*' || v === '' || v.startsWith('windows');
}
