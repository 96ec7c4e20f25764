import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain, type AuditLogRecord } from '@waggle/core';
import { fileEd25519Signer } from '../audit/ed25519-signer.js';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('the audit log as a signed hash chain on %s', (engine) => {
  let s: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'waggle-audit-key-'));
  beforeAll(async () => {
    s = await startTestServer(engine, {}, { auditSigner: fileEd25519Signer(join(dir, 'audit-signing-key.pem')) });
    await s.call('POST', '/events/add', { info: 'chained one', Attribute: [{ type: 'domain', value: 'chain.example' }] });
    await s.call('POST', '/events/add', { info: 'chained two' });
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a head signed with the instance key, which a reader checks with the public key alone', async () => {
    const head = (await s.call('GET', '/audit/chain/head')).json as J;
    expect(head.size).toBeGreaterThanOrEqual(3);
    expect(head.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(head.algorithm).toBe('Ed25519');
    expect(head.statement).toBe(`waggle-audit-head-v1\n${String(head.size)}\n${String(head.hash)}\n${String(head.signed_at)}\n`);
    const key = createPublicKey(head.public_key as string);
    expect(verify(null, Buffer.from(head.statement as string), key, Buffer.from(head.signature as string, 'base64'))).toBe(true);
    expect(verify(null, Buffer.from((head.statement as string).replace(String(head.size), String(Number(head.size) + 1))), key, Buffer.from(head.signature as string, 'base64'))).toBe(false);
    // The key file is private and the same key signs after a restart.
    expect(statSync(join(dir, 'audit-signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(fileEd25519Signer(join(dir, 'audit-signing-key.pem')).publicKeyPem).toBe(head.public_key);
    // Any signed-in user may read the head; the head grows with every audited change.
    const user = await addOrgUser(s, 'ChainReader');
    expect((await s.call('GET', '/audit/chain/head', undefined, user.key)).status).toBe(200);
    await s.call('POST', '/events/add', { info: 'chained three' });
    expect(((await s.call('GET', '/audit/chain/head')).json as J).size).toBe(head.size + 1);
  });

  it('gives site admins the entries, which recompute to the head, and a verdict on the stored chain', async () => {
    const head = (await s.call('GET', '/audit/chain/head')).json as J;
    const entries = ((await s.call('GET', '/audit/chain/entries?from=1&limit=10000')).json as J).entries as AuditLogRecord[];
    expect(entries).toHaveLength(head.size as number);
    expect(verifyAuditChain(entries)).toEqual({ ok: true, size: head.size, hash: head.hash });
    expect((await s.call('GET', '/audit/chain/verify')).json).toEqual({ ok: true, size: head.size, hash: head.hash });
    const page = ((await s.call('GET', '/audit/chain/entries?from=2&limit=1')).json as J).entries as J[];
    expect(page.map((e) => e.seq)).toEqual([2]);
    const user = await addOrgUser(s, 'NotAdmin', 2);
    expect((await s.call('GET', '/audit/chain/entries', undefined, user.key)).status).toBe(403);
    expect((await s.call('GET', '/audit/chain/verify', undefined, user.key)).status).toBe(403);
    for (const q of ['from=0', 'limit=0', 'limit=20000', 'from=x']) expect((await s.call('GET', `/audit/chain/entries?${q}`)).status, q).toBe(400);
  });

  it('stays one line when writers run at the same time', async () => {
    const before = ((await s.call('GET', '/audit/chain/head')).json as J).size as number;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => s.call('POST', '/events/add', { info: `concurrent ${String(i)}`, Attribute: [{ type: 'domain', value: `c${String(i)}.example` }] })));
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 12 }, () => 200));
    expect((await s.call('GET', '/audit/chain/verify')).json).toMatchObject({ ok: true, size: before + 12 });
  });

  it('names the first entry changed behind the server’s back', async () => {
    await s.store.connection.db.updateTable('audit_logs').set({ model_title: 'forged' }).where('seq', '=', 2).execute();
    const verdict = (await s.call('GET', '/audit/chain/verify')).json as J;
    expect(verdict).toMatchObject({ ok: false, seq: 2 });
    expect(verdict.reason).toContain('changed after it was written');
  });
});

describe('the audit signing key file', () => {
  it('refuses a file that is not an Ed25519 key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-audit-key-'));
    try {
      writeFileSync(join(dir, 'k.pem'), readFileSync(new URL(import.meta.url)));
      expect(() => fileEd25519Signer(join(dir, 'k.pem'))).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
