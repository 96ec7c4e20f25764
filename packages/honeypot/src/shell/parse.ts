/** One simple command with its redirections. */
export interface SimpleCommand {
  argv: string[];
  /** `> file` / `>> file` targets, in order; the last one wins, like a shell. */
  redirects: { path: string; append: boolean }[];
}

/** Commands joined by `|`. */
export type Pipeline = SimpleCommand[];

/** A pipeline and how it chains to the previous one. */
export interface ChainedPipeline {
  /** How this pipeline is joined to the previous one (`;` for the first). */
  op: ';' | '&&' | '||';
  pipeline: Pipeline;
}

/**
 * Parses a command line with shell quoting (`'…'`, `"…"`, `\`), `;`, `&&`, `||`, `|`, `&`,
 * and `>`/`>>` redirections. Nothing is expanded or executed: the honeypot interprets the
 * result with emulated commands. Unbalanced quotes are closed at the end of the line.
 */
export function parseCommandLine(line: string): ChainedPipeline[] {
  const result: ChainedPipeline[] = [];
  let op: ChainedPipeline['op'] = ';';
  let pipeline: Pipeline = [];
  let command: SimpleCommand = { argv: [], redirects: [] };
  let word = '';
  let inWord = false;
  let pendingRedirect: boolean | undefined;

  const endWord = (): void => {
    if (!inWord) return;
    if (pendingRedirect !== undefined) {
      command.redirects.push({ path: word, append: pendingRedirect });
      pendingRedirect = undefined;
    } else {
      command.argv.push(word);
    }
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (command.argv.length > 0 || command.redirects.length > 0) pipeline.push(command);
    command = { argv: [], redirects: [] };
  };
  const endPipeline = (next: ChainedPipeline['op']): void => {
    endCommand();
    if (pipeline.length > 0) result.push({ op, pipeline });
    pipeline = [];
    op = next;
  };

  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    const next = line[i + 1];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word += end === -1 ? line.slice(i + 1) : line.slice(i + 1, end);
      inWord = true;
      i = end === -1 ? line.length : end;
    } else if (c === '"') {
      inWord = true;
      for (i += 1; i < line.length && line[i] !== '"'; i += 1) {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) i += 1;
        word += line[i];
      }
    } else if (c === '\\') {
      if (next !== undefined) word += next;
      inWord = true;
      i += 1;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === ';' || c === '\n') {
      endPipeline(';');
    } else if (c === '&' && next === '&') {
      endPipeline('&&');
      i += 1;
    } else if (c === '|' && next === '|') {
      endPipeline('||');
      i += 1;
    } else if (c === '|') {
      endCommand();
    } else if (c === '&') {
      // Background jobs run in the foreground here: output order is all the attacker sees.
      endPipeline(';');
    } else if (c === '>') {
      // `2>` / `1>` name a descriptor, not an argument; `>&1` duplicates one and names no file.
      if (inWord && (word === '1' || word === '2')) {
        word = '';
        inWord = false;
      }
      endWord();
      if (next === '&') {
        i += 1;
        while (i + 1 < line.length && /[0-9-]/.test(line[i + 1] as string)) i += 1;
        continue;
      }
      pendingRedirect = next === '>';
      if (pendingRedirect) i += 1;
    } else if (c === '<') {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  endPipeline(';');
  return result;
}
