import { InputError } from '@waggle/errors';

/** Label values that mean benign traffic (compared trimmed, case-insensitive, trailing dot dropped). */
const BENIGN_LABELS: ReadonlySet<string> = new Set(['benign', 'normal', '0', '0.0']);

function canonical(raw: string): string {
  return raw.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * The ground-truth label of a dataset row: 0 for benign/normal (`BENIGN`, `normal`, `Normal.`, `0`),
 * 1 for anything else. An empty label is an {@link InputError}: a row without ground truth cannot be
 * used for training or evaluation.
 */
export function labelOf(raw: string): 0 | 1 {
  const value = canonical(raw);
  if (value === '') throw new InputError('the label is empty', { field: 'label' });
  return BENIGN_LABELS.has(value) ? 0 : 1;
}

/**
 * Canonical attack-class name: `benign` for benign labels; otherwise the name with the characters
 * mis-decoded from CIC-IDS2017's Windows-1252 en dash (U+FFFD, en/em dash) turned into `-` and
 * whitespace collapsed, so `Web Attack � Brute Force` becomes `Web Attack - Brute Force`.
 */
export function attackTypeOf(raw: string): string {
  if (BENIGN_LABELS.has(canonical(raw))) return 'benign';
  return raw
    .replace(/[\uFFFD\u2013\u2014]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\.$/, '');
}
