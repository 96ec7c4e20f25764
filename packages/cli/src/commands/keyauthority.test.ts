import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, createEnvelopes, createFame, fameCodec, systemRandom, type PublicKeyJson } from '@waggle/abe';
import { runCli } from '../test-support/run-cli.js';
import { startTestIssuer } from '../../../keyauthority/src/test-support/test-issuer.js';
import { addClient, createResourceServerClient, createUmaServer, openSqliteUmaStore } from '@waggle/uma';
import { serveConfig, startKeyAuthorityService, type RunningKeyAuthority } from './keyauthority-serve.js';

let tmp: string;
let dir: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ka-cli-'));
  dir = join(tmp, 'authority');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('waggle keyauthority', () => {
  it('init creates the folder once, with a 0600 master secret, and prints the admin token', async () => {
    const r = await runCli('keyauthority', 'init', '--dir', dir);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dir, 'master-secret.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o077).toBe(0);
    const again = await runCli('keyauthority', 'init', '--dir', dir);
    expect([again.code, again.err]).toEqual([1, expect.stringMatching(/already holds a key authority/) as unknown]);
    expect((await runCli('keyauthority', 'init', '--dir', join(tmp, 'x'), '--epoch', 'year')).err).toMatch(/--epoch must be month or day/);
  });

  it('sets organisation attributes and refuses reserved ones without changing anything', async () => {
    expect((await runCli('keyauthority', 'org', 'set', 'acme', '--attributes', 'sector:energy, country:BE', '--dir', dir)).code).toBe(0);
    const bad = await runCli('keyauthority', 'org', 'set', 'acme', '--attributes', 'role:admin', '--dir', dir);
    expect([bad.code, bad.err]).toEqual([1, expect.stringMatching(/reserved for verified claims/) as unknown]);
    const list = await runCli('keyauthority', 'org', 'list', '--json', '--dir', dir);
    expect(JSON.parse(list.out)).toEqual([expect.objectContaining({ org: 'acme', attributes: ['country:BE', 'sector:energy'] })]);
    expect((await runCli('keyauthority', 'org', 'remove', 'nobody', '--dir', dir)).err).toMatch(/has no attributes/);
    expect((await runCli('keyauthority', 'org', 'list', '--dir', join(tmp, 'missing'))).err).toMatch(/holds no key authority/);
  });

  it('revokes subjects or organisations and lists them', async () => {
    const r = await runCli('keyauthority', 'revoke', '--sub', 'mallory', '--reason', 'left', '--dir', dir);
    expect([r.code, r.err]).toEqual([0, expect.stringMatching(/revoked sub mallory .* stay valid until their epoch ends/) as unknown]);
    expect((await runCli('keyauthority', 'revoke', '--dir', dir)).err).toMatch(/exactly one of --sub or --org/);
    expect((await runCli('keyauthority', 'revoke', '--sub', 'a', '--org', 'b', '--dir', dir)).code).toBe(1);
    expect(JSON.parse((await runCli('keyauthority', 'revocations', '--json', '--dir', dir)).out)).toEqual([expect.objectContaining({ kind: 'sub', value: 'mallory', reason: 'left' })]);
  });

  it('checks serve options and reports every problem at once', () => {
    expect(() => serveConfig({ dir }, {})).toThrow(/choose one identity mode/);
    expect(() => serveConfig({ dir, issuer: 'https://idp', issuerJwks: 'x', umaAs: 'http://as' }, {})).toThrow(/choose one identity mode.*UMA mode needs/);
    expect(() => serveConfig({ dir, issuer: 'not a url', issuerJwks: 'x', port: '70000', workers: '-1' }, {})).toThrow(/--port.*--workers.*--issuer must be a URL/);
    expect(serveConfig({ dir, umaAs: 'http://as', umaClientId: 'ka' }, { WAGGLE_UMA_CLIENT_SECRET: 's3cret' }).uma?.clientSecret.reveal()).toBe('s3cret');
  });

  it('serves keys end to end: request writes a key that opens matching envelopes; log --verify detects tampering', async () => {
    const issuer = await startTestIssuer();
    const jwksFile = join(tmp, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify(issuer.jwks));
    const logs: string[] = [];
    let running: RunningKeyAuthority | undefined;
    try {
      expect((await runCli('keyauthority', 'serve', '--dir', dir, '--issuer', issuer.issuer)).err).toMatch(/both --issuer and --issuer-jwks/);
      const badJwks = join(tmp, 'bad-jwks.json');
      writeFileSync(badJwks, 'not json');
      await expect(startKeyAuthorityService(serveConfig({ dir, port: '0', issuer: issuer.issuer, issuerJwks: join(tmp, 'none.json') }, {}), () => undefined)).rejects.toThrow(/neither an http\(s\) URL nor a file/);
      await expect(startKeyAuthorityService(serveConfig({ dir, port: '0', issuer: issuer.issuer, issuerJwks: badJwks }, {}), () => undefined)).rejects.toThrow(/is not a JWK set/);
      running = await startKeyAuthorityService(serveConfig({ dir, port: '0', issuer: issuer.issuer, issuerJwks: jwksFile, audience: 'waggle-keyauthority' }, {}), (m) => logs.push(m));
      const tokenFile = join(tmp, 'alice.jwt');
      writeFileSync(tokenFile, await issuer.token({ sub: 'alice', org: 'acme', role: 'cert' }));
      const keyFile = join(tmp, 'alice-key.json');
      const r = await runCli('keyauthority', 'request', '--authority', running.url, '--token', tokenFile, '--out', keyFile, '--json');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ subject: 'alice', attributes: expect.arrayContaining(['sector:energy', 'role:cert', 'org:acme']) as unknown });
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect((await runCli('keyauthority', 'request', '--authority', running.url, '--token', tokenFile, '--out', keyFile)).err).toMatch(/exists; pass --force/);
      expect((await runCli('keyauthority', 'request', '--authority', running.url, '--out', keyFile)).err).toMatch(/exactly one of --token/);

      const policy = await runCli('keyauthority', 'policy', 'sector:energy AND role:cert', '--authority', running.url);
      expect(policy.out.trim()).toMatch(/^sector:energy AND role:cert AND epoch:\d{4}-\d{2}$/);
      expect((await runCli('keyauthority', 'policy', 'a', '--epoch', '2026-13')).err).toMatch(/YYYY-MM/);
      const fame = createFame({ backend: await createBackend('mcl'), random: systemRandom });
      const codec = fameCodec(fame.backend);
      const envelopes = createEnvelopes({ fame, random: systemRandom });
      const publicKey = codec.decodePublicKey(JSON.parse(readFileSync(join(dir, 'public-params.json'), 'utf8')) as PublicKeyJson);
      const secretKey = codec.decodeSecretKey(JSON.parse(readFileSync(keyFile, 'utf8')));
      const sealed = envelopes.seal({ publicKey, policy: policy.out.trim(), plaintext: new TextEncoder().encode('secret') });
      expect(new TextDecoder().decode(envelopes.open({ envelope: sealed, secretKey }).plaintext)).toBe('secret');
      expect(() => envelopes.open({ envelope: envelopes.seal({ publicKey, policy: 'sector:finance', plaintext: new Uint8Array(1) }), secretKey })).toThrow();

      writeFileSync(tokenFile, await issuer.token({ sub: 'mallory', org: 'acme' }));
      const refused = await runCli('keyauthority', 'request', '--authority', running.url, '--token', tokenFile, '--out', join(tmp, 'm.json'));
      expect([refused.code, refused.err]).toEqual([1, expect.stringMatching(/revoked/) as unknown]);
      expect(logs.join('\n')).not.toMatch(/"a1"|gd1/);
    } finally {
      await running?.close();
      await issuer.close();
    }
    const ok = await runCli('keyauthority', 'log', '--verify', '--dir', dir);
    expect([ok.code, ok.out.split('\n').filter((l) => l !== '').length]).toEqual([0, 2]);
    expect(ok.err).toMatch(/chain intact: 2 entries/);
    // An attacker with the file edits a byte of the first row in place (SQLite keeps no page checksums).
    const file = join(dir, 'authority.sqlite');
    const bytes = readFileSync(file);
    const at = bytes.indexOf('user:alice');
    expect(at).toBeGreaterThan(0);
    bytes[at + 9] = 'x'.charCodeAt(0);
    writeFileSync(file, bytes);
    const broken = await runCli('keyauthority', 'log', '--verify', '--json', '--dir', dir);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out).chain).toMatchObject({ ok: false, badSeq: 1 });
  });

  it('serves in UMA mode: registers its resource at the AS; request follows the ticket with a claim token', async () => {
    const idp = await startTestIssuer();
    const umaStore = openSqliteUmaStore(':memory:');
    const port = await new Promise<number>((resolve) => {
      const s = createNetServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });
    const issuer = `http://127.0.0.1:${String(port)}`;
    const as = createUmaServer({ issuer, store: umaStore, trustedIssuers: [{ issuer: idp.issuer, jwks: idp.jwks }], claimsInteraction: false });
    await as.app.listen({ host: '127.0.0.1', port });
    const rsCreds = addClient(umaStore, { name: 'key authority', owner: 'operator', clientId: 'keyauthority' });
    const reader = addClient(umaStore, { name: 'reader', clientId: 'reader' });
    let running: RunningKeyAuthority | undefined;
    try {
      running = await startKeyAuthorityService(serveConfig({ dir, port: '0', workers: '0', umaAs: issuer, umaClientId: 'keyauthority', umaClientSecret: rsCreds.clientSecret.reveal() }, {}), () => undefined);
      expect(running.mode).toBe('uma');
      const rs = createResourceServerClient({ asUri: issuer, clientId: 'keyauthority', clientSecret: rsCreds.clientSecret });
      const [resourceId] = await rs.listResources();
      await rs.setPolicy(resourceId ?? '', { rules: [{ scopes: ['issue'], allow: [{ org: 'acme' }] }] });
      const claimFile = join(tmp, 'carol.idtoken');
      writeFileSync(claimFile, await idp.token({ sub: 'carol', org: 'acme' }));
      const args = ['keyauthority', 'request', '--authority', running.url, '--uma-claim-token', claimFile, '--uma-client-id', 'reader', '--out', join(tmp, 'carol.json')];
      expect((await runCli(...args)).err).toMatch(/needs --uma-client-id and --uma-client-secret/);
      const r = await runCli(...args, '--uma-client-secret', reader.clientSecret.reveal());
      expect([r.code, r.err]).toEqual([0, expect.stringMatching(/wrote .*carol\.json: .*org:acme.*sector:energy.*user:carol/) as unknown]);
      writeFileSync(claimFile, await idp.token({ sub: 'dan', org: 'globex' }));
      const denied = await runCli('keyauthority', 'request', '--authority', running.url, '--uma-claim-token', claimFile, '--uma-client-id', 'reader', '--uma-client-secret', reader.clientSecret.reveal(), '--out', join(tmp, 'dan.json'));
      expect([denied.code, denied.err]).toEqual([1, expect.stringMatching(/authorisation server refused/) as unknown]);
    } finally {
      await running?.close();
      await as.app.close();
      await idp.close();
    }
  });
});
