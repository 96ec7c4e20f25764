import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinTemplatesDir, loadTemplatesFromDir } from '@waggle/misp';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('object templates (PyMISP object_templates, get_object_template, get_raw_object_template, update_object_templates) on %s', (engine) => {
  let s: TestServer;
  const folder = mkdtempSync(join(tmpdir(), 'waggle-templates-'));
  beforeAll(async () => {
    s = await startTestServer(engine, {}, {
      templateSource: {
        read: () => {
          const loaded = loadTemplatesFromDir(folder);
          return { templates: loaded.list(), problems: loaded.problems.map((p) => `${p.file}: ${p.message}`) };
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('lists the templates the server validates objects with, and shows one by id, UUID or name', async () => {
    const list = (await s.call('GET', '/objectTemplates/index')).json as J[];
    const cowrie = list.find((t) => t.ObjectTemplate.name === 'cowrie')?.ObjectTemplate as J;
    expect(cowrie).toMatchObject({ name: 'cowrie', fixed: true, active: true });
    expect(cowrie.id).toMatch(/^[0-9]+$/);
    const definition = JSON.parse(readFileSync(join(builtinTemplatesDir(), 'cowrie', 'definition.json'), 'utf8')) as J;
    expect(cowrie.uuid).toBe(definition.uuid);
    expect(cowrie.version).toBe(String(definition.version));

    for (const ref of [cowrie.id, cowrie.uuid, 'cowrie']) {
      const view = (await s.call('GET', `/objectTemplates/view/${String(ref)}`)).json as J;
      expect(view.ObjectTemplate.uuid, String(ref)).toBe(definition.uuid);
      expect((view.ObjectTemplateElement as J[]).map((e) => e.object_relation).sort()).toEqual(Object.keys(definition.attributes as J).sort());
    }
    const raw = (await s.call('GET', `/objectTemplates/getRaw/${String(definition.uuid)}`)).json as J;
    expect(raw).toMatchObject({ name: 'cowrie', uuid: definition.uuid, version: definition.version });
    expect(Object.keys(raw.attributes as J).sort()).toEqual(Object.keys(definition.attributes as J).sort());
    expect((await s.call('GET', '/objectTemplates/view/no-such-template')).status).toBe(404);
    expect((await s.call('GET', '/objectTemplates/view/12345')).status).toBe(404);
  });

  it('reads imported templates again on update (site admins only), so objects of them are validated', async () => {
    const user = await addOrgUser(s, 'TemplateUser');
    expect((await s.call('GET', '/objectTemplates/index', undefined, user.key)).status).toBe(200);
    expect((await s.call('POST', '/objectTemplates/update', {}, user.key)).status).toBe(403);
    expect(((await s.call('GET', '/objectTemplates/view/bank-account')).status)).toBe(404);

    const shared = '/work/shared/data/misp-objects/objects/bank-account';
    mkdirSync(join(folder, 'bank-account'), { recursive: true });
    try {
      cpSync(join(shared, 'definition.json'), join(folder, 'bank-account', 'definition.json'));
    } catch {
      // Without the shared data set, a small template of the same layout.
      writeFileSync(join(folder, 'bank-account', 'definition.json'), JSON.stringify({ name: 'bank-account', uuid: '695e7924-2518-4054-9cea-f82853d37410', version: 1, description: 'x', 'meta-category': 'financial', attributes: { iban: { 'misp-attribute': 'iban', description: 'IBAN', 'ui-priority': 1 } }, requiredOneOf: ['iban'] }));
    }
    mkdirSync(join(folder, 'broken'));
    writeFileSync(join(folder, 'broken', 'definition.json'), '{ not json');
    // MISP redirects to the index, which PyMISP follows: update_object_templates() returns the list.
    const r = await s.call('POST', '/objectTemplates/update', {});
    expect(r.status, r.text).toBe(302);
    expect(r.headers.location).toBe('index');
    expect(r.headers['x-waggle-message']).toBe('Successfully updated 1 object templates. However, could not update 1 object templates.');
    const followed = await s.call('GET', new URL(String(r.headers.location), 'http://misp/objectTemplates/update').pathname);
    expect(Array.isArray(followed.json)).toBe(true);
    expect((followed.json as J[]).some((t) => t.ObjectTemplate.name === 'bank-account')).toBe(true);
    expect((await s.call('GET', '/objectTemplates/view/bank-account')).status).toBe(200);
    // The template now applies: an object missing all of requiredOneOf is refused.
    const ev = ((await s.call('POST', '/events/add', { info: 'bank' })).json as J).Event;
    const bad = await s.call('POST', `/objects/add/${String(ev.id)}`, { name: 'bank-account', Attribute: [{ object_relation: 'comment', type: 'text', value: 'x' }] });
    expect(bad.status).toBe(400);
    // A second update finds nothing newer (the broken file still fails, as MISP reports it each time).
    expect((await s.call('POST', '/objectTemplates/update', {})).headers['x-waggle-message']).toBe('Could not update any of the object templates');
    rmSync(join(folder, 'broken'), { recursive: true });
    const again = await s.call('POST', '/object_templates/update');
    expect(again.status).toBe(302);
    expect(again.headers['x-waggle-message']).toBe('All object templates are up to date already.');
  });
});
