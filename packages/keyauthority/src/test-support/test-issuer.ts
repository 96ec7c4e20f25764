import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** A stand-in OIDC provider for tests: an ES256 key, its JWKS served on 127.0.0.1, token minting. */
export interface TestIssuer {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly jwks: { keys: JWK[] };
  /** Signs an ID token; `expiresIn` in seconds from `now` (negative: already expired). */
  token(claims: JWTPayload, options?: { expiresIn?: number; now?: Date; audience?: string; issuer?: string }): Promise<string>;
  close(): Promise<void>;
}

/** Starts a test issuer; `other` keys sign tokens the JWKS does not vouch for. */
export async function startTestIssuer(): Promise<TestIssuer & { forger: TestIssuer['token'] }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const forged = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-1', alg: 'ES256', use: 'sig' };
  const jwks = { keys: [jwk] };
  const server: Server = createServer((req, res) => {
    res.writeHead(req.url === '/jwks.json' ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(req.url === '/jwks.json' ? jwks : {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const issuer = `http://127.0.0.1:${String(port)}`;
  const sign = (key: CryptoKey, kid: string) => async (claims: JWTPayload, o: { expiresIn?: number; now?: Date; audience?: string; issuer?: string } = {}): Promise<string> => {
    const iat = Math.floor((o.now ?? new Date()).getTime() / 1000);
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).setIssuer(o.issuer ?? issuer).setAudience(o.audience ?? 'waggle-keyauthority')
      .setIssuedAt(iat).setExpirationTime(iat + (o.expiresIn ?? 300)).sign(key);
  };
  return {
    issuer, jwksUrl: `${issuer}/jwks.json`, jwks,
    token: sign(privateKey, 'test-1'),
    forger: sign(forged.privateKey, 'test-1'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
