import { InputError } from '@waggle/errors';
import { POLICY_LIMITS, type PolicyNode } from './policy.js';

interface Token {
  readonly kind: 'word' | '(' | ')' | ',' | 'end';
  readonly text: string;
  readonly position: number;
}

const WORD_CHAR = /[A-Za-z0-9_.:-]/;
const KEYWORDS = new Set(['and', 'or', 'of']);

function fail(position: number, expected: string, found: Token | string): never {
  const what = typeof found === 'string' ? found : found.kind === 'end' ? 'end of policy' : `"${found.text}"`;
  throw new InputError(`policy: at position ${position}: expected ${expected} but found ${what}`, { field: 'policy', position, expected });
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch, text: ch, position: i });
      i += 1;
    } else if (WORD_CHAR.test(ch)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text.charAt(i))) i += 1;
      tokens.push({ kind: 'word', text: text.slice(start, i), position: start });
    } else {
      fail(i, 'an attribute, "(", ")", "," or a keyword', `the character "${ch}"`);
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

const isKeyword = (t: Token, word: string): boolean => t.kind === 'word' && t.text.toLowerCase() === word;

function flatten(type: 'and' | 'or', parts: PolicyNode[]): PolicyNode {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const children = parts.flatMap((p) => (p.type === type ? [...p.children] : [p]));
  return { type, children };
}

/**
 * Parses an access policy such as `(sector:energy AND country:BE) OR role:CERT`
 * or `2 of (a, b, c)`. `AND` binds tighter than `OR`; keywords are case-insensitive;
 * attribute names are case-sensitive. Throws `InputError` naming the position and
 * what was expected.
 */
export function parsePolicy(text: string): PolicyNode {
  if (text.length > POLICY_LIMITS.maxLength) {
    throw new InputError(`policy: longer than ${POLICY_LIMITS.maxLength} characters`, { field: 'policy' });
  }
  const tokens = tokenize(text);
  let pos = 0;
  let leaves = 0;
  const peek = (offset = 0): Token => tokens[Math.min(pos + offset, tokens.length - 1)] as Token;
  const next = (): Token => {
    const t = peek();
    pos += 1;
    return t;
  };
  const expect = (kind: Token['kind'], what: string): Token => {
    const t = peek();
    if (t.kind !== kind) fail(t.position, what, t);
    return next();
  };

  const parseOr = (depth: number): PolicyNode => {
    if (depth > POLICY_LIMITS.maxDepth) fail(peek().position, `at most ${POLICY_LIMITS.maxDepth} levels of nesting`, peek());
    const parts = [parseAnd(depth)];
    while (isKeyword(peek(), 'or')) {
      next();
      parts.push(parseAnd(depth));
    }
    return flatten('or', parts);
  };
  const parseAnd = (depth: number): PolicyNode => {
    const parts = [parsePrimary(depth)];
    while (isKeyword(peek(), 'and')) {
      next();
      parts.push(parsePrimary(depth));
    }
    return flatten('and', parts);
  };
  const parsePrimary = (depth: number): PolicyNode => {
    const t = peek();
    if (t.kind === '(') {
      next();
      const inner = parseOr(depth + 1);
      expect(')', '"AND", "OR" or ")"');
      return inner;
    }
    if (t.kind === 'word' && /^[0-9]+$/.test(t.text) && isKeyword(peek(1), 'of')) return parseThreshold(depth);
    if (t.kind !== 'word' || KEYWORDS.has(t.text.toLowerCase())) fail(t.position, 'an attribute, "(" or a threshold "K of (…)"', t);
    next();
    leaves += 1;
    if (leaves > POLICY_LIMITS.maxLeaves) fail(t.position, `at most ${POLICY_LIMITS.maxLeaves} attributes`, t);
    return { type: 'attribute', name: t.text };
  };
  const parseThreshold = (depth: number): PolicyNode => {
    const kToken = next();
    next(); // "of"
    expect('(', '"(" after "of"');
    const children = [parseOr(depth + 1)];
    while (peek().kind === ',') {
      next();
      children.push(parseOr(depth + 1));
    }
    const close = expect(')', '"," or ")"');
    const k = Number(kToken.text);
    if (k < 1 || k > children.length) {
      fail(kToken.position, `a threshold between 1 and ${children.length} (the number of operands)`, kToken);
    }
    if (children.length > POLICY_LIMITS.maxThresholdChildren) fail(close.position, `at most ${POLICY_LIMITS.maxThresholdChildren} operands`, close);
    return { type: 'threshold', k, children };
  };

  const policy = parseOr(0);
  const end = peek();
  if (end.kind !== 'end') fail(end.position, '"AND", "OR" or the end of the policy', end);
  return policy;
}
