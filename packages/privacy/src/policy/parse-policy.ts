import { InputError } from '@waggle/errors';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { checkPolicy, type PathProblem } from './policy-checks.js';
import { policySchema, type Policy } from './policy-schema.js';
import { formatPath, positionOf, type TextPosition } from './yaml-positions.js';

/** The two spellings of a policy; the structure is the same. */
export type PolicyFormat = 'yaml' | 'json';

/** One reason a policy was rejected, with where it is. */
export interface PolicyProblem extends TextPosition {
  /** `recipients[0].rules[2].action.prefix`, or `(document)`. */
  readonly path: string;
  readonly message: string;
}

function zodProblems(issues: readonly z.core.$ZodIssue[]): (PathProblem & { keyOf?: string })[] {
  const out: (PathProblem & { keyOf?: string })[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path, keyOf: key, message: `unknown key '${key}'` });
    } else if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'technique') {
      const options = 'options' in issue && Array.isArray(issue.options) ? (issue.options as unknown[]) : [];
      out.push({ path, message: `unknown technique; expected one of ${options.map(String).join(', ')}` });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

function jsonSyntaxProblem(text: string): PolicyProblem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at === null ? 0 : Number(at[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return { line, column, path: '(document)', message: `not valid JSON: ${message}` };
  }
}

function reject(source: string | undefined, problems: PolicyProblem[]): never {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
  const where = source === undefined ? 'policy' : `policy ${source}`;
  const lines = sorted.map((p) => `  line ${p.line}: ${p.path}: ${p.message} (column ${p.column})`);
  throw new InputError(`Invalid ${where}: ${sorted.length} problem${sorted.length === 1 ? '' : 's'}\n${lines.join('\n')}`, { field: 'policy', problems: sorted });
}

/**
 * Parses and validates a policy written in YAML or JSON. Every problem —
 * syntax, unknown keys, wrong types, unknown techniques, undeclared key
 * names, out-of-range parameters, unknown MISP types — is collected and
 * thrown together as one `InputError` whose message has one `line N: …`
 * entry per problem (and whose `details.problems` lists them). `source`
 * (a file name) only labels the message.
 */
export function parsePolicy(text: string, format: PolicyFormat = 'yaml', source?: string): Policy {
  if (format === 'json') {
    const syntax = jsonSyntaxProblem(text);
    if (syntax !== undefined) reject(source, [syntax]);
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    reject(
      source,
      doc.errors.map((error) => {
        const pos = counter.linePos(error.pos[0]);
        return { line: pos.line, column: pos.col, path: '(document)', message: error.message.split('\n')[0] ?? error.message };
      }),
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const located: PolicyProblem[] = [];
  const locate = (problem: PathProblem & { keyOf?: string }): void => {
    located.push({ ...positionOf(doc, counter, problem.path, problem.keyOf), path: formatPath(problem.keyOf === undefined ? problem.path : [...problem.path, problem.keyOf]), message: problem.message });
  };
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) zodProblems(parsed.error.issues).forEach(locate);
  checkPolicy(raw).forEach(locate);
  if (!parsed.success || located.length > 0) reject(source, located);
  return parsed.data;
}
