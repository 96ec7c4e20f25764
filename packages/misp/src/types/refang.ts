interface RefangRule {
  readonly from: RegExp;
  readonly to: string;
  readonly types: ReadonlySet<string>;
}

const URLS = ['link', 'url'];
const EMAILS = ['email', 'email-src', 'email-dst'];

// The same rewrites, for the same types, as MISP applies before validation.
const RULES: readonly RefangRule[] = [
  { from: /^(hxxp|hxtp|htxp|meow|h\[tt\]p)/i, to: 'http', types: new Set(URLS) },
  {
    from: /\[\.\]|\[dot\]|\(dot\)/g,
    to: '.',
    types: new Set([...URLS, 'ip-dst', 'ip-src', 'domain|ip', 'domain', 'hostname', ...EMAILS]),
  },
  { from: /\[hxxp:\/\/\]/g, to: 'http://', types: new Set(URLS) },
  { from: /\[@\]|\[at\]/g, to: '@', types: new Set(EMAILS) },
  { from: /\[:\]/g, to: ':', types: new Set(URLS) },
];

/**
 * Undoes the usual "defanging" of indicators for the types MISP refangs:
 * `hxxp://evil[.]com` becomes `http://evil.com`, `a[at]b[dot]com` becomes `a@b.com`.
 */
export function refangValue(type: string, value: string): string {
  let result = value;
  for (const rule of RULES) {
    if (rule.types.has(type)) result = result.replace(rule.from, rule.to);
  }
  return result;
}
