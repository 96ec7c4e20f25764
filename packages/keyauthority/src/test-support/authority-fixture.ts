import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import { createBackend, createFame, systemRandom, type Fame } from '@waggle/abe';
import { initAuthorityDir, openAuthorityDir, type AuthorityDir } from '../authority/authority-dir.js';
import { createKeyAuthority } from '../authority/key-authority.js';
import { inProcessKeygen } from '../authority/keygen.js';
import type { ClaimsVerifier } from '../claims/claims.js';
import { createJwtClaimsVerifier } from '../claims/jwt-claims-verifier.js';
import { createKeyAuthorityServer, listenKeyAuthority } from '../http/key-authority-server.js';
import { startTestIssuer, type TestIssuer } from './test-issuer.js';

/** A running key authority over a temp folder, with a test OIDC issuer and a settable clock. */
export interface AuthorityFixture {
  readonly url: string;
  readonly dir: AuthorityDir;
  readonly adminToken: string;
  readonly fame: Fame;
  readonly issuer: TestIssuer & { forger: TestIssuer['token'] };
  readonly events: string[];
  now: Date;
  close(): Promise<void>;
}

/** Starts the fixture; pass `verifier` to replace the OIDC verifier (UMA tests). */
export async function startAuthorityFixture(options: { verifier?: (fx: { now: () => Date; dir: AuthorityDir }) => ClaimsVerifier | Promise<ClaimsVerifier>; localJwks?: boolean } = {}): Promise<AuthorityFixture> {
  const folder = mkdtempSync(join(tmpdir(), 'ka-'));
  const fame = createFame({ backend: await createBackend('mcl'), random: systemRandom });
  const { adminToken } = initAuthorityDir({ dir: join(folder, 'authority'), fame, epochPeriod: 'month' });
  const dir = openAuthorityDir(join(folder, 'authority'));
  const issuer = await startTestIssuer();
  const events: string[] = [];
  const fx = { now: new Date('2026-12-02T12:00:00Z') } as { now: Date };
  const now = (): Date => fx.now;
  const authority = createKeyAuthority({ store: dir.store, keygen: inProcessKeygen(fame, dir.masterSecret), now, epochPeriod: dir.epochPeriod, maxPastEpochs: 3 });
  const keys = options.localJwks === true ? createLocalJWKSet(issuer.jwks) : createRemoteJWKSet(new URL(issuer.jwksUrl));
  const verifier = (await options.verifier?.({ now, dir })) ?? createJwtClaimsVerifier({ issuer: issuer.issuer, audience: 'waggle-keyauthority', keys, now });
  const app = createKeyAuthorityServer({ authority, verifier, publicParams: dir.publicParams, store: dir.store, isAdminToken: dir.isAdminToken, onEvent: (m) => events.push(m) });
  const listening = await listenKeyAuthority(app, '127.0.0.1', 0);
  return Object.assign(fx, {
    url: listening.url, dir, adminToken: adminToken.reveal(), fame, issuer, events,
    close: async () => {
      await listening.close();
      await issuer.close();
      dir.store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  });
}
