import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** A place in the policy text, 1-based as editors show it. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

type PathSegment = string | number;

function scalarKey(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}

/**
 * Where the node at `path` starts in the text, or the deepest existing
 * ancestor when the path goes past what the document holds (a missing
 * property is reported at the object that lacks it). With `keyOf`, the
 * position of that key inside the map at `path` (for unknown keys).
 */
export function positionOf(doc: Document, counter: LineCounter, path: readonly PathSegment[], keyOf?: string): TextPosition {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  const segments: PathSegment[] = keyOf === undefined ? [...path] : [...path, keyOf];
  for (const [index, segment] of segments.entries()) {
    const wantKey = keyOf !== undefined && index === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => String(scalarKey(item.key)) === String(segment));
      if (pair === undefined) break;
      const target = wantKey ? pair.key : pair.value;
      const range = (target as Node | null)?.range ?? (pair.key as Node | null)?.range;
      if (range !== undefined && range !== null) offset = range[0];
      node = target;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item?.range === undefined || item.range === null) break;
      offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}

/** `recipients[0].rules[2].action` for a zod/validation path. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(document)' : out;
}
