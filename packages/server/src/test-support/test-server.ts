import { createMemoryKeyStore, defaultPolicy } from '@waggle/privacy';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { createMemoryBus, type Bus, type BusMessage } from '@waggle/bus';
import { DEFAULT_CORE_CONFIG, bootstrapAdmin, createLiveSettings, ensureDefaults, type CoreDeps } from '@waggle/core';
import { builtinTemplatesDir, loadTemplatesFromDir } from '@waggle/misp';
import { openSqlStore } from '@waggle/store';

/** The SQL store the test server runs on (core's Store port plus the SQL connection). */
export type SqlStore = Awaited<ReturnType<typeof openSqlStore>>;
import { createApp } from '../app.js';
import type { UmaEventGate } from '../uma/uma-gate.js';
import { createServices, type ServiceAdapters } from '../services.js';
import { ephemeralEd25519Signer } from '../audit/ed25519-signer.js';
import type { Services } from '../http/context.js';

/** The engines the HTTP suites run on: SQLite always, PostgreSQL unless WAGGLE_SKIP_POSTGRES=1. */
export function testEngines(): ('sqlite' | 'postgres')[] {
  return process.env.WAGGLE_SKIP_POSTGRES === '1' ? ['sqlite'] : ['sqlite', 'postgres'];
}

/** A server on a fresh store, with an admin key and the bus messages it published. */
export interface TestServer {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly store: SqlStore;
  readonly bus: Bus;
  readonly adminKey: string;
  readonly messages: BusMessage[];
  readonly deps: CoreDeps;
  /** Sends a JSON request as PyMISP does (raw key in Authorization). */
  call(method: string, url: string, body?: unknown, key?: string): Promise<{ status: number; json: unknown; text: string; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

const PG_URL = process.env.WAGGLE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function openStore(engine: 'sqlite' | 'postgres'): Promise<{ store: SqlStore; cleanup: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-http-'));
    const store = await openSqlStore({ url: join(dir, 'store.sqlite') });
    return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `w_http_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const store = await openSqlStore({ url: url.toString(), poolSize: 4 });
  return {
    store,
    cleanup: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Starts an in-process server (fastify inject, no socket) on the given engine. */
export async function startTestServer(engine: 'sqlite' | 'postgres', overrides: Partial<CoreDeps['config']> = {}, adapters: Pick<ServiceAdapters, 'privacy' | 'templateSource' | 'auditSigner'> & { readonly uma?: UmaEventGate } = {}): Promise<TestServer> {
  const { store, cleanup } = await openStore(engine);
  const bus = createMemoryBus();
  const messages: BusMessage[] = [];
  await bus.subscribe('*', (m) => {
    messages.push(m);
  });
  let t = 1_700_000_000;
  const config = { ...DEFAULT_CORE_CONFIG, ...overrides };
  const deps: CoreDeps = {
    store,
    bus,
    // A clock that advances one second per call keeps timestamps strictly increasing.
    clock: { now: () => ++t },
    ids: { uuid: () => randomUUID() },
    templates: loadTemplatesFromDir(builtinTemplatesDir()),
    config,
    settings: createLiveSettings(store, config),
  };
  await ensureDefaults(deps);
  const adminKey = randomBytes(30).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 40).padEnd(40, 'a');
  await bootstrapAdmin(deps, { orgName: 'ORGNAME', email: 'admin@admin.test', authKey: adminKey });
  const services = createServices(deps, {
    db: store.connection.db,
    ...(adapters.privacy !== undefined ? { privacy: adapters.privacy } : {}),
    ...(adapters.templateSource !== undefined ? { templateSource: adapters.templateSource } : {}),
    auditSigner: adapters.auditSigner ?? ephemeralEd25519Signer(),
    // In mode "uma" the gate's owners are the producers whose events pushes and feeds leave out.
    ...(adapters.uma?.mode === 'uma' ? { umaProducers: adapters.uma.owners } : {}),
  });
  const app = createApp({ services, version: '0.1.0-test', stream: deps, ...(adapters.uma !== undefined ? { uma: adapters.uma } : {}) });
  await app.ready();
  return {
    app,
    services,
    store,
    bus,
    adminKey,
    messages,
    deps,
    async call(method, url, body, key = adminKey) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: key, accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'PyMISP 2.5.2 - Python 3.11' },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      let json: unknown;
      try {
        json = res.body === '' ? undefined : JSON.parse(res.body);
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, json, text: res.body, headers: res.headers };
    },
    async close() {
      await app.close();
      await bus.close();
      await store.close();
      await cleanup();
    },
  };
}

/** Creates an organisation and a user with a fresh key directly in the store; returns the key. */
export async function addOrgUser(server: TestServer, orgName: string, roleId = 3): Promise<{ key: string; orgId: number; userId: number }> {
  const { authKeyRecord } = await import('@waggle/core');
  const key = randomBytes(40).toString('hex').replace(/[^A-Za-z0-9]/g, '').slice(0, 40);
  return server.store.write(async (repos) => {
    const now = 1_700_000_000;
    const org = (await repos.getOrganisation(orgName)) ?? (await repos.insertOrganisation({ uuid: randomUUID(), name: orgName, description: '', type: '', nationality: '', sector: '', contacts: '', local: true, restricted_to_domain: '', landingpage: '', created_by: 1, date_created: now, date_modified: now }));
    const user = await repos.insertUser({ email: `${randomBytes(4).toString('hex')}@${orgName.toLowerCase()}.test`, org_id: org.id, role_id: roleId, password_hash: '', disabled: false, autoalert: false, contactalert: false, termsaccepted: true, change_pw: false, nids_sid: 0, gpgkey: '', certif_public: '', expiration: null, invited_by: 1, date_created: now, date_modified: now, last_login: 0, current_login: 0 });
    await repos.insertAuthKey(authKeyRecord(key, user.id, now, randomUUID()));
    return { key, orgId: org.id, userId: user.id };
  });
}

/** A test server with the default anonymisation policy on (its key `community` in a memory key store). */
export async function startPolicyTestServer(engine: 'sqlite' | 'postgres'): Promise<TestServer> {
  const keys = createMemoryKeyStore({ random: (n) => new Uint8Array(randomBytes(n)), now: () => new Date() });
  keys.add('community');
  return startTestServer(engine, {}, { privacy: { policy: defaultPolicy(), keys } });
}

/** A user of a new external organisation: a recipient of the anonymisation policy. */
export async function addExternalOrgUser(server: TestServer, orgName: string): Promise<{ key: string; orgId: number; userId: number }> {
  const user = await addOrgUser(server, orgName);
  await server.store.write(async (repos) => {
    await repos.updateOrganisation(user.orgId, { local: false });
  });
  return user;
}
