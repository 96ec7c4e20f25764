import type { Prng } from '../core/prng.js';

/** A generated host and vulnerability database, seeded so every run measures the same data. */
export interface SyntheticHost {
  readonly dpkgStatus: string;
  /** OSV records as JSON-ready objects. */
  readonly osv: readonly Record<string, unknown>[];
  readonly kevJson: string;
  readonly epssCsv: string;
  readonly listeningJson: string;
  readonly sources: number;
}

function version(rand: Prng): string {
  const epoch = rand.chance(0.1) ? `${rand.int(1, 3)}:` : '';
  const upstream = `${rand.int(0, 30)}.${rand.int(0, 20)}${rand.chance(0.6) ? `.${rand.int(0, 99)}` : ''}${rand.chance(0.15) ? '+dfsg' : ''}`;
  const revision = `${rand.int(1, 9)}${rand.chance(0.4) ? `+deb12u${rand.int(1, 6)}` : rand.chance(0.2) ? `~deb12u${rand.int(1, 3)}` : ''}`;
  return `${epoch}${upstream}-${revision}`;
}

/** A version near `v`: same epoch and upstream major, minor moved down (`up` false) or up. */
function near(rand: Prng, v: string, up: boolean): string {
  const m = /^(\d+:)?(\d+)\.(\d+)(.*)-(\d+)(.*)$/.exec(v);
  if (m === null) return v;
  const minor = Number(m[3]) + (up ? rand.int(0, 2) : -rand.int(1, 3));
  return `${m[1] ?? ''}${m[2]}.${Math.max(0, minor)}${m[4]}-${rand.int(1, 9)}${rand.chance(0.5) ? `+deb12u${rand.int(1, 7)}` : ''}`;
}

/**
 * `packages` installed binary packages from about packages/2.5 source
 * packages, and `records` OSV records of which a third concern installed
 * sources (the rest name packages the host does not have, as real feeds do).
 */
export function syntheticHost(rand: Prng, packages: number, records: number): SyntheticHost {
  const stanzas: string[] = [];
  const installed: { source: string; version: string }[] = [];
  let n = 0;
  let s = 0;
  while (n < packages) {
    const source = `src-${s++}-${rand.hex(4)}`;
    const v = version(rand);
    installed.push({ source, version: v });
    const bins = Math.min(packages - n, rand.int(1, 4));
    for (let b = 0; b < bins; b++, n++) {
      const name = b === 0 ? source : `${source}-bin${b}`;
      const binNmu = rand.chance(0.05);
      const src = name === source && !binNmu ? '' : `Source: ${source}${binNmu ? ` (${v})` : ''}\n`;
      const deps = n > 5 ? `Depends: ${Array.from({ length: rand.int(0, 4) }, () => `src-${rand.int(0, s - 1)}`).join(', ')}\n` : '';
      stanzas.push(`Package: ${name}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\n${src}Version: ${binNmu ? `${v}+b1` : v}\n${deps}Description: synthetic package ${n}\n extended description line\n`);
    }
  }
  const osv: Record<string, unknown>[] = [];
  const cves: string[] = [];
  for (let i = 0; i < records; i++) {
    const hit = rand.chance(0.33) ? installed[rand.int(0, installed.length - 1)] : undefined;
    const name = hit?.source ?? `other-${rand.int(0, 40_000)}`;
    const fixed = hit === undefined ? version(rand) : near(rand, hit.version, rand.chance(0.15));
    const cve = `CVE-${rand.int(2015, 2025)}-${rand.int(1000, 99999)}`;
    cves.push(cve);
    const events = rand.chance(0.1) ? [{ introduced: '0' }, { last_affected: fixed }] : [{ introduced: '0' }, { fixed }];
    osv.push({
      schema_version: '1.6.0',
      id: `DSA-${100000 + i}-1`,
      modified: '2024-07-01T00:00:00Z',
      aliases: [cve],
      summary: `synthetic advisory ${i}`,
      affected: [{ package: { ecosystem: rand.chance(0.9) ? 'Debian:12' : 'Debian:11', name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
    });
  }
  const kev = cves.filter(() => rand.chance(0.01)).map((cveID) => ({ cveID, vendorProject: 'v', product: 'p', dateAdded: '2024-01-01', knownRansomwareCampaignUse: rand.chance(0.2) ? 'Known' : 'Unknown' }));
  const epss = ['#model_version:v2023.03.01,score_date:2024-07-01T00:00:00+0000', 'cve,epss,percentile', ...[...new Set(cves)].map((c) => `${c},${(rand.next() ** 6).toFixed(5)},${rand.next().toFixed(5)}`)];
  const listening = Array.from({ length: 12 }, (_, i) => ({ port: 1000 + i, address: rand.chance(0.5) ? '0.0.0.0' : '127.0.0.1', package: installed[rand.int(0, installed.length - 1)]?.source }));
  return { dpkgStatus: stanzas.join('\n'), osv, kevJson: JSON.stringify({ vulnerabilities: kev }), epssCsv: `${epss.join('\n')}\n`, listeningJson: JSON.stringify(listening), sources: installed.length };
}
