/** Splits a byte stream into lines with a hard cap on what it buffers. */
export interface LineBuffer {
  /** Feeds bytes; returns the complete lines (without CR/LF), cut to the cap. */
  push(chunk: Buffer): string[];
  /** Lines cut because they exceeded the cap, so far. */
  readonly truncated: number;
}

/**
 * Creates a line splitter that never holds more than `maxBytes`: an over-long line is cut to
 * `maxBytes` and the rest up to the next newline is dropped (counted in `truncated`).
 */
export function createLineBuffer(maxBytes: number): LineBuffer {
  let parts: Buffer[] = [];
  let size = 0;
  let discarding = false;
  let truncated = 0;
  return {
    push(chunk) {
      const lines: string[] = [];
      let start = 0;
      for (let i = 0; i < chunk.length; i += 1) {
        if (chunk[i] !== 0x0a) continue;
        append(chunk.subarray(start, i));
        let line = Buffer.concat(parts, size).toString('utf8');
        if (line.endsWith('\r')) line = line.slice(0, -1);
        lines.push(line);
        parts = [];
        size = 0;
        discarding = false;
        start = i + 1;
      }
      append(chunk.subarray(start));
      return lines;
    },
    get truncated() {
      return truncated;
    },
  };
  function append(bytes: Buffer): void {
    if (bytes.length === 0 || discarding) return;
    const room = maxBytes - size;
    if (bytes.length > room) {
      parts.push(Buffer.from(bytes.subarray(0, room)));
      size += room;
      discarding = true;
      truncated += 1;
      return;
    }
    parts.push(Buffer.from(bytes));
    size += bytes.length;
  }
}
