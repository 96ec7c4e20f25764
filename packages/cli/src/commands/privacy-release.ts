import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ForbiddenError, InputError } from '@waggle/errors';
import {
  anonymizeTable,
  createBudgetLedger,
  createJsonFileBudgetStore,
  cryptoRandomSource,
  discreteLaplaceErrorBound,
  positiveRational,
  releaseHistogram,
  type QiKind,
  type QiSpec,
} from '@waggle/privacy';

type Format = 'csv' | 'jsonl';

interface KanonOpts {
  k: string;
  l?: string;
  diversity?: string;
  qi: string;
  sensitive?: string;
  drop?: string;
  format?: string;
  hierarchy: string[];
}

interface DpCountOpts {
  epsilon: string;
  sensitivity: string;
  clamp?: boolean;
  budget?: string;
  recipient?: string;
  limit?: string;
  purpose: string;
}

async function readStdin(): Promise<string> {
  process.stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

/** RFC 4180 records: quoted fields with doubled quotes and line breaks inside; CRLF or LF; blank lines skipped. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let touched = false;
  const endRecord = (): void => {
    if (touched || fields.length > 0) records.push([...fields, field]);
    fields = [];
    field = '';
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (ch === '"') {
      quoted = true;
      touched = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      touched = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += ch;
      touched = true;
    }
  }
  if (quoted) throw new InputError('CSV input ends inside a quoted field', { field: 'stdin' });
  endRecord();
  return records;
}

function csvField(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Reads the table: CSV with a header line, or one JSON object per line; `auto` looks at the first character. */
function readTable(text: string, format: Format | 'auto'): { rows: Record<string, unknown>[]; format: Format } {
  const f: Format = format !== 'auto' ? format : text.trimStart().startsWith('{') ? 'jsonl' : 'csv';
  if (f === 'jsonl') {
    const rows = text.split(/\r?\n/).flatMap((line, i) => {
      if (line.trim() === '') return [];
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        throw new InputError(`line ${i + 1}: not JSON`, { field: 'stdin' });
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(`line ${i + 1}: expected a JSON object`, { field: 'stdin' });
      return [v as Record<string, unknown>];
    });
    return { rows, format: f };
  }
  const [header, ...records] = parseCsv(text);
  if (header === undefined) return { rows: [], format: f };
  const rows = records.map((rec, i) => {
    if (rec.length !== header.length) throw new InputError(`CSV record ${i + 2}: ${rec.length} fields, the header has ${header.length}`, { field: 'stdin' });
    return Object.fromEntries(header.map((h, j) => [h, rec[j]]));
  });
  return { rows, format: f };
}

const KINDS: readonly QiKind[] = ['numeric', 'timestamp', 'ip', 'categorical'];

/** A hierarchy file: one JSON object mapping each value to its parent. */
function readHierarchy(file: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`--hierarchy ${file}: ${error instanceof Error ? error.message : String(error)}`, { field: 'hierarchy' });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !Object.values(json).every((v) => typeof v === 'string')) {
    throw new InputError(`--hierarchy ${file}: expected a JSON object mapping each value to its parent`, { field: 'hierarchy' });
  }
  return json as Record<string, string>;
}

/** `col:kind[,col:kind…]`, plus `col=file.json` hierarchies for categorical columns. */
function parseQis(spec: string, hierarchies: readonly string[]): QiSpec[] {
  const files = new Map<string, string>();
  for (const h of hierarchies) {
    const at = h.indexOf('=');
    if (at <= 0) throw new InputError(`--hierarchy "${h}": expected col=file.json`, { field: 'hierarchy' });
    files.set(h.slice(0, at), h.slice(at + 1));
  }
  const qis = spec.split(',').map((part): QiSpec => {
    const at = part.lastIndexOf(':');
    const column = part.slice(0, at).trim();
    const kind = part.slice(at + 1).trim() as QiKind;
    if (at <= 0 || !KINDS.includes(kind)) throw new InputError(`--qi "${part}": expected col:kind with kind one of ${KINDS.join(', ')}`, { field: 'qi' });
    const file = files.get(column);
    if (file === undefined) return { column, kind };
    files.delete(column);
    return { column, kind, hierarchy: readHierarchy(file) };
  });
  if (files.size > 0) throw new InputError(`--hierarchy for ${[...files.keys()].join(', ')}, which is not a --qi column`, { field: 'hierarchy' });
  return qis;
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new InputError(`${flag} must be a whole number (got "${value}")`, { field: flag });
  return Number(value);
}

