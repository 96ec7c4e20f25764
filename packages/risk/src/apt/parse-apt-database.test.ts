import { afterEach, describe, expect, it } from 'vitest';
import { isWaggleError } from '@waggle/errors';
import { loadAptDatabase } from './load-apt-database.js';
import { formatMonth, monthIndex, parseMonth } from './months.js';
import { normalizeCveId } from './parse-campaigns.js';
import { APT_FILES, parseAptDatabase } from './parse-apt-database.js';
import { installedSchedule, startVersion } from './strategy-schedule.js';
import { TINY_PERIOD, tinyAptFiles, writeAptDir } from './test-support/tiny-apt.js';
import { compareVersionKeys, majorLine, normalizeVersion, versionKey } from './versions.js';

const RELEASE_HEADER = 'product,version,update,release_date,advisory';

describe('cleaning helpers', () => {
  it('normalises CVE ids as the campaign file writes them', () => {
    expect(normalizeCveId('CVE 2012-0158')).toBe('CVE-2012-0158');
    expect(normalizeCveId('CVE-2010-3333.')).toBe('CVE-2010-3333');
    expect(normalizeCveId('CVE-2014-0810\n')).toBe('CVE-2014-0810');
    expect(normalizeCveId('cve-2019-12345')).toBe('CVE-2019-12345');
    expect(normalizeCveId('Spearphishing Attachment')).toBeUndefined();
    expect(normalizeCveId('CVE-20-1')).toBeUndefined();
  });
  it('parses and formats months', () => {
    expect(parseMonth('2013-10')).toBe(monthIndex(2013, 10));
    expect(parseMonth('2013-10-01')).toBe(monthIndex(2013, 10));
    expect(parseMonth('2013-13')).toBeUndefined();
    expect(parseMonth('soon')).toBeUndefined();
    // The Flash list has 1011-02 for 2011-02: implausible years are rejected, not guessed.
    expect(parseMonth('1011-02')).toBeUndefined();
    expect(formatMonth(monthIndex(2008, 1))).toBe('2008-01');
  });
  it('matches version spellings across files and orders versions', () => {
    expect(normalizeVersion('11.0.01')).toBe(normalizeVersion('11.0.1'));
    expect(normalizeVersion('9.0.124.0')).toBe('9.0.124');
    expect(versionKey('1.6', 'update10 ')).toBe(versionKey('1.6', 'update10'));
    expect(compareVersionKeys(versionKey('1.6', 'update10'), versionKey('1.6', 'update9'))).toBeGreaterThan(0);
    expect(compareVersionKeys(versionKey('1.7', '*'), versionKey('1.7', 'update1'))).toBeLessThan(0);
    expect(compareVersionKeys(versionKey('1.8', 'update261'), versionKey('9', '*'))).toBeLessThan(0);
    expect(compareVersionKeys('10.3.183.90', '11.1.102.55')).toBeLessThan(0);
    expect(compareVersionKeys('8.1.2', '8.1.2 su1')).toBeLessThan(0);
    expect([majorLine(versionKey('1.6', 'update45')), majorLine('10.3.181.36'), majorLine('15.006.30060')]).toEqual(['1.6', '10', '15']);
  });
});

