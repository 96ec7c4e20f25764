import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** One line of input with its 1-based number. */
export interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

/**
 * Reads a stream line by line (LF or CRLF) without holding more than one line
 * in memory. A last line without a newline is still yielded: a parser sees it
 * and reports it as truncated if it is incomplete.
 */
export async function* readLines(input: Readable): AsyncGenerator<NumberedLine> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line += 1;
      yield { line, text };
    }
  } finally {
    rl.close();
  }
}
