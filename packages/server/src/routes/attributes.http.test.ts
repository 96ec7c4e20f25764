import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('MISP attributes/add with a list on %s', (engine) => {
  let s: TestServer;
  let ev: J;
  beforeAll(async () => {
    s = await startTestServer(engine);
    ev = ((await s.call('POST', '/events/add', { info: 'List add', distribution: '0' })).json as J).Event;
  });
  afterAll(async () => {
    await s.close();
  });

  it('saves the valid entries and reports the others under attribute_<index>, as PyMISP reads it', async () => {
    const taken = randomUUID();
    expect((await s.call('POST', `/attributes/add/${String(ev.uuid)}`, { uuid: taken, type: 'ip-src', value: '192.0.2.50' })).status).toBe(200);
    // add_attribute(event, [MISPAttribute, …]): a bare JSON array, ints as strings, booleans as booleans.
    const r = await s.call('POST', `/attributes/add/${String(ev.uuid)}`, [
      { uuid: randomUUID(), type: 'ip-src', value: 'not-an-ip', category: 'Network activity', to_ids: true },
      { uuid: randomUUID(), type: 'ip-src', value: '192.0.2.51', category: 'Network activity', to_ids: true, distribution: '5' },
      { uuid: taken, type: 'ip-src', value: '192.0.2.52' },
      { uuid: randomUUID(), type: 'domain', value: 'list.example', disable_correlation: false },
    ]);
    expect(r.status).toBe(200);
    const j = r.json as J;
    // PyMISP iterates new_attribute['Attribute'] when the list had more than one entry, and copies 'errors'.
    expect((j.Attribute as J[]).map((a) => a.value)).toEqual(['192.0.2.51', 'list.example']);
    expect(Object.keys(j.errors as J).sort()).toEqual(['attribute_0', 'attribute_2']);
    for (const e of Object.values(j.errors as Record<string, Record<string, unknown>>)) {
      expect(Object.values(e).flat()[0]).toBeTypeOf('string');
    }
    const view = ((await s.call('GET', `/events/view/${String(ev.id)}`)).json as J).Event;
    expect((view.Attribute as J[]).map((a) => a.value).sort()).toEqual(['192.0.2.50', '192.0.2.51', 'list.example']);
  });

  it('answers an all-valid list without errors and a list of one in the single form', async () => {
    const two = await s.call('POST', `/attributes/add/${String(ev.id)}`, [{ type: 'ip-src', value: '192.0.2.60' }, { type: 'ip-src', value: '192.0.2.61' }]);
    expect(Object.keys(two.json as J)).toEqual(['Attribute']);
    expect(((two.json as J).Attribute as J[]).map((a) => a.value)).toEqual(['192.0.2.60', '192.0.2.61']);
    const one = await s.call('POST', `/attributes/add/${String(ev.id)}`, [{ type: 'ip-src', value: '192.0.2.62' }]);
    expect((one.json as J).Attribute).toMatchObject({ value: '192.0.2.62' });
  });

  it('refuses a list where nothing is valid, and a missing event, with JSON errors', async () => {
    const bad = await s.call('POST', `/attributes/add/${String(ev.id)}`, [{ type: 'ip-src', value: 'x' }, { type: 'no-such-type', value: 'y' }]);
    expect(bad.status).toBe(400);
    expect((bad.json as J).message).toMatch(/attribute_0.*attribute_1/);
    const missing = await s.call('POST', '/attributes/add/999999', [{ type: 'ip-src', value: '192.0.2.70' }, { type: 'ip-src', value: '192.0.2.71' }]);
    expect(missing.status).toBe(404);
    expect((missing.json as J).message).toBeTypeOf('string');
  });
  it("keys a refused single attribute's reason by field as MISP's saveFailResponse: similar_error['errors'][1]['errors']['value'][0] (test_attribute)", async () => {
    const id = String((((await s.call('POST', '/events/add', { info: 'Single refusals' })).json as J).Event as J).id);
    const a = { type: 'ip-dst', value: '198.51.100.90', category: 'Network activity', to_ids: true };
    expect((await s.call('POST', `/attributes/add/${id}`, a)).status).toBe(200);
    const similar = await s.call('POST', `/attributes/add/${id}`, a);
    expect(similar.status).toBe(400);
    expect((similar.json as J).errors).toEqual({ value: ['A similar attribute already exists for this event.'] });
    expect((similar.json as J).message).toBe('A similar attribute already exists for this event.');
    const badType = await s.call('POST', `/attributes/add/${id}`, { type: 'no-such-type', value: 'x' });
    expect(badType.status).toBe(400);
    expect(Object.keys((badType.json as J).errors as J)).toEqual(['type']);
    // Nothing was written.
    const values = (((await s.call('GET', `/events/view/${id}`)).json as J).Event.Attribute as J[]).map((x) => x.value);
    expect(values).toEqual(['198.51.100.90']);
  });

  it("removes a tag sent with deleted: true on an attribute edit, as MISP's handleAttributeTag (test_tags: tags[0].delete(); update_attribute)", async () => {
    const ev = ((await s.call('POST', '/events/add', { info: 'Tag removal on edit', Attribute: [{ type: 'text', value: 'tag-removal', Tag: [{ name: 'removal:one' }, { name: 'removal:two' }] }] })).json as J).Event as J;
    const a = (ev.Attribute as J[])[0] as J;
    const names = (x: J): string[] => ((x.Tag ?? []) as J[]).map((t) => t.name as string).sort();
    expect(names(a)).toEqual(['removal:one', 'removal:two']);
    const tags = (a.Tag as J[]).map((t) => (t.name === 'removal:one' ? { ...t, deleted: true } : t));
    const edited = await s.call('POST', `/attributes/edit/${String(a.uuid)}`, { ...a, timestamp: undefined, Tag: tags });
    expect(edited.status).toBe(200);
    expect(names((edited.json as J).Attribute as J)).toEqual(['removal:two']);
    expect(names(((await s.call('GET', `/attributes/view/${String(a.id)}`)).json as J).Attribute as J)).toEqual(['removal:two']);
    // Through events/edit too; a deleted tag on a new attribute is not attached, and an unknown one is no error.
    const viaEvent = await s.call('POST', `/events/edit/${String(ev.uuid)}`, { info: 'Tag removal on edit', Attribute: [
      { uuid: a.uuid, type: 'text', value: 'tag-removal', Tag: [{ name: 'removal:two', deleted: true }, { name: 'removal:never-there', deleted: true }] },
      { type: 'text', value: 'tag-removal-new', Tag: [{ name: 'removal:three', deleted: true }] },
    ] });
    expect(viaEvent.status).toBe(200);
    const after = ((viaEvent.json as J).Event.Attribute as J[]);
    expect(after.map((x) => [x.value, names(x)])).toEqual([['tag-removal', []], ['tag-removal-new', []]]);
    expect((await s.call('POST', `/attributes/edit/${String(a.uuid)}`, { Tag: [{ name: 'removal:one', deleted: 'maybe' }] })).status).toBe(400);
  });

  it('refuses a duplicate of a live attribute unless /breakOnDuplicate:0, as add_attribute(break_on_duplicate=…) expects', async () => {
    const id = String((((await s.call('POST', '/events/add', { info: 'Duplicates' })).json as J).Event as J).id);
    const a = { type: 'domain', value: 'dup.example', category: 'Network activity', to_ids: true };
    expect((await s.call('POST', `/attributes/add/${id}`, a)).status).toBe(200);
    // The same value after normalisation is a duplicate; PyMISP returns {'errors': (4xx, body)}.
    const again = await s.call('POST', `/attributes/add/${id}`, { ...a, value: 'DUP.example' });
    expect(again.status).toBe(400);
    expect((again.json as J).message).toBe('A similar attribute already exists for this event.');
    expect((await s.call('POST', `/attributes/add/${id}`, { ...a, category: 'External analysis' })).status).toBe(200);
    expect((await s.call('POST', `/attributes/add/${id}/breakOnDuplicate:0`, a)).status).toBe(200);
    const list = await s.call('POST', `/attributes/add/${id}`, [a, { type: 'domain', value: 'fresh.example' }]);
    expect(((list.json as J).Attribute as J[]).map((x) => x.value)).toEqual(['fresh.example']);
    expect((list.json as J).errors).toEqual({ attribute_0: { value: ['A similar attribute already exists for this event.'] } });
    // A soft-deleted attribute does not count.
    const gone = await s.call('POST', `/attributes/add/${id}`, { type: 'ip-dst', value: '198.51.100.80' });
    await s.call('POST', `/attributes/delete/${String(((gone.json as J).Attribute as J).id)}`, {});
    expect((await s.call('POST', `/attributes/add/${id}`, { type: 'ip-dst', value: '198.51.100.80' })).status).toBe(200);
  });
});
