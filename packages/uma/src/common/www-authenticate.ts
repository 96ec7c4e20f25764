/** What goes into an RS's `WWW-Authenticate: UMA …` challenge (UMA 2.0 Grant §3.2). */
export interface UmaChallenge {
  readonly realm: string;
  readonly asUri: string;
  readonly ticket: string;
}

const quote = (value: string): string => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** Builds the `WWW-Authenticate` header value a resource server returns with a 401. */
export function wwwAuthenticateHeader(challenge: UmaChallenge): string {
  return `UMA realm=${quote(challenge.realm)}, as_uri=${quote(challenge.asUri)}, ticket=${quote(challenge.ticket)}`;
}

/** Parses a `WWW-Authenticate: UMA …` value; `undefined` when it is not a complete UMA challenge. */
export function parseUmaChallenge(header: string): UmaChallenge | undefined {
  const match = /^\s*UMA\s+(.*)$/i.exec(header);
  if (match?.[1] === undefined) return undefined;
  const params = new Map<string, string>();
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*,?/g;
  for (let m = re.exec(match[1]); m !== null; m = re.exec(match[1])) {
    params.set((m[1] ?? '').toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  const realm = params.get('realm');
  const asUri = params.get('as_uri');
  const ticket = params.get('ticket');
  return realm === undefined || asUri === undefined || ticket === undefined ? undefined : { realm, asUri, ticket };
}
