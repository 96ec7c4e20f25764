import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * Sends an async sequence of text chunks as the response body. Memory stays
 * bounded: chunks are produced only as fast as the client reads them.
 */
export function sendStream(reply: FastifyReply, contentType: string, chunks: AsyncIterable<string>): FastifyReply {
  void reply.header('content-type', contentType);
  return reply.send(Readable.from(yieldingToOthers(chunks), { objectMode: false }));
}

/**
 * Gives the event loop a turn after each chunk. The store's reads are synchronous (SQLite) and a
 * fast local reader takes every write at once, so without this a 1M-attribute export ran for 30 s
 * without letting any other request, timer or health check in.
 */
export async function* yieldingToOthers(chunks: AsyncIterable<string>): AsyncIterable<string> {
  for await (const chunk of chunks) {
    yield chunk;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Wraps JSON items into `prefix item,item,… suffix`. */
export async function* jsonArray(prefix: string, items: AsyncIterable<readonly unknown[]>, suffix: string): AsyncIterable<string> {
  yield prefix;
  let first = true;
  for await (const batch of items) {
    if (batch.length === 0) continue;
    const text = batch.map((x) => JSON.stringify(x)).join(',');
    yield first ? text : `,${text}`;
    first = false;
  }
  yield suffix;
}
