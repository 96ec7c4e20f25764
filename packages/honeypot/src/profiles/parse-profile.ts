import { InputError } from '@waggle/errors';
import { OBSERVABLE_CLIENT_MESSAGES } from '../ssh/client-message-hook.js';
import type { DetectorCondition, HttpDetector, HttpLureOptions, HttpRoute, Profile, ProfileService, SshDetector } from './profile-types.js';

const SERVICES: readonly ProfileService[] = ['ssh', 'telnet', 'redis', 'ftp', 'http'];
const CVE = /^CVE-\d{4}-\d{4,}$/;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const TARGET = /^(method|path|query|url|headers|cookie|body|any|header:[A-Za-z0-9_-]+)$/;

type Obj = Record<string, unknown>;

/** Collects every problem of one file so they are reported at once. */
class Checker {
  readonly problems: { field: string; message: string }[] = [];
  fail(field: string, message: string): void {
    this.problems.push({ field, message });
  }
  obj(v: unknown, field: string): Obj | undefined {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Obj;
    this.fail(field, 'must be an object');
    return undefined;
  }
  str(o: Obj, key: string, field: string, opts: { optional?: boolean; re?: RegExp; def?: string } = {}): string {
    const v = o[key];
    if (v === undefined && (opts.optional === true || opts.def !== undefined)) return opts.def ?? '';
    if (typeof v !== 'string') {
      this.fail(`${field}${key}`, 'must be a string');
      return '';
    }
    if (opts.re !== undefined && !opts.re.test(v)) this.fail(`${field}${key}`, `"${v}" does not match ${String(opts.re)}`);
    return v;
  }
  int(o: Obj, key: string, field: string, min: number, max: number, def?: number): number {
    const v = o[key];
    if (v === undefined && def !== undefined) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(`${field}${key}`, `must be an integer from ${String(min)} to ${String(max)}`);
      return min;
    }
    return v;
  }
  bool(o: Obj, key: string, field: string, def: boolean): boolean {
    const v = o[key];
    if (v === undefined) return def;
    if (typeof v !== 'boolean') this.fail(`${field}${key}`, 'must be true or false');
    return v === true;
  }
  strings(o: Obj, key: string, field: string, re?: RegExp, optional = false): string[] {
    const v = o[key];
    if (v === undefined && optional) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
      this.fail(`${field}${key}`, 'must be an array of strings');
      return [];
    }
    const list = v as string[];
    if (re !== undefined) list.forEach((s, i) => { if (!re.test(s)) this.fail(`${field}${key}[${String(i)}]`, `"${s}" does not match ${String(re)}`); });
    return list;
  }
  regex(pattern: string, field: string): void {
    try {
      new RegExp(pattern, 'i');
    } catch (e) {
      this.fail(field, `is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  headers(o: Obj, key: string, field: string): Record<string, string> {
    const v = o[key];
    if (v === undefined) return {};
    const h = this.obj(v, `${field}${key}`);
    if (h === undefined) return {};
    for (const [k, x] of Object.entries(h)) if (typeof x !== 'string') this.fail(`${field}${key}.${k}`, 'must be a string');
    return h as Record<string, string>;
  }
}

function parseRoute(c: Checker, v: unknown, field: string): HttpRoute {
  const o = c.obj(v, field) ?? {};
  const f = `${field}.`;
  const path = c.str(o, 'path', f, { optional: true });
  const pathRegex = c.str(o, 'path_regex', f, { optional: true });
  if (field.endsWith('not_found')) {
    // The fallback answers every path.
  } else if ((path === '') === (pathRegex === '')) c.fail(`${f}path`, 'give exactly one of "path" and "path_regex"');
  if (pathRegex !== '') c.regex(pathRegex, `${f}path_regex`);
  const methods = o.methods === undefined ? ['GET', 'HEAD'] : c.strings(o, 'methods', f, /^[A-Z]+$/);
  return {
    methods,
    ...(path === '' ? {} : { path }),
    ...(pathRegex === '' ? {} : { path_regex: pathRegex }),
    status: c.int(o, 'status', f, 100, 599, 200),
    headers: c.headers(o, 'headers', f),
    body: c.str(o, 'body', f, { def: '' }),
  };
}

function parseCondition(c: Checker, v: unknown, field: string): DetectorCondition {
  const o = c.obj(v, field) ?? {};
  const target = c.str(o, 'target', `${field}.`, { re: TARGET }) as DetectorCondition['target'];
  const pattern = c.str(o, 'pattern', `${field}.`);
  c.regex(pattern, `${field}.pattern`);
  return { target, pattern };
}

function parseDetector(c: Checker, v: unknown, field: string): HttpDetector {
  const o = c.obj(v, field) ?? {};
  const f = `${field}.`;
  const all = Array.isArray(o.all) && o.all.length > 0 ? o.all.map((x, i) => parseCondition(c, x, `${f}all[${String(i)}]`)) : (c.fail(`${f}all`, 'must be a non-empty array of conditions'), []);
  return {
    id: c.str(o, 'id', f, { re: NAME }),
    cve: c.str(o, 'cve', f, { re: CVE }),
    technique: c.str(o, 'technique', f, { re: TECHNIQUE, def: 'T1190' }),
    description: c.str(o, 'description', f, { def: '' }),
    all,
    url_decode_rounds: c.int(o, 'url_decode_rounds', f, 0, 5, 3),
    log4j_lookups: c.bool(o, 'log4j_lookups', f, false),
    case_sensitive: c.bool(o, 'case_sensitive', f, false),
  };
}

function parseHttp(c: Checker, v: unknown): HttpLureOptions {
  const o = c.obj(v, 'http') ?? {};
  const routes = Array.isArray(o.routes) ? o.routes.map((r, i) => parseRoute(c, r, `http.routes[${String(i)}]`)) : (c.fail('http.routes', 'must be an array'), []);
  const detectors = Array.isArray(o.detectors) ? o.detectors.map((d, i) => parseDetector(c, d, `http.detectors[${String(i)}]`)) : (c.fail('http.detectors', 'must be an array'), []);
  const notFound = o.not_found === undefined ? { methods: [], status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>404 Not Found</h1></body></html>' } : parseRoute(c, o.not_found, 'http.not_found');
  return { server_header: c.str(o, 'server_header', 'http.'), headers: c.headers(o, 'headers', 'http.'), routes, not_found: notFound, detectors };
}

function parseSshDetector(c: Checker, v: unknown, field: string): SshDetector {
  const o = c.obj(v, field) ?? {};
  const f = `${field}.`;
  return {
    id: c.str(o, 'id', f, { re: NAME }),
    cve: c.str(o, 'cve', f, { re: CVE }),
    technique: c.str(o, 'technique', f, { re: TECHNIQUE, def: 'T1190' }),
    description: c.str(o, 'description', f, { def: '' }),
    client_message: clientMessage(c, o, f),
  };
}

/** The SSH service can only watch for messages ssh2 reports (see `ssh/client-message-hook.ts`). */
function clientMessage(c: Checker, o: Obj, f: string): number {
  const n = c.int(o, 'client_message', f, 1, 255);
  // `int` already reported a value out of range (and returned a stand-in, which differs from it).
  if (n === o.client_message && !OBSERVABLE_CLIENT_MESSAGES.has(n)) {
    c.fail(`${f}client_message`, `${String(n)} is not a message the SSH service can see from a client (one of ${[...OBSERVABLE_CLIENT_MESSAGES.keys()].join(', ')})`);
  }
  return n;
}

/**
 * Validates one profile document. Every problem is collected and thrown as one
 * `InputError` naming the file and the fields, so a broken data file is easy to fix.
 */
export function parseProfile(json: unknown, source: string): Profile {
  const c = new Checker();
  const o = c.obj(json, '(root)') ?? {};
  const service = c.str(o, 'service', '') as ProfileService;
  if (!SERVICES.includes(service)) c.fail('service', `must be one of ${SERVICES.join(', ')}`);
  const options = o.options === undefined ? {} : (c.obj(o.options, 'options') ?? {});
  const http = service === 'http' ? parseHttp(c, o.http) : undefined;
  if (service !== 'http' && o.http !== undefined) c.fail('http', 'only an http profile has an "http" part');
  const sshDetectors = o.ssh_detectors === undefined ? [] : Array.isArray(o.ssh_detectors) ? o.ssh_detectors.map((d, i) => parseSshDetector(c, d, `ssh_detectors[${String(i)}]`)) : (c.fail('ssh_detectors', 'must be an array'), []);
  if (sshDetectors.length > 0 && service !== 'ssh') c.fail('ssh_detectors', 'only an ssh profile has SSH detectors');
  const ports = Array.isArray(o.ports) ? o.ports : [];
  if (o.ports !== undefined && (!Array.isArray(o.ports) || o.ports.some((p) => typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535))) c.fail('ports', 'must be an array of port numbers');
  const profile: Profile = {
    name: c.str(o, 'name', '', { re: NAME }),
    service,
    default_port: c.int(o, 'default_port', '', 1, 65535),
    ports: ports as number[],
    cves: c.strings(o, 'cves', '', CVE),
    services: c.strings(o, 'services', '', /^[a-z0-9-]+$/),
    attack_techniques: c.strings(o, 'attack_techniques', '', TECHNIQUE),
    description: c.str(o, 'description', ''),
    options,
    ...(http === undefined ? {} : { http }),
    ssh_detectors: sshDetectors,
    source,
  };
  if (c.problems.length > 0) {
    const first = c.problems[0] as { field: string };
    const list = c.problems.map((p) => `${p.field} ${p.message}`).join('; ');
    throw new InputError(`Invalid honeypot profile ${source}: ${list}`, { field: first.field, file: source, problems: c.problems });
  }
  return profile;
}
