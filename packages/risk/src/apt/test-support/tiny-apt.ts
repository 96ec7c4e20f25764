import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monthIndex } from '../months.js';
import { APT_FILES } from '../parse-apt-database.js';

/** The folder of the real APT campaign database: `$WAGGLE_SHARED_DATA/apt-campaigns`, else `shared/data` beside the repository, else `/work/shared/data`. */
export function sharedAptData(): string {
  const beside = fileURLToPath(new URL('../../../../../../shared/data', import.meta.url));
  const root = process.env.WAGGLE_SHARED_DATA ?? (existsSync(beside) ? beside : '/work/shared/data');
  return join(root, 'apt-campaigns');
}

const RELEASE_HEADER = 'product,version,update,release_date,advisory';

/** The tiny database's period: 2010-01..2010-12 (columns 0..11). */
export const TINY_PERIOD = { start: monthIndex(2010, 1), end: monthIndex(2010, 12) };

/**
 * A hand-checkable database (see model.test.ts for the expected answers):
 * Flash Player v1 1.0 (2009-06), v2 1.1 (2010-02), v3 1.2 (2010-04), v4 1.3 (2010-08);
 * CVE-2010-0001 (A) affects v1, reserved 2010-01, published 2010-03;
 * CVE-2010-0002 (B) affects v1–v3, reserved 2010-05, published 2010-07;
 * JRE 1.6 update4 (2009-12), 1.7 (2010-03), 1.6 update5 (2010-05), affected by nothing.
 * Campaigns: X 2010-02 [A], Y 2010-06 [B], Z 2010-09 [B], W 2010-04 [A + spearphishing];
 * not considered: V 2010-05 [CVE not linked], U 2010-05 [vector only], T 2021-01 [A] (after the period).
 */
export function tinyAptFiles(overrides: Readonly<Record<string, string | undefined>> = {}): Record<string, string | undefined> {
  return {
    [APT_FILES.campaigns]: [
      'name,vulnerability,date_start,date_end,Unknown,primary source,secondary source,,',
      'X,CVE-2010-0001,2010-02,2010-02,no,https://example.org/x,,,',
      'Y,"CVE 2010-0002",2010-06,2010-06,"no\n",https://example.org/y,,,',
      'Z,CVE-2010-0002.,2010-09,2010-09,no,https://example.org/z,,,',
      'W,CVE-2010-0001\n,2010-04,2010-04,yes,https://example.org/w,,,',
      'W,Spearphishing Attachment,2010-04,2010-04,no,https://example.org/w,,,',
      'V,CVE-2010-0999,2010-05,2010-05,no,,,,',
      'U,Drive-by Compromise,2010-05,2010-05,no,,,,',
      'T,CVE-2010-0001,2021-01,2021-01,no,,,,',
      '',
    ].join('\n').replace('CVE-2010-0001\n,2010-04', '"CVE-2010-0001\n",2010-04'),
    [APT_FILES.productCves]: [
      'product,version,update,product_os,CVE',
      'flash_player,1.0,*,windows,CVE-2010-0001',
      'flash_player,1.0,*,mac_os_x,CVE-2010-0001',
      'flash_player,1.0,*,windows,CVE-2010-0002',
      'flash_player,1.1,*,*,CVE-2010-0002',
      'flash_player,1.2.0,*,windows,CVE-2010-0002',
      // Mac-only row: must not make 1.3 affected.
      'flash_player,1.3,*,mac_os_x,CVE-2010-0002',
      'jdk,1.6,update4,windows,CVE-2010-0002',
    ].join('\r\n'),
    [APT_FILES.vulnerabilities]: ['CVE,reservedDate,publishedDate,baseScore', 'CVE-2010-0001,2010-01,2010-03,9.3', 'CVE-2010-0002,2010-05,2010-07,9.3'].join('\n'),
    'data_analysis/flash_versions_v2.csv': [RELEASE_HEADER, 'flash_player,1.0.0,*,2009-06,A', 'flash_player,1.1,*,2010-02,B', 'flash_player,1.2,*,2010-04,C', 'flash_player,1.2,*,2010-05,C2', 'flash_player,1.3,*,2010-08,D', 'flash_player,1.4,*,2011-02,E'].join('\n'),
    'data_analysis/jre_versions_v2.csv': [RELEASE_HEADER, 'jre,1.7,*,2010-03,*', 'jre,1.6,update4 ,2009-12,*', 'jre,1.6,update5,2010-05,*'].join('\n'),
    'data_analysis/reader_versions_v2.csv': RELEASE_HEADER,
    'data_analysis/air_versions_v2.csv': RELEASE_HEADER,
    'data_analysis/office2016_versions_v2.csv': RELEASE_HEADER,
    [APT_FILES.threatActors]: 'labels,name,description,goals,country\nnation-state,X,"X, a group",espionage,Nowhere\n',
    [APT_FILES.aliases]: 'name,alias\nY,Fancy Y\n',
    [APT_FILES.techniques]: 'name,technique\nX,Spearphishing Attachment\nY,Credential Dumping\n',
    ...overrides,
  };
}

/** Writes `files` into a scratch folder with the upstream layout; remove it with the returned function. */
export function writeAptDir(files: Readonly<Record<string, string | undefined>>): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-apt-'));
  for (const [path, text] of Object.entries(files)) {
    if (text === undefined) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
