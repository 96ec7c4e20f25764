/** Parsed command-line arguments: `--name value`, `--name=value`, bare `--flag`, and positionals. */
export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly named: ReadonlyMap<string, string | true>;
}

/** Splits argv (without node and script) into positionals and named options; `flags` never take a value. */
export function parseArgs(argv: readonly string[], flags: ReadonlySet<string>): ParsedArgs {
  const positional: string[] = [];
  const named = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (eq !== -1) named.set(name, arg.slice(eq + 1));
    else if (flags.has(name)) named.set(name, true);
    else {
      // A missing value is recorded as `true`; the caller reports it with its other problems.
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) named.set(name, true);
      else {
        named.set(name, value);
        i++;
      }
    }
  }
  return { positional, named };
}

/** A count such as `100000`, `100k`, `1m` or `1_000_000`. */
export function parseCount(text: string, name: string): number {
  const m = /^([0-9][0-9_]*(?:\.[0-9]+)?)([km]?)$/i.exec(text.trim());
  const unit = m?.[2]?.toLowerCase();
  const n = m === null ? Number.NaN : Number((m[1] ?? '').replaceAll('_', '')) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number (e.g. 100000, 100k, 1m), got "${text}"`);
  return n;
}
