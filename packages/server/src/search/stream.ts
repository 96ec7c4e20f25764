import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * Sends an async sequence of text chunks as the response body. Memory stays
 * bounded: chunks are produced only as fast as the client reads them.
 */
export function sendStream(reply: FastifyReply, contentType: string, chunks: AsyncIterable<string>): FastifyReply {
  void reply.header('content-type', contentType);
  return reply.send(Readable.from(chunks, { objectMode: false }));
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
