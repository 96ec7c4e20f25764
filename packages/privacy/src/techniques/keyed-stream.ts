import { createHmac } from 'node:crypto';

/**
 * A deterministic stream of 32-bit words: HMAC-SHA-256(key, label || counter)
 * in counter mode, 8 words per block. Different labels give independent
 * streams from one key.
 */
export function keyedWordStream(key: Uint8Array, label: string): () => number {
  let counter = 0;
  let block = new Uint8Array(0);
  let at = 0;
  const labelBytes = Buffer.from(label, 'utf8');
  return () => {
    if (at + 4 > block.length) {
      const c = Buffer.alloc(8);
      c.writeBigUInt64BE(BigInt(counter++));
      block = new Uint8Array(createHmac('sha256', key).update(labelBytes).update(c).digest());
      at = 0;
    }
    const w = new DataView(block.buffer, block.byteOffset).getUint32(at);
    at += 4;
    return w;
  };
}

/**
 * An unbiased integer in [0, bound) from the stream, by rejection sampling:
 * words at or above the largest multiple of `bound` are drawn again, so every
 * residue is equally likely. `bound` is 1..2^32.
 */
export function uniformBelow(next: () => number, bound: number): number {
  const limit = 2 ** 32 - (2 ** 32 % bound);
  for (;;) {
    const w = next();
    if (w < limit) return w % bound;
  }
}
