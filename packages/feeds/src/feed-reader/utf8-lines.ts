import { InputError } from '@waggle/errors';

/** Decodes UTF-8 strictly; a broken byte sequence is an InputError naming `where`. */
export function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${where} is not valid UTF-8 text.`);
  }
}

/** Splits streamed UTF-8 bytes into lines without their "\n" or "\r\n". */
export async function* utf8Lines(chunks: AsyncIterable<Uint8Array>, where: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      throw new InputError(`${where} is not valid UTF-8 text.`);
    }
  };
  for await (const chunk of chunks) {
    const lines = (rest + decode(chunk)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) yield line.endsWith('\r') ? line.slice(0, -1) : line;
  }
  rest += decode();
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}
