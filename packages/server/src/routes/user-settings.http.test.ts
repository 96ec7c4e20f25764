import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('MISP user settings (user_settings/*) on %s', (engine) => {
  let s: TestServer;
  let plain: { key: string; orgId: number; userId: number };
  let boss: { key: string; orgId: number; userId: number };
  let colleague: { key: string; orgId: number; userId: number };
  let stranger: { key: string; orgId: number; userId: number };
  beforeAll(async () => {
    s = await startTestServer(engine);
    plain = await addOrgUser(s, 'Settings Org', 3);
    boss = await addOrgUser(s, 'Settings Org', 2);
    colleague = await addOrgUser(s, 'Settings Org', 3);
    stranger = await addOrgUser(s, 'Other Org', 3);
  });
  afterAll(async () => {
    await s.close();
  });

  const allSettings = async (): Promise<J[]> => ((await s.call('GET', '/userSettings/index')).json as J[]).map((r) => r.UserSetting);

  it("replays test_user_settings: set_user_setting('dashboard_access', 1), publish_alert_filter, user_settings()", async () => {
    const access = await s.call('POST', '/userSettings/setSetting', { setting: 'dashboard_access', value: 1 });
    expect(access.status).toBe(200);
    expect((access.json as J).UserSetting).toMatchObject({ user_id: '1', setting: 'dashboard_access', value: 1 });
    // PyMISP sends a dict value as a JSON string; MISP stores it as is and answers it decoded.
    const filter = await s.call('POST', '/userSettings/setSetting', { setting: 'publish_alert_filter', value: JSON.stringify({ 'Tag.name': 'test_publish_filter' }) });
    expect(filter.status).toBe(200);
    const created = (filter.json as J).UserSetting;
    expect(Object.keys(created).sort()).toEqual(['id', 'setting', 'timestamp', 'user_id', 'value']);
    expect(created.value).toEqual({ 'Tag.name': 'test_publish_filter' });
    expect(Number(created.timestamp)).toBeGreaterThan(1_600_000_000);
    const listed = await s.call('GET', '/userSettings/index');
    expect(listed.status).toBe(200);
    expect(Array.isArray(listed.json)).toBe(true);
    expect((listed.json as J[]).map((r) => r.UserSetting.setting)).toEqual(['dashboard_access', 'publish_alert_filter']);
    // Setting it again replaces the value of the same row.
    const again = ((await s.call('POST', '/userSettings/setSetting', { setting: 'publish_alert_filter', value: { OR: { 'Tag.name': ['tlp:red'] } } })).json as J).UserSetting;
    expect([again.id, again.value]).toEqual([created.id, { OR: { 'Tag.name': ['tlp:red'] } }]);
  });

  it('get_user_setting answers the bare setting; users/view/me carries the settings as name → value', async () => {
    const got = await s.call('POST', '/userSettings/getSetting', { setting: 'dashboard_access' });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ user_id: '1', setting: 'dashboard_access', value: 1 });
    const byPath = await s.call('GET', '/user_settings/getSetting/1/dashboard_access.json');
    expect(byPath.json).toEqual(got.json);
    const me = (await s.call('GET', '/users/view/me')).json as J;
    expect(me.UserSetting).toEqual({ dashboard_access: 1, publish_alert_filter: { OR: { 'Tag.name': ['tlp:red'] } } });
    expect(((await s.call('GET', '/users/view/me', undefined, stranger.key)).json as J).UserSetting).toEqual([]);
  });

  it('stores the empty value as [] and accepts the web form body (UserSetting, setting in the path)', async () => {
    const empty = await s.call('POST', '/userSettings/setSetting', { setting: 'homepage', value: '' }, plain.key);
    expect((empty.json as J).UserSetting.value).toEqual([]);
    const form = await s.call('POST', `/user_settings/setSetting/${plain.userId}/homepage`, { UserSetting: { value: { path: '/events/index' } } }, plain.key);
    expect(form.status).toBe(200);
    expect((form.json as J).UserSetting).toMatchObject({ user_id: String(plain.userId), setting: 'homepage', value: { path: '/events/index' } });
  });

  it('refuses unknown settings, missing names and values that are not JSON, writing nothing', async () => {
    const before = await allSettings();
    const unknown = await s.call('POST', '/userSettings/setSetting', { setting: 'colour', value: '"red"' });
    expect([unknown.status, (unknown.json as J).message]).toEqual([400, 'Invalid setting.']);
    const noName = await s.call('POST', '/userSettings/setSetting', { value: 1 });
    expect([noName.status, (noName.json as J).message]).toEqual([400, 'This endpoint expects both a setting and a value to be set.']);
    const notJson = await s.call('POST', '/userSettings/setSetting', { setting: 'dashboard', value: 'not json' });
    expect([notJson.status, (notJson.json as J).message, (notJson.json as J).field]).toEqual([400, 'Invalid JSON.', 'value']);
    const columns = await s.call('POST', '/userSettings/setSetting', { setting: 'event_index_hide_columns', value: '{"a": 1}' });
    expect(columns.status).toBe(400);
    const override = await s.call('POST', '/userSettings/setSetting', { setting: 'tag_numerical_value_override', value: '{"tlp:red": "high"}' });
    expect(override.status).toBe(400);
    const badUser = await s.call('POST', '/userSettings/setSetting', { setting: 'dashboard', value: '[]', user_id: 'abc' });
    expect(badUser.status).toBe(400);
    const badType = await s.call('POST', '/userSettings/setSetting', { setting: ['dashboard'], value: '[]' });
    expect(badType.status).toBe(400);
    expect(await allSettings()).toEqual(before);
  });

  it('restricts dashboard_access to site admins and never sets the internal oidc setting', async () => {
    const r = await s.call('POST', '/userSettings/setSetting', { setting: 'dashboard_access', value: 1 }, plain.key);
    expect([r.status, (r.json as J).message]).toEqual([403, 'This setting is restricted and requires the following permission(s): site_admin']);
    const oidc = await s.call('POST', '/userSettings/setSetting', { setting: 'oidc', value: '{}' });
    expect([oidc.status, (oidc.json as J).message]).toEqual([403, 'This setting is restricted and requires the following permission(s): site_admin']);
  });

  it("lets site admins and org admins (own organisation) set another user's settings, nobody else", async () => {
    const byAdmin = await s.call('POST', '/userSettings/setSetting', { setting: 'dashboard', value: '[]', user_id: stranger.userId });
    expect((byAdmin.json as J).UserSetting.user_id).toBe(String(stranger.userId));
    const byBoss = await s.call('POST', '/userSettings/setSetting', { setting: 'dashboard', value: '[]', user_id: String(colleague.userId) }, boss.key);
    expect((byBoss.json as J).UserSetting.user_id).toBe(String(colleague.userId));
    const bossAbroad = await s.call('POST', '/userSettings/setSetting', { setting: 'homepage', value: '{"path": "/"}', user_id: stranger.userId }, boss.key);
    expect([bossAbroad.status, (bossAbroad.json as J).message]).toEqual([404, 'Invalid user.']);
    const plainOther = await s.call('POST', '/userSettings/setSetting', { setting: 'homepage', value: '{"path": "/"}', user_id: colleague.userId }, plain.key);
    expect(plainOther.status).toBe(404);
    const missing = await s.call('POST', '/userSettings/setSetting', { setting: 'homepage', value: '{"path": "/"}', user_id: 99999 });
    expect(missing.status).toBe(404);
    expect((await allSettings()).filter((r) => r.setting === 'homepage' && r.user_id !== String(plain.userId))).toEqual([]);
  });

  it('lists what each caller may see: site admins all, org admins their organisation, users their own', async () => {
    const mine = ((await s.call('GET', '/userSettings/index', undefined, plain.key)).json as J[]).map((r) => r.UserSetting.user_id);
    expect(new Set(mine)).toEqual(new Set([String(plain.userId)]));
    const org = ((await s.call('GET', '/userSettings/index', undefined, boss.key)).json as J[]).map((r) => r.UserSetting.user_id);
    expect(new Set(org)).toEqual(new Set([String(plain.userId), String(colleague.userId)]));
    const byName = ((await s.call('GET', '/user_settings/index/setting:dashboard')).json as J[]).map((r) => r.UserSetting.user_id);
    expect(new Set(byName)).toEqual(new Set([String(stranger.userId), String(colleague.userId)]));
    const meOnly = ((await s.call('GET', '/user_settings/index/user_id:me')).json as J[]).map((r) => r.UserSetting.setting);
    expect(meOnly).toEqual(['dashboard_access', 'publish_alert_filter']);
    const paged = (await s.call('GET', '/user_settings/index/limit:1/page:2')).json as J[];
    expect(paged.map((r) => r.UserSetting.setting)).toEqual(['publish_alert_filter']);
    expect((await s.call('GET', '/user_settings/index/limit:0')).status).toBe(400);
    expect((await s.call('GET', '/user_settings/index/user_id:someone')).status).toBe(400);
  });

  it("hides other users' settings from getSetting and view, and checks getSetting's input", async () => {
    const other = await s.call('POST', '/userSettings/getSetting', { setting: 'dashboard', user_id: colleague.userId }, plain.key);
    expect([other.status, (other.json as J).message]).toEqual([404, 'Invalid setting.']);
    const asBoss = await s.call('POST', '/userSettings/getSetting', { setting: 'dashboard', user_id: colleague.userId }, boss.key);
    expect((asBoss.json as J).value).toEqual([]);
    const noName = await s.call('POST', '/userSettings/getSetting', {});
    expect([noName.status, (noName.json as J).message]).toEqual([400, 'No setting name provided.']);
    expect((await s.call('POST', '/userSettings/getSetting', { setting: 'colour' })).status).toBe(404);
    expect((await s.call('GET', '/userSettings/getSetting')).status).toBe(400);
    const id = ((await allSettings()).find((r) => r.user_id === String(colleague.userId)) as J).id as string;
    expect((await s.call('GET', `/user_settings/view/${id}`, undefined, boss.key)).status).toBe(200);
    expect((await s.call('GET', `/user_settings/view/${id}`, undefined, stranger.key)).status).toBe(404);
    expect((await s.call('GET', '/user_settings/view/abc')).status).toBe(400);
  });

  it('deletes by name (delete_user_setting) or id; refuses what is not the caller\'s', async () => {
    const id = ((await allSettings()).find((r) => r.user_id === String(colleague.userId)) as J).id as string;
    const denied = await s.call('POST', `/userSettings/delete/${id}`, undefined, plain.key);
    expect([denied.status, (denied.json as J).message]).toEqual([404, 'Invalid user setting.']);
    expect((await s.call('POST', '/userSettings/delete/abc')).status).toBe(400);
    const noName = await s.call('POST', '/userSettings/delete', {});
    expect([noName.status, (noName.json as J).message]).toEqual([400, 'No setting name to delete provided.']);
    const restricted = await s.call('POST', '/userSettings/delete', { setting: 'dashboard_access', user_id: 1 }, plain.key);
    expect(restricted.status).toBe(404);
    expect((await allSettings()).some((r) => r.id === id)).toBe(true);
    const byName = await s.call('POST', '/userSettings/delete', { setting: 'publish_alert_filter' });
    expect(byName.status).toBe(200);
    expect(byName.json).toMatchObject({ saved: true, success: true, message: 'Setting deleted.' });
    const gone = await s.call('POST', '/userSettings/getSetting', { setting: 'publish_alert_filter' });
    expect([gone.status, (gone.json as J).message]).toEqual([404, 'Invalid setting.']);
    expect((await s.call('DELETE', `/user_settings/delete/${id}`, undefined, boss.key)).status).toBe(200);
    expect((await allSettings()).some((r) => r.id === id)).toBe(false);
    expect((await s.call('POST', '/userSettings/delete', { setting: 'publish_alert_filter' })).status).toBe(404);
  });

  it('merges default_restsearch_parameters under the filters of restSearch requests', async () => {
    const key = (await addOrgUser(s, 'Search Org', 3)).key;
    await s.call('POST', '/events/add', { info: 'defaults', distribution: 0, Attribute: [{ type: 'ip-dst', value: '10.1.2.3' }, { type: 'domain', value: 'defaults.example' }] }, key);
    const all = ((await s.call('POST', '/attributes/restSearch', {}, key)).json as J).response.Attribute as J[];
    expect(all.map((a) => a.type).sort()).toEqual(['domain', 'ip-dst']);
    await s.call('POST', '/userSettings/setSetting', { setting: 'default_restsearch_parameters', value: '{"type": "ip-dst"}' }, key);
    const narrowed = ((await s.call('POST', '/attributes/restSearch', {}, key)).json as J).response.Attribute as J[];
    expect(narrowed.map((a) => a.value)).toEqual(['10.1.2.3']);
    // A filter the request gives wins over the default.
    const explicit = ((await s.call('POST', '/attributes/restSearch', { type: 'domain' }, key)).json as J).response.Attribute as J[];
    expect(explicit.map((a) => a.value)).toEqual(['defaults.example']);
    const bad = await s.call('POST', '/userSettings/setSetting', { setting: 'default_restsearch_parameters', value: '"ip-dst"' }, key);
    expect(bad.status).toBe(400);
  });

  it("drops a deleted user's settings", async () => {
    const temp = await addOrgUser(s, 'Settings Org', 3);
    await s.call('POST', '/userSettings/setSetting', { setting: 'dashboard', value: '[]' }, temp.key);
    expect((await allSettings()).some((r) => r.user_id === String(temp.userId))).toBe(true);
    expect((await s.call('POST', `/admin/users/delete/${temp.userId}`)).status).toBe(200);
    expect((await allSettings()).some((r) => r.user_id === String(temp.userId))).toBe(false);
  });
});
