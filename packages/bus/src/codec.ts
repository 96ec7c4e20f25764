import { InputError } from '@waggle/errors';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
// JSON.stringify is typed as always returning a string, but gives undefined for undefined, functions and symbols.
const stringify: (value: unknown) => string | undefined = JSON.stringify;

/**
 * A payload that is already JSON text (made by `JSON.stringify`), published as it is. A publisher
 * that sends the same JSON elsewhere too (events/add answers with the event it publishes)
 * serialises it once. Subscribers receive the parsed value, as with any other payload.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** Serialises a payload to JSON text; throws `InputError` for values JSON cannot hold. */
export function encodePayloadText(payload: unknown): string {
  if (payload instanceof JsonText) return payload.text;
  let text: string | undefined;
  try {
    text = stringify(payload);
  } catch (error) {
    // BigInt values and cyclic structures land here.
    throw new InputError(`Bus payload is not serialisable as JSON: ${(error as Error).message}`, { field: 'payload' });
  }
  if (text === undefined) {
    throw new InputError('Bus payload must be a JSON value (got undefined, a function or a symbol).', { field: 'payload' });
  }
  return text;
}

/** Serialises a payload to UTF-8 JSON; throws `InputError` for values JSON cannot hold. */
export function encodePayload(payload: unknown): Uint8Array {
  return encoder.encode(encodePayloadText(payload));
}

/** Parses a payload written by `encodePayload` (bytes) or `encodePayloadText`; throws on invalid UTF-8 or JSON. */
export function decodePayload(encoded: Uint8Array | string): unknown {
  return JSON.parse(typeof encoded === 'string' ? encoded : decoder.decode(encoded)) as unknown;
}
