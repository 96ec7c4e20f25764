/*
 * MISP (CakePHP) URL conventions that PyMISP and scripts rely on:
 *  - `.json` suffixes (`attributes/describeTypes.json`);
 *  - controller names in camelCase or snake_case (`sharingGroups`, `sharing_groups`);
 *  - named parameters as path segments (`/events/index/limit:10/page:2`).
 * They are rewritten to one canonical form before routing: snake_case
 * controllers, no suffix, named parameters moved into the query string.
 */

// `key[]:value` is a list item (MISP's sync sends `deleted[]:0/deleted[]:1`); it becomes a repeated `key`.
const NAMED_PARAM = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[\])?:(.*)$/;

// Segments after the action that look like `key:value` but are ids (tag names such as tlp:white).
const NOT_NAMED = /^(misp-galaxy|tlp|pap|admiralty-scale|estimative-language|workflow|veris|circl|osint|type|ms-caro-malware)$/i;

function snake(segment: string): string {
  return segment.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Returns the canonical URL for routing. */
export function rewriteMispUrl(url: string): string {
  // The native API (/api/v1/…) has plain REST paths: none of MISP's conventions apply.
  if (url.startsWith('/api/')) return url;
  const q = url.indexOf('?');
  // A remote server configured with a trailing slash ("https://waggle/") sends "//events/index".
  const path = (q === -1 ? url : url.slice(0, q)).replace(/^\/{2,}/, '/');
  const query = q === -1 ? '' : url.slice(q + 1);
  const segments = path.split('/');
  const extra: string[] = [];
  const out: string[] = [];
  segments.forEach((raw, i) => {
    let seg = raw;
    if (i === segments.length - 1 && seg.endsWith('.json')) seg = seg.slice(0, -5);
    const decoded = safeDecode(seg);
    const named = NAMED_PARAM.exec(decoded);
    // Named parameters only come after controller/action (index ≥ 3 of "/c/a/…", admin adds one).
    if (named !== null && i >= 3 && !NOT_NAMED.test(named[1] as string)) {
      extra.push(`${encodeURIComponent(named[1] as string)}=${encodeURIComponent(named[2] as string)}`);
      return;
    }
    const isControllerOrAction = i === 1 || i === 2 || (segments[1] === 'admin' && i === 3);
    out.push(isControllerOrAction ? snake(seg) : seg);
  });
  const allQuery = [query, ...extra].filter((s) => s !== '').join('&');
  return out.join('/') + (allQuery === '' ? '' : `?${allQuery}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
