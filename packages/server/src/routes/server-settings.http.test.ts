import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBus } from '@waggle/bus';
import { DEFAULT_CORE_CONFIG, DEFAULT_MAINTENANCE_MESSAGE, authKeyRecord, bootstrapAdmin, createLiveSettings, ensureDefaults, type CoreDeps } from '@waggle/core';
import { builtinTemplatesDir, loadTemplatesFromDir } from '@waggle/misp';
import { openSqlStore } from '@waggle/store';
import { createApp } from '../app.js';
import { createServices } from '../services.js';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NO_PERMISSION = 'You do not have permission to use this functionality.';

describe.each(testEngines())('server settings (PyMISP server_settings, get_server_setting, set_server_setting) on %s', (engine) => {
  let s: TestServer;
  let n = 0;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  const set = (name: string, value: unknown, force = false, key?: string) => s.call('POST', `/servers/serverSettingsEdit/${name}`, { value, force }, key);
  const get = async (name: string): Promise<J> => {
    const r = await s.call('GET', `/servers/getSetting/${name}`);
    expect(r.status, r.text).toBe(200);
    return r.json as J;
  };
  /** Sets a setting for the duration of `body`, then puts the previous value back. */
  async function withSetting(name: string, value: unknown, body: () => Promise<void>): Promise<void> {
    const before = (await get(name)).value as unknown;
    const r = await set(name, value, true);
    expect(r.status, r.text).toBe(200);
    try {
      await body();
    } finally {
      expect((await set(name, before, true)).status).toBe(200);
    }
  }
  const uniq = (prefix: string): string => `${prefix}-${engine}-${String(++n)}`;
  async function addEvent(body: J, key?: string): Promise<J> {
    const r = await s.call('POST', '/events/add', { info: uniq('settings'), ...body }, key);
    expect(r.status, r.text).toBe(200);
    return (r.json as J).Event as J;
  }
  const view = async (id: unknown): Promise<J> => ((await s.call('GET', `/events/view/${String(id)}`)).json as J).Event as J;

  it("replays test_server_settings: finalSettings has max_correlations_per_event 5000, set 10 gives 'Field updated', MISP.live goes false and back with force", async () => {
    // setUpClass: set_server_setting('Security.allow_self_registration', True, force=True) and ('debug', 1, force=True).
    for (const [name, value] of [['Security.allow_self_registration', true], ['debug', 1]] as const) {
      const r = await set(name, value, true);
      expect(r.status, r.text).toBe(200);
      expect((r.json as J).message).toBe('Field updated');
      expect((await get(name)).value).toBe(value);
    }

    const listed = await s.call('GET', '/servers/serverSettings');
    expect(listed.status, listed.text).toBe(200);
    const final = (listed.json as J).finalSettings as J[];
    const max = final.find((f) => f.setting === 'MISP.max_correlations_per_event');
    expect(max).toEqual({ level: 1, value: 5000, test: 'testForNumeric', type: 'numeric', null: true, tab: 'MISP', setting: 'MISP.max_correlations_per_event' });
    // MISP's REST dump: sorted by level, no descriptions; a value its check warns about is flagged.
    expect(final.map((f) => f.level)).toEqual([...final.map((f) => f.level as number)].sort());
    expect(final.every((f) => !('description' in f))).toBe(true);
    expect(final.find((f) => f.setting === 'debug')).toMatchObject({ value: 1, tab: 'Security', error: 1, errorMessage: 'This setting has to be set to 0 on production systems. Ignore this warning if this is not the case.' });
    expect(final.find((f) => f.setting === 'MISP.live')).toEqual({ level: 0, value: true, test: 'testLive', type: 'boolean', tab: 'MISP', setting: 'MISP.live' });

    let r = await set('MISP.max_correlations_per_event', 10);
    expect((r.json as J).message, r.text).toBe('Field updated');
    expect(r.json).toMatchObject({ saved: true, success: true, name: 'Field updated' });
    expect((await get('MISP.max_correlations_per_event')).value).toBe(10);
    r = await set('MISP.max_correlations_per_event', 5000);
    expect((r.json as J).message).toBe('Field updated');

    expect((await get('MISP.live')).value).toBe(true);
    r = await set('MISP.live', false, true);
    expect((r.json as J).message, r.text).toBe('Field updated');
    expect((await get('MISP.live')).value).toBe(false);
    r = await set('MISP.live', true, true);
    expect((r.json as J).message).toBe('Field updated');
    expect((await get('MISP.live')).value).toBe(true);

    for (const [name, value] of [['Security.allow_self_registration', false], ['debug', 0]] as const) expect((await set(name, value, true)).status).toBe(200);
  });

  it('shows one setting as MISP getSetting does, and its value through GET serverSettingsEdit', async () => {
    expect(await get('MISP.max_correlations_per_event')).toEqual({
      level: 1,
      description: 'Sets the maximum number of correlations that can be fetched with a single event. For extreme edge cases this can prevent memory issues. The default value is 5k.',
      value: 5000,
      test: 'testForNumeric',
      type: 'numeric',
      null: true,
      name: 'MISP.max_correlations_per_event',
    });
    expect(await get('MISP.default_attribute_distribution')).toMatchObject({ value: 'event', type: 'string', options: { 0: 'Your organisation only', event: 'Inherit from event' } });
    // The over-correlation cap defaults to the one the server started with.
    expect((await get('MISP.correlation_limit')).value).toBe(DEFAULT_CORE_CONFIG.correlationCap);
    expect((await s.call('GET', '/servers/serverSettingsEdit/MISP.live')).json).toEqual({ 'MISP.live': true });
  });

  it("replays test_simple_event's get_server_setting('MISP.background_jobs')['value'] and the forced set and restore", async () => {
    const before = await get('MISP.background_jobs');
    expect(before).toMatchObject({ name: 'MISP.background_jobs', value: false, type: 'boolean', test: 'testBool' });
    expect(((await set('MISP.background_jobs', false, true)).json as J).message).toBe('Field updated');
    expect((await get('MISP.background_jobs')).value).toBe(false);
    expect(((await set('MISP.background_jobs', before.value, true)).json as J).message).toBe('Field updated');
  });

  it('takes the value inside Server, and the loose forms MISP casts ("10", "1", 0)', async () => {
    let r = await s.call('POST', '/servers/serverSettingsEdit/MISP.max_correlations_per_event', { Server: { value: '42' } });
    expect(r.status, r.text).toBe(200);
    expect((await get('MISP.max_correlations_per_event')).value).toBe(42);
    r = await set('Security.allow_self_registration', '1');
    expect(r.status, r.text).toBe(200);
    expect((await get('Security.allow_self_registration')).value).toBe(true);
    r = await set('Security.allow_self_registration', 0);
    expect((await get('Security.allow_self_registration')).value).toBe(false);
    r = await set('MISP.default_event_distribution', 1);
    expect(r.status, r.text).toBe(200);
    expect((await get('MISP.default_event_distribution')).value).toBe('1');
    expect((await set('MISP.max_correlations_per_event', 5000)).status).toBe(200);
  });

  it('refuses wrong types and invalid values with 400 naming the setting, force or not, and stores nothing', async () => {
    const cases: [string, unknown, boolean][] = [
      ['MISP.max_correlations_per_event', 'abc', true],
      ['MISP.max_correlations_per_event', 10.5, true],
      ['MISP.max_correlations_per_event', true, true],
      ['MISP.max_correlations_per_event', -1, true],
      ['MISP.correlation_limit', 0, true],
      ['MISP.live', 'yes', true],
      ['MISP.live', 2, true],
      ['debug', 5, true],
      ['MISP.default_event_distribution', '4', true],
      ['MISP.default_event_distribution', 'event', true],
      ['MISP.default_attribute_distribution', true, true],
      ['MISP.maintenance_message', false, true],
    ];
    for (const [name, value, force] of cases) {
      const before = (await get(name)).value as unknown;
      const r = await set(name, value, force);
      expect(r.status, `${name} = ${JSON.stringify(value)}: ${r.text}`).toBe(400);
      expect(r.json).toMatchObject({ code: 'invalid_input', field: name });
      expect((r.json as J).message).toContain(name);
      expect((await get(name)).value, name).toEqual(before);
    }
    expect(((await set('MISP.live', 'yes')).json as J).message).toBe("MISP.live: Value is not a boolean, make sure that you convert 'true' to true for example.");
    expect(((await set('MISP.max_correlations_per_event', 'abc')).json as J).message).toBe('MISP.max_correlations_per_event: This setting has to be a number.');
    expect(((await set('MISP.default_event_distribution', '4')).json as J).message).toBe('MISP.default_event_distribution: Invalid setting `4`, valid values are: 0, 1, 2, 3');
  });

  it("refuses a value MISP's check warns about unless forced: MISP.live false, debug 1", async () => {
    let r = await set('MISP.live', false);
    expect(r.status).toBe(400);
    expect((r.json as J).message).toBe('MISP.live: MISP disabled. Send "force": true to save it anyway.');
    expect((await get('MISP.live')).value).toBe(true);
    r = await set('debug', '1');
    expect(r.status).toBe(400);
    expect((r.json as J).message).toContain('This setting has to be set to 0 on production systems.');
    expect((await get('debug')).value).toBe(0);
    // force as MISP reads it: any truthy flag.
    r = await s.call('POST', '/servers/serverSettingsEdit/debug', { value: 2, force: 1 });
    expect(r.status, r.text).toBe(200);
    expect((await get('debug')).value).toBe(2);
    expect((await set('debug', 0)).status).toBe(200);
  });

  it('refuses a body without a usable value as MISP does', async () => {
    for (const body of [{}, { value: null }, { value: [1] }, { value: { a: 1 } }, { Server: {} }]) {
      const r = await s.call('POST', '/servers/serverSettingsEdit/MISP.max_correlations_per_event', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.json as J).message).toBe('Invalid input. Expected: {"value": "new_setting"}');
    }
    const r = await set('MISP.maintenance_message', ' ***** ');
    expect([r.status, (r.json as J).message]).toEqual([400, 'No change.']);
    expect((await get('MISP.max_correlations_per_event')).value).toBe(5000);
  });

  it("answers 404 'Setting <name> is invalid.' for a setting waggle does not know", async () => {
    for (const [method, url] of [['GET', '/servers/getSetting/MISP.nope'], ['GET', '/servers/serverSettingsEdit/MISP.nope'], ['POST', '/servers/serverSettingsEdit/MISP.nope'], ['GET', '/servers/getSetting/MISP']] as const) {
      const r = await s.call(method, url, method === 'POST' ? { value: 1, force: true } : undefined);
      expect(r.status, url).toBe(404);
      expect((r.json as J).message).toBe(`Setting ${url.split('/').at(-1) ?? ''} is invalid.`);
    }
  });

  it('is for site admins only (403 with MISP message), and a read-only key of a site admin cannot change a setting', async () => {
    for (const role of [2, 3, 5, 6]) {
      const user = await addOrgUser(s, `Settings${String(role)}`, role);
      for (const [method, url] of [['GET', '/servers/serverSettings'], ['GET', '/servers/getSetting/MISP.live'], ['GET', '/servers/serverSettingsEdit/MISP.live'], ['POST', '/servers/serverSettingsEdit/MISP.live']] as const) {
        const r = await s.call(method, url, method === 'POST' ? { value: false, force: true } : undefined, user.key);
        expect(r.status, `role ${String(role)} ${url}`).toBe(403);
        expect((r.json as J).message).toBe(NO_PERMISSION);
      }
    }
    expect((await get('MISP.live')).value).toBe(true);

    const readOnlyKey = 'ReadOnly'.repeat(5);
    await s.store.write(async (repos) => {
      await repos.insertAuthKey(authKeyRecord(readOnlyKey, 1, 1_700_000_000, randomUUID(), { read_only: true }));
    });
    expect((await s.call('GET', '/servers/getSetting/MISP.live', undefined, readOnlyKey)).status).toBe(200);
    const r = await set('MISP.live', false, true, readOnlyKey);
    expect(r.status).toBe(403);
    expect((await get('MISP.live')).value).toBe(true);
  });

  it('MISP.live false turns away everyone but site admins with 405 and the maintenance message, at once', async () => {
    const user = await addOrgUser(s, 'LiveOrg', 3);
    expect((await s.call('GET', '/events/index', undefined, user.key)).status).toBe(200);
    await withSetting('MISP.live', false, async () => {
      let r = await s.call('GET', '/events/index', undefined, user.key);
      expect(r.status, r.text).toBe(405);
      expect(r.json).toMatchObject({ message: DEFAULT_MAINTENANCE_MESSAGE, code: 'maintenance', retryable: true });
      expect((await s.call('POST', '/events/add', { info: 'during maintenance' }, user.key)).status).toBe(405);
      // Site admins keep access, to the settings and to everything else.
      expect((await s.call('GET', '/events/index')).status).toBe(200);
      expect((await s.call('GET', '/servers/serverSettings')).status).toBe(200);
      // $email is MISP.email once that is set; the message itself can be changed.
      await withSetting('MISP.email', 'soc@waggle.test', async () => {
        r = await s.call('GET', '/users/view/me', undefined, user.key);
        expect((r.json as J).message).toBe('Great things are happening! MISP is undergoing maintenance, but will return shortly. You can contact the administration at soc@waggle.test.');
        await withSetting('MISP.maintenance_message', 'Back at 14:00, ask $email.', async () => {
          r = await s.call('GET', '/users/view/me', undefined, user.key);
          expect([r.status, (r.json as J).message]).toEqual([405, 'Back at 14:00, ask soc@waggle.test.']);
        });
      });
    });
    expect((await s.call('GET', '/events/index', undefined, user.key)).status).toBe(200);
  });

  it('MISP.correlation_limit changes which values correlate, at once', async () => {
    const value = `${uniq('over')}.example`;
    const events: J[] = [];
    for (let i = 0; i < 3; i++) events.push(await addEvent({ distribution: '1', Attribute: [{ type: 'domain', value }] }));
    const related = async (): Promise<string[]> => ((await view(events[0]?.id)).RelatedEvent as J[]).map((e) => String(e.Event.id)).sort();
    expect(await related()).toEqual([String(events[1]?.id), String(events[2]?.id)].sort());
    // Held by three attributes: over a limit of 2, so it no longer correlates.
    await withSetting('MISP.correlation_limit', 2, async () => {
      expect(await related()).toEqual([]);
      expect((await view(events[0]?.id)).Attribute[0].RelatedAttribute ?? []).toEqual([]);
    });
    expect(await related()).toHaveLength(2);
  });

  it('MISP.max_correlations_per_event caps RelatedAttribute in an event view (0 means 5000, as in MISP)', async () => {
    const values = [1, 2, 3].map((i) => `${uniq(`max${String(i)}`)}.example`);
    const a = await addEvent({ distribution: '1', Attribute: values.map((value) => ({ type: 'domain', value })) });
    const b = await addEvent({ distribution: '1', Attribute: values.map((value) => ({ type: 'hostname', value })) });
    const count = async (): Promise<number> => ((await view(a.id)).Attribute as J[]).reduce((sum, x) => sum + ((x.RelatedAttribute as J[] | undefined)?.length ?? 0), 0);
    expect(await count()).toBe(3);
    await withSetting('MISP.max_correlations_per_event', 2, async () => {
      expect(await count()).toBe(2);
      // RelatedEvent is not capped (MISP reads it apart).
      expect(((await view(a.id)).RelatedEvent as J[]).map((e) => String(e.Event.id))).toEqual([String(b.id)]);
    });
    await withSetting('MISP.max_correlations_per_event', 0, async () => {
      expect(await count()).toBe(3);
    });
  });

  it('MISP.default_event_distribution and MISP.default_attribute_distribution apply to what is added without one', async () => {
    await withSetting('MISP.default_event_distribution', '0', async () => {
      expect((await addEvent({})).distribution).toBe('0');
    });
    expect((await addEvent({})).distribution).toBe('1');
    await withSetting('MISP.default_attribute_distribution', '2', async () => {
      const e = await addEvent({ Attribute: [{ type: 'domain', value: `${uniq('dist')}.example` }] });
      expect(e.Attribute[0].distribution).toBe('2');
      const r = await s.call('POST', `/attributes/add/${String(e.id)}`, { type: 'ip-dst', value: '192.0.2.55' });
      expect((r.json as J).Attribute.distribution, r.text).toBe('2');
    });
    const e = await addEvent({ Attribute: [{ type: 'domain', value: `${uniq('dist')}.example` }] });
    expect(e.Attribute[0].distribution).toBe('5');
  });

  it('Waggle.strict_object_templates off accepts objects that break their template', async () => {
    const e = await addEvent({});
    const object = () => ({
      name: 'domain-ip',
      template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
      Attribute: [
        { object_relation: 'domain', type: 'domain', value: `${uniq('obj')}.example` },
        { object_relation: 'colour', type: 'text', value: 'red' },
      ],
    });
    const refused = await s.call('POST', `/objects/add/${String(e.id)}`, object());
    expect(refused.status, refused.text).toBe(400);
    expect((refused.json as J).message).toContain("relation 'colour' is not defined by template 'domain-ip'");
    await withSetting('Waggle.strict_object_templates', false, async () => {
      const r = await s.call('POST', `/objects/add/${String(e.id)}`, object());
      expect(r.status, r.text).toBe(200);
    });
    expect((await s.call('POST', `/objects/add/${String(e.id)}`, object())).status).toBe(400);
  });

  it('writes each change to the audit log, with the old and the new value', async () => {
    expect((await set('MISP.max_correlations_per_event', 77)).status).toBe(200);
    const entries = await s.store.read((repos) => repos.listAudit({ actions: ['serverSettingsEdit'] }));
    expect(entries[0]).toMatchObject({ model: 'Server', model_id: 0, model_title: 'Server setting changed', change: JSON.stringify({ 'MISP.max_correlations_per_event': [5000, 77] }) });
    expect((await set('MISP.max_correlations_per_event', 5000)).status).toBe(200);
  });

  it('falls back to the default when a stored value is unusable', async () => {
    await s.store.write((repos) => repos.putSystemSetting('MISP.max_correlations_per_event', '"not a number"'));
    // Another process wrote the row: this one reads it once its few seconds of caching are over.
    s.deps.settings.invalidate();
    expect((await get('MISP.max_correlations_per_event')).value).toBe(5000);
  });
});

