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

/** Reads named options, collecting every problem instead of stopping at the first. */
export interface OptionReader {
  /** Problems found so far (unknown options, missing values, bad counts). */
  readonly problems: string[];
  /** The option's text; a bare `--name` is reported as missing its value. */
  text(name: string): string | undefined;
  /** A count (see {@link parseCount}), or `fallback` when absent or invalid (then reported). */
  count(name: string, fallback: number): number;
}

/** An {@link OptionReader} over parsed arguments that accepts only `known` names and no positionals. */
export function optionReader(args: ParsedArgs, known: readonly string[]): OptionReader {
  const problems: string[] = [];
  const unknown = [...args.named.keys()].filter((k) => !known.includes(k));
  if (unknown.length > 0 || args.positional.length > 0) problems.push(`unexpected arguments: ${[...unknown.map((k) => `--${k}`), ...args.positional].join(' ')}`);
  const text = (name: string): string | undefined => {
    const value = args.named.get(name);
    if (value === true) problems.push(`--${name} needs a value`);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    problems,
    text,
    count(name, fallback) {
      const value = text(name);
      try {
        return value === undefined ? fallback : parseCount(value, name);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
        return fallback;
      }
    },
  };
}
