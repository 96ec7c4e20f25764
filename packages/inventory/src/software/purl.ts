import { InputError } from '@waggle/errors';

/** A package URL (https://github.com/package-url/purl-spec), decoded and normalised. */
export interface PackageUrl {
  readonly type: string;
  /** Decoded namespace segments joined by `/`; absent when there is none. */
  readonly namespace?: string;
  readonly name: string;
  readonly version?: string;
  readonly qualifiers: Readonly<Record<string, string>>;
  readonly subpath?: string;
}

function decode(part: string, what: string, purl: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new InputError(`purl "${purl}": bad percent-encoding in ${what}`, { field: what });
  }
}

// Types whose namespace and name are case-insensitive and stored lower-cased (purl spec, "Known types").
const LOWERCASE_TYPES = new Set(['bitbucket', 'github', 'deb', 'apk', 'alpm', 'composer', 'npm', 'pypi', 'hex']);

/**
 * Parses a package URL `pkg:type/namespace/name@version?qualifiers#subpath`,
 * following the spec's parsing order (subpath, qualifiers, scheme, type,
 * version, name, namespace) and percent-decoding each component.
 * @throws InputError for a missing `pkg:` scheme, type or name, a bad type, a
 * bad qualifier key or bad percent-encoding.
 */
export function parsePurl(purl: string): PackageUrl {
  let rest = purl.trim();
  let subpath: string | undefined;
  const hash = rest.lastIndexOf('#');
  if (hash >= 0) {
    const segs = rest.slice(hash + 1).split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
    if (segs.length > 0) subpath = segs.map((s) => decode(s, 'subpath', purl)).join('/');
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const q = rest.lastIndexOf('?');
  if (q >= 0) {
    for (const pair of rest.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = (eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      if (!/^[a-z.\-_][a-z0-9.\-_]*$/.test(key)) throw new InputError(`purl "${purl}": bad qualifier key "${key}"`, { field: 'qualifiers' });
      const value = eq < 0 ? '' : decode(pair.slice(eq + 1), 'qualifiers', purl);
      if (value !== '') qualifiers[key] = value;
    }
    rest = rest.slice(0, q);
  }
  const colon = rest.indexOf(':');
  if (colon < 0 || rest.slice(0, colon).toLowerCase() !== 'pkg') throw new InputError(`"${purl}" is not a package URL (must start with pkg:)`, { field: 'purl' });
  rest = rest.slice(colon + 1).replace(/^\/+/, '').replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new InputError(`purl "${purl}" has no type/name`, { field: 'type' });
  const type = rest.slice(0, slash).toLowerCase();
  if (!/^[a-z.+-][a-z0-9.+-]*$/.test(type)) throw new InputError(`purl "${purl}": bad type "${type}"`, { field: 'type' });
  rest = rest.slice(slash + 1);
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    version = decode(rest.slice(at + 1), 'version', purl);
    rest = rest.slice(0, at);
    if (version === '') version = undefined;
  }
  const segs = rest.split('/').filter((s) => s !== '');
  const rawName = segs.pop();
  if (rawName === undefined) throw new InputError(`purl "${purl}" has no name`, { field: 'name' });
  let name = decode(rawName, 'name', purl);
  let namespace = segs.length > 0 ? segs.map((s) => decode(s, 'namespace', purl)).join('/') : undefined;
  if (LOWERCASE_TYPES.has(type)) {
    name = name.toLowerCase();
    namespace = namespace?.toLowerCase();
  }
  if (type === 'pypi') name = name.replace(/_/g, '-');
  return {
    type,
    ...(namespace !== undefined ? { namespace } : {}),
    name,
    ...(version !== undefined ? { version } : {}),
    qualifiers,
    ...(subpath !== undefined ? { subpath } : {}),
  };
}
