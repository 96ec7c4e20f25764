import { defaultCategory, defaultToIds, validateAttributeValue } from '@waggle/misp';
import { resolveIndicatorType, type ResolveOptions } from './resolve-indicator-type.js';

/** One indicator found in text, ready to become a MISP attribute. */
export interface ExtractedIndicator {
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly comment?: string;
}

/** Options of {@link extractIndicators}. */
export interface ExtractOptions extends ResolveOptions {
  /** Tokens matching this are skipped (MISP's `excluderegex` feed setting). */
  readonly excludeRegex?: RegExp;
  /** Keep only indicators of these MISP types. */
  readonly includeTypes?: readonly string[];
  /** Longer tokens are ignored, which bounds the work per token (default 4096). */
  readonly maxTokenLength?: number;
}

const SEPARATORS = /[\s,;<>]+/u;
const QUOTED = /"([^"]+)"/g;
// PHP's trim() set plus the characters MISP adds for freetext.
const TRIMMED = new Set(['\'', '"', '.', ',', '(', ')', ' ', '\t', '\n', '\r', '\0', '\x0B']);
const MAX_REMEMBERED = 100_000;
// The only lengths at which a token made of letters alone can be an indicator (hex digests).
const HEX_LENGTHS = new Set([32, 40, 56, 64, 96, 128]);

/**
 * Finds indicators in free text like MISP's freetext import: the text is cut at
 * whitespace, commas, semicolons and angle brackets (quoted runs are tried as a
 * whole as well), each token is trimmed of quotes, brackets and trailing dots,
 * refanged and typed (see `resolveIndicatorType`), then validated and
 * normalised with `validateAttributeValue`. Category and `to_ids` are MISP's
 * defaults for the type. Values are de-duplicated, first occurrence wins.
 */
export function extractIndicators(text: string, options: ExtractOptions = {}): ExtractedIndicator[] {
  const maxLength = options.maxTokenLength ?? 4096;
  const include = options.includeTypes === undefined ? undefined : new Set(options.includeTypes);
  const found = new Map<string, ExtractedIndicator>();
  // Texts repeat their indicators; typing and validating each distinct token once keeps 10 MB fast.
  const seen = new Map<string, ExtractedIndicator | null>();
  const cleaned = text.replace(/[\p{C}\u00a0]+/gu, ' ');
  const consider = (token: string): void => {
    const candidate = trimToken(token);
    if (candidate === '' || candidate.length > maxLength || isPlainWord(candidate)) return;
    if (options.excludeRegex) {
      options.excludeRegex.lastIndex = 0;
      if (options.excludeRegex.test(candidate)) return;
    }
    let indicator = seen.get(candidate);
    if (indicator === undefined) {
      indicator = toIndicator(candidate, options) ?? null;
      if (seen.size < MAX_REMEMBERED) seen.set(candidate, indicator);
    }
    if (!indicator || found.has(indicator.value)) return;
    if (include && !include.has(indicator.type)) return;
    found.set(indicator.value, indicator);
  };
  for (const token of cleaned.split(SEPARATORS)) consider(token);
  for (const match of cleaned.matchAll(QUOTED)) {
    const quoted = match[1] ?? '';
    if (quoted.length <= maxLength && SEPARATORS.test(quoted)) consider(quoted);
  }
  return [...found.values()];
}

/** Types and validates one candidate value; undefined when it is not an indicator MISP would accept. */
export function toIndicator(candidate: string, options: ResolveOptions = {}): ExtractedIndicator | undefined {
  const resolved = resolveIndicatorType(candidate, options);
  if (!resolved) return undefined;
  const verdict = validateAttributeValue(resolved.type, resolved.value);
  if (!verdict.ok) return undefined;
  const base = {
    type: resolved.type,
    category: defaultCategory(resolved.type) ?? 'Other',
    value: verdict.value,
    to_ids: defaultToIds(resolved.type) ?? false,
  };
  return resolved.comment === undefined ? base : { ...base, comment: resolved.comment };
}

function trimToken(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && TRIMMED.has(token[start] as string)) start++;
  while (end > start && TRIMMED.has(token[end - 1] as string)) end--;
  return start === 0 && end === token.length ? token : token.slice(start, end);
}

// Most tokens of prose are words; skipping them early keeps 10 MB texts fast.
function isPlainWord(token: string): boolean {
  if (!/^[A-Za-z]+$/.test(token)) return false;
  return !(HEX_LENGTHS.has(token.length) && /^[a-f]+$/i.test(token));
}
