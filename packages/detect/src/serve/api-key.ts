import { createHash, timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Secret } from '@waggle/errors';

/** Whether listening on `host` keeps the server reachable from this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The key check of the scoring server: the request's `Authorization` header, the key
 * itself or `Bearer <key>`, must equal the key. Both sides are hashed to SHA-256 first,
 * so the comparison (`timingSafeEqual`) takes the same time whatever the length or
 * the first differing byte.
 */
export function createKeyCheck(key: Secret): (req: IncomingMessage) => boolean {
  const expected = digest(key.reveal());
  return (req) => {
    const header = req.headers.authorization;
    if (header === undefined || header === '') return false;
    const presented = /^bearer /i.test(header) ? header.slice(7).trim() : header.trim();
    return timingSafeEqual(digest(presented), expected);
  };
}
