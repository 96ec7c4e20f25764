import { spawnSync } from 'node:child_process';

/**
 * Same-machine anchors in Python (the language these datasets are usually read in): the standard
 * `csv` module parsing the same file and converting every numeric cell with float(), and ROC-AUC by
 * NumPy's argsort rank formula (what scikit-learn's roc_auc_score reduces to for binary labels).
 */
const CSV_ANCHOR = `
import csv, sys, time
t = time.perf_counter()
n = 0
with open(sys.argv[1], newline='', encoding='utf-8', errors='replace') as f:
    r = csv.reader(f)
    next(r)
    for row in r:
        for cell in row:
            try: float(cell)
            except ValueError: pass
        n += 1
print(n, time.perf_counter() - t)
`;

const AUC_ANCHOR = `
import sys, time
import numpy as np
n = int(sys.argv[1])
rng = np.random.default_rng(1)
labels = (rng.random(n) < 0.2).astype(np.int8)
scores = np.round(np.clip(rng.normal(0.3 + 0.4 * labels, 0.2), 0, 1), 4)
t = time.perf_counter()
order = np.argsort(scores, kind='mergesort')
s = scores[order]
ranks = np.empty(n)
# average ranks over ties
_, first, counts = np.unique(s, return_index=True, return_counts=True)
avg = first + (counts + 1) / 2.0
ranks[order] = np.repeat(avg, counts)
pos = labels.sum()
auc = (ranks[labels == 1].sum() - pos * (pos + 1) / 2) / (pos * (n - pos))
print(n, time.perf_counter() - t, auc)
`;

/** Runs an anchor script; undefined when python3 (or NumPy) is missing. */
function python(script: string, arg: string): { count: number; seconds: number } | undefined {
  const run = spawnSync('python3', ['-c', script, arg], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  const [count, seconds] = run.stdout.trim().split(/\s+/).map(Number);
  return count === undefined || seconds === undefined ? undefined : { count, seconds };
}

/** Python csv.reader + float() over a file: rows per second. */
export function pythonCsvRate(path: string): number | undefined {
  const r = python(CSV_ANCHOR, path);
  return r === undefined ? undefined : r.count / r.seconds;
}

/** NumPy rank ROC-AUC over n scores: milliseconds. */
export function numpyAucMs(n: number): number | undefined {
  const r = python(AUC_ANCHOR, String(n));
  return r === undefined ? undefined : r.seconds * 1000;
}
