import type { HttpDetector, HttpTarget } from '../profiles/profile-types.js';
import { decodingRounds, resolveLog4jLookups } from './decode.js';

/** The parts of a received request the detectors look at (raw, before any decoding). */
export interface HttpRequestView {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  /** Header names lower-cased; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One detector that fired, with the text that matched each condition. */
export interface DetectorMatch {
  readonly detector: string;
  readonly cve: string;
  readonly technique: string;
  readonly description: string;
  readonly evidence: string[];
}

const EVIDENCE_MAX = 256;

function targetText(req: HttpRequestView, target: HttpTarget): string {
  const q = req.url.indexOf('?');
  switch (target) {
    case 'method':
      return req.method;
    case 'url':
      return req.url;
    case 'path':
      return q < 0 ? req.url : req.url.slice(0, q);
    case 'query':
      return q < 0 ? '' : req.url.slice(q + 1);
    case 'headers':
      return Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join('\n');
    case 'cookie':
      return req.headers.cookie ?? '';
    case 'body':
      return req.body;
    case 'any':
      return `${req.method} ${req.url}\n${targetText(req, 'headers')}\n\n${req.body}`;
    default:
      return req.headers[target.slice('header:'.length).toLowerCase()] ?? '';
  }
}

/** A detector with its patterns compiled once. */
interface Compiled {
  readonly d: HttpDetector;
  readonly conditions: { target: HttpTarget; re: RegExp }[];
}

/** Matches requests against a profile's detectors. */
export interface DetectorSet {
  /** Every detector that fires on the request (empty for a benign one). */
  detect(req: HttpRequestView): DetectorMatch[];
}

/** Compiles declarative detectors; decoded forms are computed once per request and target. */
export function compileDetectors(detectors: readonly HttpDetector[]): DetectorSet {
  const compiled: Compiled[] = detectors.map((d) => ({ d, conditions: d.all.map((c) => ({ target: c.target, re: new RegExp(c.pattern, d.case_sensitive ? 's' : 'is') })) }));
  return {
    detect(req) {
      const cache = new Map<string, string[]>();
      const forms = (target: HttpTarget, rounds: number, log4j: boolean): string[] => {
        const key = `${target}\u0000${String(rounds)}\u0000${String(log4j)}`;
        let list = cache.get(key);
        if (list === undefined) {
          const decoded = decodingRounds(targetText(req, target), rounds);
          list = log4j ? [...new Set([...decoded, ...decoded.map(resolveLog4jLookups)])] : decoded;
          cache.set(key, list);
        }
        return list;
      };
      const matches: DetectorMatch[] = [];
      for (const { d, conditions } of compiled) {
        const evidence: string[] = [];
        for (const c of conditions) {
          let hit: string | undefined;
          for (const text of forms(c.target, d.url_decode_rounds, d.log4j_lookups)) {
            const m = c.re.exec(text);
            if (m !== null) {
              hit = m[0].slice(0, EVIDENCE_MAX);
              break;
            }
          }
          if (hit === undefined) break;
          evidence.push(`${c.target}: ${hit}`);
        }
        if (evidence.length === conditions.length) matches.push({ detector: d.id, cve: d.cve, technique: d.technique, description: d.description, evidence });
      }
      return matches;
    },
  };
}
