import { canonicalPath, type Comparison } from '../mapping/comparison.js';
import { PatternSyntaxError, tokenize, type Token } from './pattern-lexer.js';

/** A literal of the pattern grammar. */
export type PatternLiteral =
  | { readonly kind: 'string' | 'timestamp' | 'hex' | 'binary'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'set'; readonly items: readonly PatternLiteral[] };

/** A comparison expression (inside `[...]`). */
export type ComparisonNode =
  | { readonly kind: 'test'; readonly object: string; readonly path: readonly string[]; readonly operator: string; readonly negated: boolean; readonly value: PatternLiteral }
  | { readonly kind: 'exists'; readonly object: string; readonly path: readonly string[] }
  | { readonly kind: 'and' | 'or'; readonly items: readonly ComparisonNode[] };

/** An observation expression, possibly with qualifiers (WITHIN, REPEATS, START/STOP). */
export type ObservationNode =
  | { readonly kind: 'observation'; readonly comparison: ComparisonNode; readonly qualified: boolean }
  | { readonly kind: 'and' | 'or' | 'followedby'; readonly items: readonly ObservationNode[]; readonly qualified: boolean };

const OPERATORS = new Set(['=', '==', '!=', '<', '<=', '>', '>=']);
const WORD_OPERATORS = new Set(['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

class Parser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[], private readonly length: number) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }
  private at(): number {
    return this.peek()?.at ?? this.length;
  }
  private isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === text;
  }
  private isWord(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && t.text.toUpperCase() === text;
  }
  private expectPunct(text: string): void {
    if (!this.isPunct(text)) throw new PatternSyntaxError(`expected "${text}"`, this.at());
    this.i++;
  }
  private expectWord(text: string): void {
    if (!this.isWord(text)) throw new PatternSyntaxError(`expected ${text}`, this.at());
    this.i++;
  }

  parse(): ObservationNode {
    const node = this.observations();
    if (this.peek() !== undefined) throw new PatternSyntaxError('unexpected text after the pattern', this.at());
    return node;
  }

  private chain(kind: 'followedby' | 'or' | 'and', word: string, next: () => ObservationNode): ObservationNode {
    const items = [next()];
    while (this.isWord(word)) {
      this.i++;
      items.push(next());
    }
    return items.length === 1 ? (items[0] as ObservationNode) : { kind, items, qualified: false };
  }

  private observations(): ObservationNode {
    return this.chain('followedby', 'FOLLOWEDBY', () => this.chain('or', 'OR', () => this.chain('and', 'AND', () => this.observation())));
  }

  private observation(): ObservationNode {
    let node: ObservationNode;
    if (this.isPunct('[')) {
      this.i++;
      node = { kind: 'observation', comparison: this.comparisonOr(), qualified: false };
      this.expectPunct(']');
    } else if (this.isPunct('(')) {
      this.i++;
      node = this.observations();
      this.expectPunct(')');
    } else {
      throw new PatternSyntaxError('expected "[" or "("', this.at());
    }
    let qualified = false;
    for (;;) {
      if (this.isWord('WITHIN')) {
        this.i++;
        this.number();
        this.expectWord('SECONDS');
      } else if (this.isWord('REPEATS')) {
        this.i++;
        this.number();
        this.expectWord('TIMES');
      } else if (this.isWord('START')) {
        this.i++;
        this.literal();
        this.expectWord('STOP');
        this.literal();
      } else break;
      qualified = true;
    }
    return qualified ? { ...node, qualified } : node;
  }

  private number(): number {
    const t = this.peek();
    if (t?.kind !== 'number') throw new PatternSyntaxError('expected a number', this.at());
    this.i++;
    return t.value;
  }

  private comparisonOr(): ComparisonNode {
    const items = [this.comparisonAnd()];
    while (this.isWord('OR')) {
      this.i++;
      items.push(this.comparisonAnd());
    }
    return items.length === 1 ? (items[0] as ComparisonNode) : { kind: 'or', items };
  }

  private comparisonAnd(): ComparisonNode {
    const items = [this.propertyTest()];
    while (this.isWord('AND')) {
      this.i++;
      items.push(this.propertyTest());
    }
    return items.length === 1 ? (items[0] as ComparisonNode) : { kind: 'and', items };
  }

  private propertyTest(): ComparisonNode {
    if (this.isPunct('(')) {
      this.i++;
      const inner = this.comparisonOr();
      this.expectPunct(')');
      return inner;
    }
    if (this.isWord('EXISTS')) {
      this.i++;
      return { kind: 'exists', ...this.objectPath() };
    }
    const { object, path } = this.objectPath();
    let negated = false;
    if (this.isWord('NOT')) {
      this.i++;
      negated = true;
    }
    const t = this.peek();
    let operator: string;
    if (t?.kind === 'punct' && OPERATORS.has(t.text)) operator = t.text === '==' ? '=' : t.text;
    else if (t?.kind === 'word' && WORD_OPERATORS.has(t.text.toUpperCase())) operator = t.text.toUpperCase();
    else throw new PatternSyntaxError('expected a comparison operator', this.at());
    this.i++;
    return { kind: 'test', object, path, operator, negated, value: operator === 'IN' ? this.set() : this.literal() };
  }

  private objectPath(): { object: string; path: string[] } {
    const type = this.peek();
    if (type?.kind !== 'word') throw new PatternSyntaxError('expected an object type', this.at());
    this.i++;
    this.expectPunct(':');
    const path = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.i++;
        path.push(this.pathName());
      } else if (this.isPunct('[')) {
        this.i++;
        const t = this.peek();
        if (t?.kind === 'number' && Number.isInteger(t.value)) path.push(`[${t.value}]`);
        else if (t?.kind === 'punct' && t.text === '*') path.push('[*]');
        else throw new PatternSyntaxError('expected a list index or *', this.at());
        this.i++;
        this.expectPunct(']');
      } else break;
    }
    return { object: type.text, path };
  }

  private pathName(): string {
    const t = this.peek();
    if (t?.kind !== 'word' && t?.kind !== 'string') throw new PatternSyntaxError('expected a property name', this.at());
    this.i++;
    return t.text;
  }

  private set(): PatternLiteral {
    this.expectPunct('(');
    const items = [this.literal()];
    while (this.isPunct(',')) {
      this.i++;
      items.push(this.literal());
    }
    this.expectPunct(')');
    return { kind: 'set', items };
  }

  private literal(): PatternLiteral {
    const t = this.peek();
    this.i++;
    if (t?.kind === 'string') return { kind: 'string', value: t.text };
    if (t?.kind === 'number') return { kind: 'number', value: t.value };
    if (t?.kind === 'typed') return { kind: t.prefix === 't' ? 'timestamp' : t.prefix === 'h' ? 'hex' : 'binary', value: t.text };
    if (t?.kind === 'word' && /^(true|false)$/i.test(t.text)) return { kind: 'boolean', value: t.text.toLowerCase() === 'true' };
    this.i--;
    throw new PatternSyntaxError('expected a literal', this.at());
  }
}

