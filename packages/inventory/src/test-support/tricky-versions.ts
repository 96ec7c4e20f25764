/**
 * Random but tricky Debian versions: epochs (some with leading zeros), `~`,
 * `+`, `.`, letters of both cases, leading zeros, hyphens inside the upstream
 * part, colons after an epoch, revisions and none. A small alphabet makes
 * near-equal and equal-by-value pairs (1.01 = 1.1) frequent.
 */
export function trickyDebianVersion(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const digits = ['0', '00', '1', '01', '2', '9', '10', '010', '99'];
  const alnum = [...digits, 'a', 'b', 'z', 'A', 'Z', 'rc', 'dfsg', 'deb12u'];
  const hasEpoch = rand() < 0.25;
  const hasRevision = rand() < 0.6;
  const seps = ['.', '.', '.', '+', '~', '~', ...(hasRevision ? ['-'] : []), ...(hasEpoch ? [':'] : [])];
  let upstream = pick(digits);
  const n = Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) upstream += (rand() < 0.7 ? pick(seps) : '') + pick(alnum);
  if (rand() < 0.15) upstream += '~';
  let revision = '';
  if (hasRevision) {
    const rseps = ['.', '+', '~'];
    revision = pick(alnum);
    const m = Math.floor(rand() * 3);
    for (let i = 0; i < m; i++) revision += (rand() < 0.7 ? pick(rseps) : '') + pick(alnum);
  }
  return `${hasEpoch ? `${pick(['0', '1', '2', '01'])}:` : ''}${upstream}${hasRevision ? `-${revision}` : ''}`;
}
