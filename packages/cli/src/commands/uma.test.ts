import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceServerClient } from '@waggle/uma';
import { createTestIdp, freePort, type TestIdp } from '../../../uma/src/test-support/uma-fixture.js';
import { runCli } from '../test-support/run-cli.js';
import { serveUma, umaServeConfig } from './uma-serve.js';

describe('waggle uma', () => {
  let dir: string;
  let db: string;
  let url: string;
  let idp: TestIdp;
  let stop: () => void;
  let served: Promise<void>;
  const as = (id: string): string[] => ['--as', url, '--client-id', id, '--client-secret-file', join(dir, `${id}.secret`)];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waggle-uma-cli-'));
    db = join(dir, 'uma.db');
    for (const [id, extra] of [['rs-1', ['--owner', 'alice']], ['app-1', []]] as const) {
      const r = await runCli('uma', 'client', 'add', '--db', db, '--name', id, '--id', id, ...extra, '--json');
      expect(r.code).toBe(0);
      writeFileSync(join(dir, `${id}.secret`), (JSON.parse(r.out) as { client_secret: string }).client_secret);
    }
    idp = await createTestIdp('https://idp.example', Date.now);
    writeFileSync(join(dir, 'trust.json'), JSON.stringify({ issuers: [{ issuer: idp.issuer, jwks: idp.jwks }] }));
    const port = await freePort();
    const listening = new Promise<string>((resolve) => {
      served = serveUma(umaServeConfig({ db, port: String(port), trust: join(dir, 'trust.json') }), new Promise<void>((done) => (stop = done)), resolve);
    });
    url = await listening;
  });
  afterAll(async () => {
    stop();
    await served;
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers a resource, sets policies, and a requesting party gets an RPT (with owner approval for write)', async () => {
    const reg = await runCli('uma', 'resource', 'register', ...as('rs-1'), '--scopes', 'read,write', '--name', 'event 1');
    expect(reg.code).toBe(0);
    const id = reg.out.trim();
    expect((await runCli('uma', 'resource', 'list', ...as('rs-1'), '--json')).out.trim()).toBe(JSON.stringify([id]));
    expect((await runCli('uma', 'policy', 'set', id, ...as('rs-1'), '--allow', 'sector:energy+role:CERT,user:bob', '--scopes', 'read')).code).toBe(0);
    const added = await runCli('uma', 'policy', 'set', id, ...as('rs-1'), '--allow', 'org:ACME', '--scopes', 'write', '--ask', '--add', '--json');
    expect(JSON.parse(added.out)).toEqual({ rules: [{ scopes: ['read'], allow: [{ sector: 'energy', role: 'CERT' }, { sub: 'bob' }] }, { scopes: ['write'], allow: [{ org: 'ACME' }], approval: 'owner' }] });

    const owner = createResourceServerClient({ asUri: url, clientId: 'rs-1', clientSecret: readFileSync(join(dir, 'rs-1.secret'), 'utf8') });
    writeFileSync(join(dir, 'id-token'), await idp.idToken({ sub: 'bob', org: 'ACME' }));
    const token = await runCli('uma', 'token', ...as('app-1'), '--ticket', await owner.createTicket(id, ['read']), '--claim-token', join(dir, 'id-token'), '--json');
    expect(token.code).toBe(0);
    const rpt = (JSON.parse(token.out) as { rpt: string }).rpt;
    expect(await owner.verifyRpt(rpt, id, 'read')).toMatchObject({ ok: true, subject: 'bob' });

    const asked = await runCli('uma', 'token', ...as('app-1'), '--ticket', await owner.createTicket(id, ['write']), '--claim-token', join(dir, 'id-token'), '--json');
    expect(asked.code).toBe(3);
    expect(asked.err).toContain('request_submitted');
    const next = (JSON.parse(asked.out) as { ticket: string }).ticket;
    expect(JSON.parse((await runCli('uma', 'requests', ...as('rs-1'), '--json')).out)).toMatchObject([{ status: 'pending', subject: 'bob' }]);
    const approved = await runCli('uma', 'approve', next, ...as('rs-1'));
    // The whole run in the message: once in a full CI run this printed nothing (2026-12-03), and only the output was shown.
    expect(approved.out, JSON.stringify(approved)).toMatch(/approved/);
    const granted = await runCli('uma', 'token', ...as('app-1'), '--ticket', next);
    expect(granted.code).toBe(0);
    expect(await owner.verifyRpt(granted.out.trim(), id, 'write')).toMatchObject({ ok: true });

    expect((await runCli('uma', 'resource', 'delete', id, ...as('rs-1'))).code).toBe(0);
    const again = await runCli('uma', 'resource', 'delete', id, ...as('rs-1'));
    expect(again.code).toBe(1);
    expect(again.err).toContain('not_found');
  });

  it('lists and removes clients, adds users, and reports bad input clearly', async () => {
    expect(JSON.parse((await runCli('uma', 'client', 'list', '--db', db, '--json')).out)).toMatchObject([{ clientId: 'app-1', owner: null }, { clientId: 'rs-1', owner: 'alice' }]);
    writeFileSync(join(dir, 'pw'), 'carol-password\n');
    expect((await runCli('uma', 'user', 'add', 'carol', '--db', db, '--password-file', join(dir, 'pw'), '--claims', 'org=ACME,role=CERT')).code).toBe(0);
    const badClaims = await runCli('uma', 'user', 'add', 'dave', '--db', db, '--password-file', join(dir, 'pw'), '--claims', 'org');
    expect(badClaims).toMatchObject({ code: 1 });
    expect(badClaims.err).toContain('name=value');

    const badAllow = await runCli('uma', 'policy', 'set', 'x', ...as('rs-1'), '--allow', 'org', '--scopes', 'read');
    expect(badAllow.code).toBe(1);
    expect(badAllow.err).toContain('claim:value');
    const noSecret = await runCli('uma', 'resource', 'list', '--as', url, '--client-id', 'rs-1');
    expect(noSecret.err).toContain('WAGGLE_UMA_CLIENT_SECRET');
    const wrongSecret = await runCli('uma', 'resource', 'list', '--as', url, '--client-id', 'rs-1', '--client-secret-file', join(dir, 'pw'));
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.err).toContain('invalid_client');
    const unknownTicket = await runCli('uma', 'token', ...as('app-1'), '--ticket', 'nope');
    expect(unknownTicket).toMatchObject({ code: 1, out: '' });
    expect(unknownTicket.err).toContain('invalid_grant');
    expect((await runCli('uma', 'client', 'remove', 'nobody', '--db', db)).err).toContain('no client nobody');
    expect(() => umaServeConfig({ db, port: '99999', issuer: 'http://as.example.org', rptLifetime: '1', trust: join(dir, 'missing.json') })).toThrow(/--port.*--rpt-lifetime.*--issuer must use https.*--trust/);
    writeFileSync(join(dir, 'bad-trust.json'), '{"issuers":[{"issuer":"x"}]}');
    expect(() => umaServeConfig({ db, trust: join(dir, 'bad-trust.json') })).toThrow(/issuers\[0\]/);
    expect((await runCli('uma', 'client', 'remove', 'app-1', '--db', db)).code).toBe(0);
  });
});