/** Parses a STIX 2.1 pattern; throws PatternSyntaxError when it does not follow the grammar. */
export function parsePattern(pattern: string): ObservationNode {
  return new Parser(tokenize(pattern), pattern.length).parse();
}

const MAX_ALTERNATIVES = 256;

function product(lists: readonly (readonly Comparison[][])[]): Comparison[][] | undefined {
  let out: Comparison[][] = [[]];
  for (const list of lists) {
    out = out.flatMap((prefix) => list.map((alt) => [...prefix, ...alt]));
    if (out.length > MAX_ALTERNATIVES) return undefined;
  }
  return out;
}

function comparisonAlternatives(node: ComparisonNode): Comparison[][] | undefined {
  switch (node.kind) {
    case 'test': {
      if (node.negated || (node.operator !== '=' && node.operator !== 'ISSUBSET')) return undefined;
      const v = node.value;
      if (v.kind !== 'string' && v.kind !== 'number' && v.kind !== 'boolean') return undefined;
      if (node.operator === 'ISSUBSET' && v.kind !== 'string') return undefined;
      return [[{ object: node.object, path: canonicalPath(node.path), operator: node.operator, value: v.value }]];
    }
    case 'exists':
      return undefined;
    case 'and':
    case 'or': {
      const parts = node.items.map(comparisonAlternatives);
      if (parts.some((p) => p === undefined)) return undefined;
      const lists = parts as Comparison[][][];
      return node.kind === 'or' ? lists.flat() : product(lists);
    }
  }
}

/**
 * The pattern as alternatives, each a list of equality comparisons that must
 * all hold (OR splits alternatives, AND joins comparisons). Undefined when the
 * pattern uses what has no attribute form: other operators, NOT, EXISTS,
 * qualifiers, FOLLOWEDBY, or non-scalar literals.
 */
export function patternAlternatives(node: ObservationNode): Comparison[][] | undefined {
  if (node.qualified) return undefined;
  switch (node.kind) {
    case 'observation':
      return comparisonAlternatives(node.comparison);
    case 'followedby':
      return undefined;
    case 'and':
    case 'or': {
      const parts = node.items.map(patternAlternatives);
      if (parts.some((p) => p === undefined)) return undefined;
      const lists = parts as Comparison[][][];
      return node.kind === 'or' ? lists.flat() : product(lists);
    }
  }
}