async function runKanon(opts: KanonOpts): Promise<void> {
  const format = opts.format ?? 'auto';
  if (format !== 'auto' && format !== 'csv' && format !== 'jsonl') throw new InputError(`--format must be csv or jsonl (got "${format}")`, { field: 'format' });
  const quasiIdentifiers = parseQis(opts.qi, opts.hierarchy);
  const table = readTable(await readStdin(), format);
  const l = integer(opts.l, '--l');
  const result = anonymizeTable(table.rows, {
    quasiIdentifiers,
    k: integer(opts.k, '--k') as number,
    ...(opts.sensitive === undefined ? {} : { sensitive: opts.sensitive }),
    ...(l === undefined ? {} : { l }),
    ...(opts.diversity === undefined ? {} : { diversity: opts.diversity as 'distinct' | 'entropy' }),
    ...(opts.drop === undefined ? {} : { suppress: opts.drop.split(',').map((c) => c.trim()) }),
  });
  const lines =
    table.format === 'jsonl'
      ? result.rows.map((r) => JSON.stringify(r))
      : [result.columns.map(csvField).join(','), ...result.rows.map((r) => result.columns.map((c) => csvField(r[c] ?? null)).join(','))];
  process.stdout.write(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  process.stderr.write(`classes: ${result.classes}, rows released: ${result.rows.length}, suppressed rows: ${result.suppressedRows}, NCP: ${result.ncp.toFixed(4)}\n`);
}

/** `label,count` or bare-count lines; `#` comments and blank lines skipped. */
function parseCounts(text: string): { label: string | undefined; count: number }[] {
  const seen = new Set<string>();
  return text.split(/\r?\n/).flatMap((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return [];
    const at = line.lastIndexOf(',');
    const label = at < 0 ? undefined : line.slice(0, at).trim();
    const value = (at < 0 ? line : line.slice(at + 1)).trim();
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InputError(`line ${i + 1}: "${value}" is not a count (a whole number ≥ 0)`, { field: 'stdin' });
    const key = label ?? `#${i}`;
    // Bins must be disjoint for the histogram's ε to hold; a repeated label means they are not.
    if (label !== undefined && seen.has(key)) throw new InputError(`line ${i + 1}: label "${label}" appears twice`, { field: 'stdin' });
    seen.add(key);
    return [{ label, count: Number(value) }];
  });
}

async function runDpCount(opts: DpCountOpts): Promise<void> {
  const epsilon = positiveRational(opts.epsilon, 'epsilon');
  const sensitivity = integer(opts.sensitivity, '--sensitivity') as number;
  const budgeted = [opts.budget, opts.recipient, opts.limit].filter((x) => x !== undefined).length;
  if (budgeted !== 0 && budgeted !== 3) throw new InputError('--budget, --recipient and --limit go together', { field: 'budget' });
  const counts = parseCounts(await readStdin());
  if (sensitivity < 1) throw new InputError('--sensitivity must be at least 1', { field: '--sensitivity' });
  // Everything is checked before the budget is charged: a bad line must not cost ε.
  const bound = discreteLaplaceErrorBound(epsilon, sensitivity, 0.95);
  const bins = Object.fromEntries(counts.map((c, i) => [String(i), c.count]));
  let note = '';
  if (opts.budget !== undefined && opts.recipient !== undefined && opts.limit !== undefined) {
    const ledger = createBudgetLedger({ store: createJsonFileBudgetStore(opts.budget), now: () => new Date(), limits: { [opts.recipient]: opts.limit } });
    try {
      const charge = await ledger.charge(opts.recipient, epsilon, opts.purpose);
      note = `, budget of ${opts.recipient}: ${charge.spent.toString()} of ${charge.limit.toString()} spent`;
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      process.stderr.write(`waggle: ${error.message}; nothing released\n`);
      process.exitCode = 3;
      return;
    }
  }
  const released = releaseHistogram(bins, { epsilon, sensitivity, clampAtZero: opts.clamp === true }, { random: cryptoRandomSource() });
  const lines = counts.map((c, i) => {
    const v = String(released.values[String(i)]);
    return c.label === undefined ? v : `${c.label},${v}`;
  });
  process.stdout.write(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  process.stderr.write(`${counts.length} counts released with discrete Laplace, ε ${epsilon.toString()}, sensitivity ${sensitivity}: within ±${bound} of the truth with 95% probability each${note}\n`);
}

/** Adds `waggle privacy kanon` and `waggle privacy dp-count` (the `privacy` group is shared with other privacy commands). */
export function registerPrivacyReleaseCommands(program: Command): void {
  const privacy = program.commands.find((c) => c.name() === 'privacy') ?? program.command('privacy').description('anonymise what waggle shares');
  privacy
    .command('kanon')
    .description('k-anonymise a table (CSV with header, or JSON lines) from stdin with Mondrian; writes the same format to stdout, a summary to stderr')
    .requiredOption('--k <n>', 'every released class has at least n rows (≥ 2)')
    .requiredOption('--qi <col:kind,…>', 'quasi-identifiers; kind is numeric, timestamp, ip or categorical')
    .option('--l <n>', 'l-diversity of the sensitive column in every class')
    .option('--diversity <kind>', 'distinct (default) or entropy')
    .option('--sensitive <col>', 'the sensitive column')
    .option('--drop <col,…>', 'direct identifiers to leave out')
    .option('--hierarchy <col=file.json>', 'generalisation hierarchy (value → parent) of a categorical column; repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--format <format>', 'csv or jsonl (default: guessed from the input)')
    .action(async (opts: KanonOpts) => runKanon(opts));
  privacy
    .command('dp-count')
    .description('release counts (`label,count` or bare count lines on stdin) with ε-differential privacy (exact discrete Laplace noise)')
    .requiredOption('--epsilon <e>', 'privacy parameter ε for the whole set of counts, e.g. 0.5 or 1/3')
    .option('--sensitivity <n>', 'how much one contributor can change the counts in total (L1)', '1')
    .option('--clamp', 'report negative noisy counts as 0')
    .option('--budget <file>', 'JSON privacy-budget ledger to charge ε to (created if missing)')
    .option('--recipient <name>', 'whom the release is for (with --budget)')
    .option('--limit <e>', 'total ε the recipient may receive (with --budget)')
    .option('--purpose <text>', 'recorded in the ledger', 'dp-count')
    .action(async (opts: DpCountOpts) => runDpCount(opts));
}
