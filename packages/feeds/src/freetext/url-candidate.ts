import { isIP } from 'node:net';
import { isTld } from './tlds.js';

const SCHEME = /^[a-z][a-z0-9+.-]{0,15}:\/\//i;
const HOST_LABELS = /^(?:[-_\p{L}\p{N}]+\.)+[-\p{L}\p{N}]+$/u;

/**
 * Whether a token is a URL, standing in for PHP's FILTER_VALIDATE_URL as MISP
 * uses it (with `http://` put in front when the scheme is missing). Without a
 * scheme the host must be an IP address or end in a known TLD, so "1.5/2" or
 * "and/or.x" are not taken for URLs.
 */
export function looksLikeUrl(value: string): boolean {
  const hasScheme = SCHEME.test(value);
  const rest = hasScheme ? value.slice(value.indexOf('://') + 3) : value;
  const host = hostOf(rest);
  // "198.51.100.0/33" is a broken CIDR block, not a path.
  if (host === '' || (!hasScheme && /^[^/]+\/[0-9]{1,3}$/.test(value))) return false;
  try {
    new URL(hasScheme ? value : `http://${value}`);
  } catch {
    return false;
  }
  if (host.startsWith('[') && host.endsWith(']')) return isIP(host.slice(1, -1)) === 6;
  if (isIP(host) !== 0) return true;
  if (!HOST_LABELS.test(host)) return false;
  return hasScheme || isTld(host.slice(host.lastIndexOf('.') + 1));
}

// The authority's host: up to the first "/", "?" or "#", without user info and port.
function hostOf(afterScheme: string): string {
  const end = afterScheme.search(/[/?#]/);
  const authority = end === -1 ? afterScheme : afterScheme.slice(0, end);
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    return close === -1 ? '' : hostPort.slice(0, close + 1);
  }
  const colon = hostPort.indexOf(':');
  return colon === -1 ? hostPort : hostPort.slice(0, colon);
}

/** MISP's `isLink`: an https URL whose host is one of `vendors` or a subdomain of one. */
export function isSecurityVendorLink(value: string, vendors: readonly string[]): boolean {
  const match = /^https:\/\/([^/]*)/i.exec(value);
  if (!match) return false;
  const host = (match[1] ?? '').toLowerCase();
  return vendors.some((vendor) => {
    const domain = vendor.toLowerCase();
    return host === domain || host.endsWith(`.${domain}`);
  });
}
