import { InputError } from '@waggle/errors';

/** EPSS score of one CVE: probability of exploitation activity in the next 30 days, and its percentile. */
export interface EpssScore {
  readonly epss: number;
  readonly percentile: number;
}

/** A parsed EPSS CSV. */
export interface EpssScores {
  readonly modelVersion?: string;
  readonly scoreDate?: string;
  readonly scores: ReadonlyMap<string, EpssScore>;
}

/**
 * Parses FIRST's EPSS CSV: an optional `#model_version:…,score_date:…` line,
 * the header `cve,epss,percentile`, then one row per CVE.
 * @throws InputError for a missing header or bad rows (all listed, up to 20).
 */
export function parseEpssCsv(text: string): EpssScores {
  const lines = text.split(/\r?\n/);
  let modelVersion: string | undefined;
  let scoreDate: string | undefined;
  let n = 0;
  while (n < lines.length && (lines[n]?.startsWith('#') === true || lines[n]?.trim() === '')) {
    for (const part of (lines[n] as string).replace(/^#/, '').split(',')) {
      const [k, ...v] = part.split(':');
      if (k?.trim() === 'model_version') modelVersion = v.join(':').trim();
      if (k?.trim() === 'score_date') scoreDate = v.join(':').trim();
    }
    n++;
  }
  const header = (lines[n] ?? '').trim().toLowerCase().split(',').map((h) => h.trim());
  const [ci, ei, pi] = ['cve', 'epss', 'percentile'].map((h) => header.indexOf(h)) as [number, number, number];
  if (ci < 0 || ei < 0) throw new InputError(`EPSS CSV line ${n + 1}: expected the header "cve,epss,percentile"`, { line: n + 1 });
  const scores = new Map<string, EpssScore>();
  const problems: string[] = [];
  for (let i = n + 1; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const cols = line.split(',');
    const cve = cols[ci]?.trim() ?? '';
    const epss = Number(cols[ei]);
    const percentile = pi < 0 ? Number.NaN : Number(cols[pi]);
    if (!/^CVE-\d{4}-\d{4,}$/.test(cve) || cols[ei]?.trim() === '' || !(epss >= 0 && epss <= 1) || (pi >= 0 && !(percentile >= 0 && percentile <= 1))) {
      problems.push(`line ${i + 1}: "${line.slice(0, 60)}"`);
      continue;
    }
    scores.set(cve, { epss, percentile: pi < 0 ? Number.NaN : percentile });
  }
  if (problems.length > 0) {
    throw new InputError(`EPSS CSV has ${problems.length} bad row(s) (need CVE id, epss and percentile in [0,1]):\n${problems.slice(0, 20).join('\n')}`, { problems: problems.length });
  }
  return { ...(modelVersion !== undefined ? { modelVersion } : {}), ...(scoreDate !== undefined ? { scoreDate } : {}), scores };
}
