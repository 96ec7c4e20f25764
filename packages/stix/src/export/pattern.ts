import type { Comparison } from '../mapping/comparison.js';
import { isIndexStep } from '../mapping/comparison.js';

const BARE_STEP = /^[a-z_][a-z0-9_]*$/i;

/** A string literal of the STIX pattern grammar: quoted with `'`, with `\` and `'` escaped. */
export function quoteString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function renderPath(object: string, path: readonly string[]): string {
  let out = `${object}:`;
  path.forEach((step, i) => {
    if (isIndexStep(step)) out += step;
    else out += `${i === 0 ? '' : '.'}${BARE_STEP.test(step) ? step : quoteString(step)}`;
  });
  return out;
}

function renderValue(value: Comparison['value']): string {
  return typeof value === 'string' ? quoteString(value) : String(value);
}

/** `object:path op value`. */
export function renderComparison(c: Comparison): string {
  return `${renderPath(c.object, c.path)} ${c.operator} ${renderValue(c.value)}`;
}

/**
 * A pattern over `comparisons`: one observation expression per object type
 * (STIX requires the comparisons ANDed inside brackets to be about one
 * object), the observation expressions joined with AND. Object types appear in
 * the order they first occur.
 */
export function renderPattern(comparisons: readonly Comparison[]): string {
  const groups = new Map<string, Comparison[]>();
  for (const c of comparisons) {
    const group = groups.get(c.object);
    if (group) group.push(c);
    else groups.set(c.object, [c]);
  }
  return [...groups.values()].map((group) => `[${group.map(renderComparison).join(' AND ')}]`).join(' AND ');
}
