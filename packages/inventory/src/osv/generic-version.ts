const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Compares digit strings numerically without overflowing (leading zeros ignored). */
function compareDigits(x: string, y: string): number {
  const a = x.replace(/^0+/, '');
  const b = y.replace(/^0+/, '');
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Compares two dot components run by run: digit runs numerically, other runs
 * as text, a digit run above a letter run, and a component that is a prefix of
 * the other below it (openssl's 1.0.1 < 1.0.1a).
 */
function compareComponent(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [];
  const rb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    const x = ra[i];
    const y = rb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = compareDigits(x, y);
      if (d !== 0) return d;
    } else if (nx !== ny) return nx ? 1 : -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function compareDotted(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = compareComponent(pa[i] ?? '0', pb[i] ?? '0');
    if (d !== 0) return d;
  }
  return 0;
}

/** Semantic-version pre-release precedence: numeric identifiers below alphanumeric ones, fewer fields first. */
function comparePrerelease(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = compareDigits(x, y);
      if (d !== 0) return d;
    } else if (nx !== ny) return nx ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Orders versions of ecosystems without a comparison of their own here (npm,
 * PyPI, Go, …) in a SemVer-like way that also copes with non-SemVer strings:
 * a leading `v` and `+build` metadata are ignored, dot components compare
 * numerically (missing ones count as 0), and a `-pre-release` sorts before the
 * release. Never throws: anything comparable by text is compared.
 */
export function compareGenericVersions(a: string, b: string): -1 | 0 | 1 {
  const norm = (v: string): [string, string | undefined] => {
    const s = v.trim().replace(/^[vV](?=\d)/, '').replace(/\+.*$/, '');
    const dash = s.indexOf('-');
    return dash < 0 ? [s, undefined] : [s.slice(0, dash), s.slice(dash + 1)];
  };
  const [ca, pa] = norm(a);
  const [cb, pb] = norm(b);
  const d = compareDotted(ca, cb);
  if (d !== 0) return sign(d);
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
  return sign(comparePrerelease(pa, pb));
}
