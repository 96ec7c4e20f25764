import type { FastifyReply } from 'fastify';

/**
 * Sends a large JSON answer (a whole event) serialised once into UTF-8 bytes.
 * Given an object, Fastify serialises it to a string, measures the string's
 * UTF-8 length for Content-Length, then Node encodes it again while writing:
 * three passes over megabytes of JSON per added event. Bytes are measured for
 * free and written as they are.
 */
export function sendJson(reply: FastifyReply, value: unknown): FastifyReply {
  return sendJsonText(reply, JSON.stringify(value));
}

/** Sends JSON text made elsewhere (by `JSON.stringify`), as `sendJson` sends a value. */
export function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(Buffer.from(text));
}
