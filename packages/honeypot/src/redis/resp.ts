/** A parsed Redis command: name and arguments as raw bytes. */
export type RespCommand = Buffer[];

/** Outcome of feeding bytes: complete commands, or a protocol error after which the connection closes. */
export interface RespFeed {
  commands: RespCommand[];
  error?: string;
}

/** Incremental parser for client commands (RESP arrays of bulk strings, or inline commands). */
export interface RespParser {
  feed(chunk: Buffer): RespFeed;
}

const MAX_ARGS = 1024;

/**
 * Creates a parser that never buffers more than `maxCommandBytes`: a command whose declared or
 * actual size exceeds it is a protocol error, as Redis reports an oversized bulk length.
 */
export function createRespParser(maxCommandBytes: number): RespParser {
  let buffer: Buffer = Buffer.alloc(0);
  let failed = false;

  /** Parses one command at the start of `buffer`: [command, bytes used] or undefined if incomplete. */
  const parseOne = (): [RespCommand, number] | undefined | string => {
    if (buffer[0] !== 0x2a /* '*' */) {
      const nl = buffer.indexOf(0x0a);
      if (nl === -1) return buffer.length > maxCommandBytes ? 'Protocol error: too big inline request' : undefined;
      const line = buffer.subarray(0, nl).toString('latin1').replace(/\r$/, '');
      return [splitInline(line).map((a) => Buffer.from(a, 'latin1')), nl + 1];
    }
    const header = buffer.indexOf('\r\n');
    if (header === -1) return buffer.length > 64 ? 'Protocol error: invalid multibulk length' : undefined;
    const count = Number(buffer.subarray(1, header).toString('latin1'));
    if (!Number.isInteger(count) || count > MAX_ARGS) return 'Protocol error: invalid multibulk length';
    let offset = header + 2;
    const args: Buffer[] = [];
    for (let i = 0; i < count; i += 1) {
      if (offset >= buffer.length) return undefined;
      if (buffer[offset] !== 0x24 /* '$' */) return `Protocol error: expected '$', got '${String.fromCharCode(buffer[offset] ?? 0)}'`;
      const end = buffer.indexOf('\r\n', offset);
      if (end === -1) return buffer.length - offset > 32 ? 'Protocol error: invalid bulk length' : undefined;
      const len = Number(buffer.subarray(offset + 1, end).toString('latin1'));
      if (!Number.isInteger(len) || len < 0 || len > maxCommandBytes) return 'Protocol error: invalid bulk length';
      if (end + 2 + len + 2 > buffer.length) return undefined;
      args.push(Buffer.from(buffer.subarray(end + 2, end + 2 + len)));
      offset = end + 2 + len + 2;
    }
    return [args, offset];
  };

  return {
    feed(chunk) {
      if (failed) return { commands: [] };
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      const commands: RespCommand[] = [];
      for (;;) {
        if (buffer.length === 0) break;
        const parsed = parseOne();
        if (typeof parsed === 'string') {
          failed = true;
          buffer = Buffer.alloc(0);
          return { commands, error: parsed };
        }
        if (parsed === undefined) {
          if (buffer.length > maxCommandBytes) {
            failed = true;
            buffer = Buffer.alloc(0);
            return { commands, error: 'Protocol error: request too large' };
          }
          break;
        }
        const [command, used] = parsed;
        buffer = buffer.subarray(used);
        if (command.length > 0) commands.push(command);
      }
      return { commands };
    },
  };
}

/** Splits an inline command like redis-cli does: spaces separate, quotes group, `\xNN` decodes in double quotes. */
export function splitInline(line: string): string[] {
  const args: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    if (m[1] !== undefined) {
      args.push(m[1].replace(/\\x([0-9a-fA-F]{2})|\\(.)/g, (_s, hex: string | undefined, c: string | undefined) =>
        hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c ?? ''] ?? c ?? ''));
    } else args.push(m[2] ?? m[3] ?? '');
  }
  return args;
}

/** RESP encoders for replies. */
export const resp = {
  simple: (s: string): string => `+${s}\r\n`,
  error: (s: string): string => `-${s}\r\n`,
  integer: (n: number): string => `:${n}\r\n`,
  bulk: (s: string | null): string => (s === null ? '$-1\r\n' : `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`),
  array: (items: (string | null)[]): string => `*${items.length}\r\n${items.map((i) => resp.bulk(i)).join('')}`,
};
