/** A token of the STIX pattern grammar. */
export type Token =
  | { readonly kind: 'punct'; readonly text: string; readonly at: number }
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'typed'; readonly prefix: 't' | 'h' | 'b'; readonly text: string; readonly at: number }
  | { readonly kind: 'number'; readonly value: number; readonly at: number };

/** Why a pattern could not be read, with the position. */
export class PatternSyntaxError extends Error {
  constructor(message: string, readonly at: number) {
    super(`${message} at position ${at}`);
    this.name = 'PatternSyntaxError';
  }
}

const PUNCT = ['<=', '>=', '!=', '==', '=', '<', '>', '[', ']', '(', ')', ',', ':', '.', '*'];

function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\\') {
      const next = text[i + 1];
      // The grammar allows only \' and \\ as escapes inside string literals.
      if (next !== "'" && next !== '\\') throw new PatternSyntaxError('invalid escape in string literal', i);
      value += next;
      i += 2;
    } else if (ch === "'") {
      return { value, end: i + 1 };
    } else {
      value += ch;
      i++;
    }
  }
  throw new PatternSyntaxError('unterminated string literal', start);
}

/** Splits a STIX pattern into tokens. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      const q = readQuoted(text, i);
      tokens.push({ kind: 'string', text: q.value, at: i });
      i = q.end;
      continue;
    }
    if ((ch === 't' || ch === 'h' || ch === 'b') && text[i + 1] === "'") {
      const q = readQuoted(text, i + 1);
      tokens.push({ kind: 'typed', prefix: ch, text: q.value, at: i });
      i = q.end;
      continue;
    }
    const number = /^[-+]?\d+(\.\d+)?/.exec(text.slice(i));
    if (number !== null && (ch !== '-' && ch !== '+' ? true : tokens.at(-1)?.kind === 'punct')) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const word = /^[a-zA-Z_][a-zA-Z0-9_-]*/.exec(text.slice(i));
    if (word !== null) {
      tokens.push({ kind: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (punct === undefined) throw new PatternSyntaxError(`unexpected character "${ch}"`, i);
    tokens.push({ kind: 'punct', text: punct, at: i });
    i += punct.length;
  }
  return tokens;
}