describe('parseAptDatabase', () => {
  it('reads the tiny database, reporting every cleaned quirk', () => {
    const db = parseAptDatabase(tinyAptFiles(), TINY_PERIOD);
    const flash = db.products.find((p) => p.id === 'flash_player')!;
    // 1.2 is listed twice: its first month is kept; 1.4 (2011) is after the period.
    expect(flash.versions.map((v) => [v.label, formatMonth(v.release)])).toEqual([['1.0.0', '2009-06'], ['1.1', '2010-02'], ['1.2', '2010-04'], ['1.3', '2010-08']]);
    // Windows and `*` rows only: the Mac-only row does not make 1.3 affected.
    expect(Object.fromEntries(flash.affected)).toEqual({ 'CVE-2010-0001': [0], 'CVE-2010-0002': [0, 1, 2] });
    // `jdk` is not the JRE.
    expect(db.products.find((p) => p.id === 'jre')!.affected.size).toBe(0);
    expect(db.problems).toEqual(expect.arrayContaining([
      expect.stringContaining('"CVE 2010-0002" read as CVE-2010-0002'),
      expect.stringContaining('"CVE-2010-0002." read as CVE-2010-0002'),
      expect.stringContaining('"CVE-2010-0001\\n" read as CVE-2010-0001'),
      expect.stringContaining('1 campaigns start outside 2010-01..2010-12'),
      expect.stringContaining('flash_versions_v2.csv: 1 rows released after the period ignored'),
    ]));
    expect(db.actors).toEqual(['T', 'V', 'W', 'X', 'Y', 'Z']);
    expect(db.aliases.get('Y')).toEqual(['Fancy Y']);
    expect(db.techniques.get('X')).toEqual(['Spearphishing Attachment']);
    expect(db.cves.get('CVE-2010-0001')).toEqual({ id: 'CVE-2010-0001', reserved: monthIndex(2010, 1), published: monthIndex(2010, 3) });
  });

  it('fills the versions NVD\'s expansion misses inside an affected range of the same major line', () => {
    const db = parseAptDatabase(tinyAptFiles({
      'data_analysis/reader_versions_v2.csv': [RELEASE_HEADER, 'acrobat_reader,8.1.1,*,2009-01,a', 'acrobat_reader,8.1.2 su1,*,2009-02,b', 'acrobat_reader,8.1.3,*,2009-03,c', 'acrobat_reader,8.1.4,*,2009-04,d', 'acrobat_reader,9,*,2009-05,e', 'acrobat_reader,9.1,*,2009-06,f'].join('\n'),
      [APT_FILES.productCves]: ['product,version,update,product_os,CVE', 'acrobat_reader,8.1.1,*,windows,CVE-2010-0001', 'acrobat_reader,8.1.3,*,windows,CVE-2010-0001', 'acrobat_reader,9.0,*,windows,CVE-2010-0001', 'acrobat_reader,8.1.1,*,windows,CVE-2010-0002', 'acrobat_reader,8.1.5,*,windows,CVE-2010-0002'].join('\n'),
    }), TINY_PERIOD);
    const reader = db.products.find((p) => p.id === 'acrobat_reader')!;
    // 8.1.2 su1 lies between two listed 8.x versions; 8.1.4 is past the newest listed 8.x; 9.1 past 9.
    expect(reader.affected.get('CVE-2010-0001')!.map((row) => reader.versions[row]!.label)).toEqual(['8.1.1', '8.1.2 su1', '8.1.3', '9']);
    // A bound NVD lists but the release list lacks (8.1.5) still bounds the range.
    expect(reader.affected.get('CVE-2010-0002')!.map((row) => reader.versions[row]!.label)).toEqual(['8.1.1', '8.1.2 su1', '8.1.3', '8.1.4']);
    expect(db.problems).toContainEqual(expect.stringContaining('Acrobat Reader: 4 (CVE, version) links added inside the affected ranges'));
  });

  it('treats Office 2016 KBs as cumulative: a CVE affects the KBs released before the month of its fix', () => {
    const db = parseAptDatabase(tinyAptFiles({
      'data_analysis/office2016_versions_v2.csv': [RELEASE_HEADER, 'office,2016-*,100,2010-01,CVE-2010-0100', 'office,2016-*,200,2010-03,CVE-2010-0200', 'office,2016-*,200,2010-03,CVE-2010-0300', 'office,2016-*,150,2010-03,', 'office,2016-*,400,2010-06,'].join('\n'),
      [APT_FILES.productCves]: ['product,version,update,product_os,CVE', 'office,2016,*,*,CVE-2010-0200', 'word,2016,*,*,CVE-2010-0300', 'outlook,2016,*,*,CVE-2010-0500', 'office,2010,sp1,*,CVE-2010-0600'].join('\n'),
    }), TINY_PERIOD);
    const office = db.products.find((p) => p.id === 'office')!;
    expect(office.versions.map((v) => v.label)).toEqual(['KB100', 'KB150', 'KB200', 'KB400']);
    expect(Object.fromEntries(office.affected)).toEqual({ 'CVE-2010-0200': [0], 'CVE-2010-0300': [0] });
    expect(db.problems).toContainEqual(expect.stringContaining('CVE-2010-0500 is linked to Office 2016 but no KB'));
    // Newest KB of each month: KB200 in March (not KB150), KB400 in June.
    expect([...installedSchedule(db, office, 'immediate', 0)]).toEqual([0, 0, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3]);
  });

  it('leaves a product absent until its first release when none is available at the start', () => {
    const db = parseAptDatabase(tinyAptFiles({ 'data_analysis/air_versions_v2.csv': `${RELEASE_HEADER}\nair,1,*,2010-04,*\nair,1.0.1,*,2010-06,*\n` }), TINY_PERIOD);
    const air = db.products.find((p) => p.id === 'air')!;
    expect(startVersion(db, air)).toEqual({ row: 0, from: monthIndex(2010, 4) });
    expect([...installedSchedule(db, air, 'planned', 1)]).toEqual([-1, -1, -1, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('reports bad rows and keeps going', () => {
    const db = parseAptDatabase(tinyAptFiles({
      [APT_FILES.campaigns]: 'name,vulnerability,date_start\nX,CVE-2010-0001,2010-02\nQ,CVE-2010-0001,someday\n,CVE-2010-0001,2010-03\n',
      'data_analysis/flash_versions_v2.csv': `${RELEASE_HEADER}\nflash_player,1.0,*,2009-06,A\nflash_player,1.1,*,20100,B\n`,
    }), TINY_PERIOD);
    expect(db.campaigns.map((c) => c.id)).toEqual(['X@2010-02']);
    expect(db.problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/row 3: date_start "someday" is not YYYY-MM; row ignored/),
      expect.stringMatching(/row 4: empty APT name or vulnerability; row ignored/),
      expect.stringMatching(/flash_versions_v2\.csv row 3: release_date "20100" is not YYYY-MM; row ignored/),
    ]));
  });

  it('names every missing file, and missing columns with their file', () => {
    expect(() => parseAptDatabase(tinyAptFiles({ [APT_FILES.productCves]: undefined, 'data_analysis/jre_versions_v2.csv': undefined }))).toThrow(
      'APT database: missing files: neo4j_db/raw_data/rel_product_CVE.csv, data_analysis/jre_versions_v2.csv',
    );
    expect(() => parseAptDatabase(tinyAptFiles({ [APT_FILES.vulnerabilities]: undefined }))).toThrow(/Vulnerabilities\.csv \(or data_analysis\/Vulnerabilities_v2\.csv\)/);
    expect(() => parseAptDatabase(tinyAptFiles({ [APT_FILES.campaigns]: 'name,cve,date_start\n' }))).toThrow('neo4j_db/raw_data/rel_threatactor_vulnerabilities.csv: missing column vulnerability (header: name,cve,date_start)');
    expect(() => parseAptDatabase(tinyAptFiles(), { start: 5, end: 4 })).toThrow(/period start/);
  });
});

describe('loadAptDatabase', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));

  it('loads a folder with the upstream layout', () => {
    const { dir, remove } = writeAptDir(tinyAptFiles());
    cleanups.push(remove);
    expect(loadAptDatabase(dir, TINY_PERIOD).campaigns).toHaveLength(4);
  });

  it('fails clearly for a missing folder', () => {
    let error: unknown;
    try {
      loadAptDatabase('/nonexistent/apt-data');
    } catch (e) {
      error = e;
    }
    expect(isWaggleError(error) && error.code).toBe('not_found');
    expect((error as Error).message).toBe('APT data folder not found: /nonexistent/apt-data');
  });

  it('names each missing file with its full path', () => {
    const { dir, remove } = writeAptDir(tinyAptFiles({ 'data_analysis/air_versions_v2.csv': undefined, [APT_FILES.vulnerabilities]: undefined }));
    cleanups.push(remove);
    expect(() => loadAptDatabase(dir)).toThrow(`APT data folder ${dir} lacks ${dir}/data_analysis/air_versions_v2.csv, ${dir}/neo4j_db/raw_data/Vulnerabilities.csv (or data_analysis/Vulnerabilities_v2.csv)`);
  });
});
