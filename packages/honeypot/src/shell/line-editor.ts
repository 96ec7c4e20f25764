/** Result of feeding terminal input to the editor. */
export interface EditorOutput {
  /** Bytes to echo back to the terminal. */
  echo: string;
  /** Lines completed by Enter. */
  lines: string[];
  /** Ctrl-C pressed: the current line was dropped. */
  interrupted: boolean;
  /** Ctrl-D on an empty line. */
  eof: boolean;
}

/** A minimal terminal line discipline for interactive sessions (echo, backspace, ^C, ^D). */
export interface LineEditor {
  feed(data: string): EditorOutput;
  /** Whether typed characters are echoed (off while a password is typed). */
  echo: boolean;
  /** Input dropped because a line exceeded the cap. */
  readonly truncated: number;
}

/** Creates a line editor that keeps at most `maxLine` characters per line. */
export function createLineEditor(maxLine: number, initialEcho = true): LineEditor {
  let line = '';
  let echo = initialEcho;
  let truncated = 0;
  let escape = 0;
  let lastWasCr = false;
  return {
    feed(data) {
      const result: EditorOutput = { echo: '', lines: [], interrupted: false, eof: false };
      for (const ch of data) {
        // Drop ANSI escape sequences (arrow keys and the like): no line history editing.
        if (escape === 1) {
          escape = ch === '[' || ch === 'O' ? 2 : 0;
          continue;
        }
        if (escape === 2) {
          if (/[A-Za-z~]/.test(ch)) escape = 0;
          continue;
        }
        if (ch === '\x1b') {
          escape = 1;
          continue;
        }
        if (ch === '\n' && lastWasCr) {
          lastWasCr = false;
          continue;
        }
        lastWasCr = ch === '\r';
        if (ch === '\r' || ch === '\n') {
          result.lines.push(line);
          line = '';
          if (echo) result.echo += '\r\n';
        } else if (ch === '\x7f' || ch === '\b') {
          if (line.length > 0) {
            line = line.slice(0, -1);
            if (echo) result.echo += '\b \b';
          }
        } else if (ch === '\x03') {
          line = '';
          result.interrupted = true;
          if (echo) result.echo += '^C\r\n';
        } else if (ch === '\x04') {
          if (line === '') result.eof = true;
        } else if (ch === '\x15') {
          line = '';
        } else if (ch >= ' ' || ch === '\t') {
          if (line.length >= maxLine) {
            truncated += 1;
            continue;
          }
          line += ch;
          if (echo) result.echo += ch;
        }
      }
      return result;
    },
    get truncated() {
      return truncated;
    },
    get echo() {
      return echo;
    },
    set echo(value: boolean) {
      echo = value;
    },
  };
}
