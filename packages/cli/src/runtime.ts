import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { createJsonFileKeyStore, loadPolicyFile, type KeyStore, type Policy } from '@waggle/privacy';
import { createMemoryBus, createNatsBus, type Bus } from '@waggle/bus';
import { DEFAULT_CORE_CONFIG, createLiveSettings, type CoreDeps, type Store } from '@waggle/core';
import { builtinTemplatesDir, createTemplateRegistry, loadTemplatesFromDir, type ObjectTemplate, type TemplateRegistry } from '@waggle/misp';
import { createServices, fileEd25519Signer, type Services } from '@waggle/server';
import { umaProducersOf } from './commands/uma-gate.js';
import { openSqlStore, refreshStatistics } from '@waggle/store';
import type { Config } from './config.js';

/** The wired platform: adapters chosen by configuration, use cases on top. */
export interface Runtime {
  readonly config: Config;
  readonly store: Store;
  readonly bus: Bus;
  readonly templates: TemplateRegistry;
  readonly services: Services;
  readonly deps: CoreDeps;
  /** Organisations whose events are read under UMA only (WAGGLE_UMA_CONFIG in mode `uma`; ADR 0013). */
  readonly umaProducers: readonly string[];
  close(): Promise<void>;
}

/** Where imported object templates live (`waggle templates import`). */
export function templatesDir(config: Config): string {
  return join(config.home, 'templates');
}

/** The templates `waggle templates import` put in the data folder, and the files that did not load (a missing folder is no problem). */
function readImportedTemplates(config: Config): { templates: readonly ObjectTemplate[]; problems: string[] } {
  const loaded = loadTemplatesFromDir(templatesDir(config));
  const problems = loaded.problems.filter((p) => !p.message.includes('does not exist') && !p.message.includes('ENOENT'));
  return { templates: loaded.list(), problems: problems.map((p) => `${p.file}: ${p.message}`) };
}

function loadTemplates(config: Config, warn: (msg: string) => void): TemplateRegistry {
  const registry = createTemplateRegistry(loadTemplatesFromDir(builtinTemplatesDir()).list());
  const extra = readImportedTemplates(config);
  for (const t of extra.templates) registry.add(t);
  for (const p of extra.problems) warn(`template ${p}`);
  return registry;
}

/**
 * The outbound anonymisation policy (if configured) and its key store. Keys the
 * policy names but the store lacks are created here, once, so a fresh policy
 * works at the first start; their material never leaves the store file.
 */
function openPrivacy(config: Config, warn: (msg: string) => void): { policy?: Policy; keys: KeyStore; onWithheld: (uuid: string, recipient: unknown, reason: string) => void } {
  const keys = createJsonFileKeyStore(config.privacyKeys, { random: (n) => new Uint8Array(randomBytes(n)), now: () => new Date() });
  const onWithheld = (uuid: string, _recipient: unknown, reason: string): void => warn(`event ${uuid} withheld: ${reason}`);
  if (config.privacyPolicy === undefined) return { keys, onWithheld };
  const policy = loadPolicyFile(config.privacyPolicy);
  for (const name of new Set(Object.values(policy.keys))) {
    if (!keys.has(name)) {
      keys.add(name);
      warn(`privacy: created key "${name}" in ${config.privacyKeys}`);
    }
  }
  return { policy, keys, onWithheld };
}

/** Opens store and bus and builds the services. The composition root: the only place adapters are chosen. */
export async function openRuntime(config: Config, warn: (msg: string) => void = () => {}): Promise<Runtime> {
  mkdirSync(config.home, { recursive: true });
  const store = await openSqlStore({ url: config.database.reveal(), sqliteCacheMiB: config.sqliteCacheMiB });
  let bus: Bus;
  try {
    bus = config.bus === undefined ? createMemoryBus({ historyLimit: 100, onError: (e) => warn(`bus subscriber failed: ${String(e)}`) }) : await createNatsBus({ url: config.bus.reveal() });
  } catch (error) {
    await store.close();
    throw error;
  }
  const templates = loadTemplates(config, warn);
  const coreConfig = { ...DEFAULT_CORE_CONFIG, correlationCap: config.correlationCap };
  const deps: CoreDeps = {
    store,
    bus,
    clock: { now: () => Math.floor(Date.now() / 1000) },
    ids: { uuid: () => randomUUID() },
    templates,
    config: coreConfig,
    // Server settings stored by site admins override the start-up values (servers/serverSettingsEdit).
    settings: createLiveSettings(store, coreConfig),
  };
  let privacy: ReturnType<typeof openPrivacy>;
  try {
    privacy = openPrivacy(config, warn);
  } catch (error) {
    await bus.close();
    await store.close();
    throw error;
  }
  const templateSource = { read: () => readImportedTemplates(config) };
  const umaProducers = umaProducersOf(config.umaConfig);
  const services = createServices(deps, { db: store.connection.db, privacy, templateSource, auditSigner: fileEd25519Signer(join(config.home, 'audit-signing-key.pem')), umaProducers });
  // Keep planner statistics current as the store grows (see refreshStatistics).
  const stats = setInterval(() => {
    refreshStatistics(store.connection).catch((e: unknown) => warn(`statistics refresh failed: ${String(e)}`));
  }, 10 * 60 * 1000);
  stats.unref();
  return {
    config,
    store,
    bus,
    templates,
    services,
    deps,
    umaProducers,
    async close() {
      clearInterval(stats);
      await bus.close();
      await store.close();
    },
  };
}
