/** Where a detector condition looks in an HTTP request. `header:<name>` is one header; `any` is the whole request. */
export type HttpTarget = 'method' | 'path' | 'query' | 'url' | 'headers' | 'cookie' | 'body' | 'any' | `header:${string}`;

/** One regular expression that must match somewhere in the request. */
export interface DetectorCondition {
  readonly target: HttpTarget;
  readonly pattern: string;
}

/**
 * A declarative exploit detector: every condition must match (after decoding)
 * for the request to count as an exploit attempt of `cve`.
 */
export interface HttpDetector {
  readonly id: string;
  readonly cve: string;
  readonly technique: string;
  readonly description: string;
  readonly all: readonly DetectorCondition[];
  /** Rounds of lenient percent-decoding tried (each round's text is matched). Default 3. */
  readonly url_decode_rounds: number;
  /** Whether Log4j lookups such as `${lower:j}` or `${::-j}` are resolved before matching. */
  readonly log4j_lookups: boolean;
  /** Patterns are case-insensitive unless this is true. */
  readonly case_sensitive: boolean;
}

/** A canned response that makes the lure look like the product. */
export interface HttpRoute {
  readonly methods: readonly string[];
  /** Exact path, or a regular expression when `path_regex` is set. */
  readonly path?: string;
  readonly path_regex?: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The HTTP part of a lure profile. */
export interface HttpLureOptions {
  readonly server_header: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly routes: readonly HttpRoute[];
  readonly not_found: HttpRoute;
  readonly detectors: readonly HttpDetector[];
}

/** A detector on the SSH transport, described in data and applied by the SSH service. */
export interface SshDetector {
  readonly id: string;
  readonly cve: string;
  readonly technique: string;
  readonly description: string;
  /** The SSH message number the client sends that gives the exploit away (e.g. 52, SSH_MSG_USERAUTH_SUCCESS). */
  readonly client_message: number;
}

/** The service kinds a profile can run on. */
export type ProfileService = 'ssh' | 'telnet' | 'redis' | 'ftp' | 'http';

/** A honeypot profile, as loaded from `data/profiles/<name>.json`. */
export interface Profile {
  readonly name: string;
  readonly service: ProfileService;
  readonly default_port: number;
  /** Other ports this profile is a good fit for (the catalogue maps them). */
  readonly ports: readonly number[];
  readonly cves: readonly string[];
  /** Service names it covers (`ssh`, `http`, `redis`, …) for matching targeted services. */
  readonly services: readonly string[];
  readonly attack_techniques: readonly string[];
  readonly description: string;
  /** Options handed to the service factory (banner, accounts, …). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Present when `service` is `http`. */
  readonly http?: HttpLureOptions;
  /** SSH-side detectors (e.g. libssh auth bypass). */
  readonly ssh_detectors: readonly SshDetector[];
  /** The file it came from, for messages. */
  readonly source: string;
}

/** An HTTP lure profile (a profile whose `http` part is present). */
export type LureProfile = Profile & { readonly service: 'http'; readonly http: HttpLureOptions };