/** A waggle server over a SQLite file, wired as `waggle serve` wires it, that can be stopped and started again. */
async function serveFile(file: string, adminKey: string) {
  const store = await openSqlStore({ url: file });
  const bus = createMemoryBus();
  let t = 1_700_000_000;
  const deps: CoreDeps = {
    store,
    bus,
    clock: { now: () => ++t },
    ids: { uuid: () => randomUUID() },
    templates: loadTemplatesFromDir(builtinTemplatesDir()),
    config: DEFAULT_CORE_CONFIG,
    settings: createLiveSettings(store, DEFAULT_CORE_CONFIG),
  };
  await ensureDefaults(deps);
  await bootstrapAdmin(deps, { orgName: 'ORGNAME', email: 'admin@admin.test', authKey: adminKey });
  const app = createApp({ services: createServices(deps, { db: store.connection.db }), version: '0.1.0-test' });
  await app.ready();
  return {
    async call(method: 'GET' | 'POST', url: string, body?: unknown, key = adminKey): Promise<{ status: number; json: J }> {
      const res = await app.inject({ method, url, headers: { authorization: key, accept: 'application/json', 'content-type': 'application/json' }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
      return { status: res.statusCode, json: JSON.parse(res.body) as J };
    },
    async close() {
      await app.close();
      await bus.close();
      await store.close();
    },
  };
}

describe('server settings across a restart on the same SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-settings-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the values, typed, and their effect', async () => {
    const file = join(dir, 'store.sqlite');
    const adminKey = 'Settings'.repeat(5);
    const first = await serveFile(file, adminKey);
    const user = (await first.call('POST', '/admin/users/add', { email: 'user@settings.test', org_id: '1', role_id: '3' })).json.User as J;
    for (const [name, value] of [['MISP.max_correlations_per_event', 10], ['MISP.live', false], ['MISP.maintenance_message', 'Closed for the night.'], ['MISP.default_attribute_distribution', '3']] as const) {
      expect((await first.call('POST', `/servers/serverSettingsEdit/${name}`, { value, force: true })).json.message).toBe('Field updated');
    }
    await first.close();

    const second = await serveFile(file, adminKey);
    try {
      expect((await second.call('GET', '/servers/getSetting/MISP.max_correlations_per_event')).json.value).toBe(10);
      expect((await second.call('GET', '/servers/getSetting/MISP.live')).json.value).toBe(false);
      expect((await second.call('GET', '/servers/getSetting/MISP.default_attribute_distribution')).json.value).toBe('3');
      expect((await second.call('GET', '/servers/getSetting/debug')).json.value).toBe(0);
      const refused = await second.call('GET', '/events/index', undefined, user.authkey as string);
      expect([refused.status, refused.json.message]).toEqual([405, 'Closed for the night.']);
      const e = (await second.call('POST', '/events/add', { info: 'after restart', Attribute: [{ type: 'domain', value: 'restart.example' }] })).json.Event as J;
      expect(e.Attribute[0].distribution).toBe('3');
      expect((await second.call('POST', '/servers/serverSettingsEdit/MISP.live', { value: true })).json.message).toBe('Field updated');
      expect((await second.call('GET', '/events/index', undefined, user.authkey as string)).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
