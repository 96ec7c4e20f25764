import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExternalOrgUser, addOrgUser, startPolicyTestServer, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe.each(testEngines())('analyst data (notes, opinions, relationships) as PyMISP uses them on %s', (engine) => {
  let s: TestServer;
  let other: { key: string; orgId: number };
  let readOnly: { key: string };
  let ev: J;
  let attr: J;
  let obj: J;
  let report: J;
  beforeAll(async () => {
    s = await startTestServer(engine);
    other = await addOrgUser(s, 'OtherOrg');
    readOnly = await addOrgUser(s, 'ORGNAME', 6);
    ev = ((await s.call('POST', '/events/add', {
      info: 'Campaign under analysis',
      distribution: '1',
      Attribute: [{ type: 'ip-dst', value: '203.0.113.7' }],
      Object: [{ name: 'waggle-test-object', 'meta-category': 'network', Attribute: [{ type: 'domain', object_relation: 'domain', value: 'example.org' }] }],
      EventReport: [{ name: 'write-up', content: 'text' }],
    })).json as J).Event;
    attr = (ev.Attribute as J[])[0] as J;
    obj = (ev.Object as J[])[0] as J;
    report = (ev.EventReport as J[])[0] as J;
  });
  afterAll(async () => {
    await s.close();
  });

  const rows = async (): Promise<J[]> => s.store.read(async (repos) => repos.listAnalystData({}));
  const add = async (url: string, body: unknown, key = s.adminKey): Promise<{ status: number; json: J; text: string }> => {
    const r = await s.call('POST', url, body, key);
    return { status: r.status, json: r.json as J, text: r.text };
  };

  it('adds a note to an event (add_note) and answers it wrapped, with MISP datetimes; audited and announced', async () => {
    const bus = s.messages.length;
    const r = await add(`/analystData/add/Note/${String(ev.uuid)}/Event`, { Note: { note: 'Looks like APT-X tooling', language: 'en', authors: 'analyst@example.org' } });
    expect(r.status, r.text).toBe(200);
    const note = r.json.Note as J;
    expect(note).toMatchObject({ object_uuid: ev.uuid, object_type: 'Event', note: 'Looks like APT-X tooling', language: 'en', authors: 'analyst@example.org', distribution: '5', sharing_group_id: '0', locked: false, note_type: 0, note_type_name: 'Note' });
    expect(typeof note.id).toBe('string');
    expect(note.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(note.created).toMatch(DATETIME);
    expect(note.modified).toBe(note.created);
    expect(note.orgc_uuid).toBe(note.org_uuid);
    expect(note.Orgc).toMatchObject({ name: 'ORGNAME', uuid: note.orgc_uuid });
    const announced = s.messages.slice(bus).find((m) => m.topic === 'waggle_analyst_data') as { payload: J } | undefined;
    expect(announced?.payload).toMatchObject({ action: 'add', Note: { uuid: note.uuid } });
    const audited = await s.store.read(async (repos) => repos.listAudit({ model: 'Note' }));
    expect(audited.map((a) => a.model_id)).toContain(Number(note.id));
    // The default author is the user's e-mail.
    const plain = await add(`/analystData/add/Note/${String(ev.uuid)}/Event`, { note: 'second' });
    expect(plain.json.Note.authors).toContain('@');
  });

  it('adds opinions, relationships and notes on attributes, objects, reports and on analyst data; deduces a missing type', async () => {
    const opinion = await add('/analystData/add/Opinion', { object_uuid: attr.uuid, object_type: 'Attribute', opinion: '80', comment: 'solid' });
    expect(opinion.status, opinion.text).toBe(200);
    expect(opinion.json.Opinion).toMatchObject({ object_uuid: attr.uuid, object_type: 'Attribute', opinion: '80', comment: 'solid', note_type: 1 });
    const rel = await add(`/analystData/add/Relationship/${String(obj.uuid)}/Object.json`, { Relationship: { related_object_uuid: attr.uuid, related_object_type: 'Attribute', relationship_type: 'related-to' } });
    expect(rel.status, rel.text).toBe(200);
    expect(rel.json.Relationship).toMatchObject({ object_uuid: obj.uuid, object_type: 'Object', related_object_uuid: attr.uuid, related_object_type: 'Attribute', relationship_type: 'related-to', note_type: 2 });
    const onReport = await add(`/analystData/add/Note/${String(report.uuid)}`, { note: 'report reviewed' });
    expect(onReport.status, onReport.text).toBe(200);
    expect(onReport.json.Note).toMatchObject({ object_type: 'EventReport', object_uuid: report.uuid });
    const onOpinion = await add(`/analystData/add/Note/${String(opinion.json.Opinion.uuid)}/Opinion`, { note: 'I agree' });
    expect(onOpinion.status, onOpinion.text).toBe(200);
    const deduced = await add(`/analystData/add/Opinion/${String(onOpinion.json.Note.uuid)}`, { opinion: 0 });
    expect(deduced.json.Opinion).toMatchObject({ object_type: 'Note', opinion: '0' });
  });

  it('views by id and UUID, and lists each kind (get_note, notes index), filtered by element', async () => {
    const notes = (await s.call('GET', '/analystData/index/Note')).json as J[];
    expect(notes.map((n) => n.Note.note)).toEqual(['Looks like APT-X tooling', 'second', 'report reviewed', 'I agree']);
    const first = notes[0]?.Note as J;
    expect((await s.call('GET', `/analystData/view/Note/${String(first.id)}`)).json).toMatchObject({ Note: { id: first.id, note: first.note } });
    expect((await s.call('GET', `/analystData/view/Note/${String(first.uuid)}.json`)).json).toMatchObject({ Note: { id: first.id } });
    // A note is not an opinion.
    expect((await s.call('GET', `/analystData/view/Opinion/${String(first.id)}`)).status).toBe(404);
    expect((await s.call('GET', '/analystData/view/Note/999999')).status).toBe(404);
    const opinions = (await s.call('GET', '/analystData/index/Opinion')).json as J[];
    expect(opinions.map((o) => o.Opinion.opinion)).toEqual(['80', '0']);
    expect(((await s.call('GET', '/analystData/index/Relationship')).json as J[]).map((x) => x.Relationship.relationship_type)).toEqual(['related-to']);
    const ofEvent = (await s.call('GET', `/analystData/index/Note/object_uuid:${String(ev.uuid)}`)).json as J[];
    expect(ofEvent).toHaveLength(2);
    expect((await s.call('POST', '/analystData/index/Note', { uuid: first.uuid })).json).toHaveLength(1);
    expect((await s.call('GET', '/analystData/index/Comment')).status).toBe(400);
  });

  it('edits by id and UUID (update_note, update_opinion, update_relationship); what it is attached to stays', async () => {
    const note = ((await s.call('GET', '/analystData/index/Note')).json as J[])[0]?.Note as J;
    const r = await add(`/analystData/edit/Note/${String(note.id)}`, { Note: { ...note, note: 'Confirmed APT-X', object_uuid: attr.uuid, distribution: '3' } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.Note).toMatchObject({ id: note.id, note: 'Confirmed APT-X', object_uuid: ev.uuid, distribution: '3', created: note.created });
    expect(r.json.Note.modified).toMatch(DATETIME);
    const opinion = ((await s.call('GET', '/analystData/index/Opinion')).json as J[])[0]?.Opinion as J;
    const o = await add(`/analystData/edit/Opinion/${String(opinion.uuid)}`, { opinion: 75 });
    expect(o.json.Opinion).toMatchObject({ id: opinion.id, opinion: '75', comment: 'solid' });
    const rel = ((await s.call('GET', '/analystData/index/Relationship')).json as J[])[0]?.Relationship as J;
    const e = await add(`/analystData/edit/Relationship/${String(rel.id)}`, { relationship_type: 'derived-from' });
    expect(e.json.Relationship).toMatchObject({ relationship_type: 'derived-from', related_object_uuid: attr.uuid });
    const mismatch = await add(`/analystData/edit/Note/${String(note.id)}`, { uuid: '5c8c45d5-0000-4000-8000-000000000000', note: 'x' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('Note.uuid');
    expect((await add('/analystData/edit/Note/999999', { note: 'x' })).status).toBe(404);
  });

  it('puts analyst data into event views only on includeAnalystData, on the event and its elements, nested', async () => {
    const plain = ((await s.call('GET', `/events/view/${String(ev.id)}`)).json as J).Event as J;
    expect(plain.Note).toBeUndefined();
    expect((plain.Attribute as J[])[0]?.Opinion).toBeUndefined();
    for (const asked of [{ method: 'GET', url: `/events/view/${String(ev.id)}/includeAnalystData:1`, body: undefined }, { method: 'POST', url: `/events/view/${String(ev.id)}`, body: { includeAnalystData: true } }]) {
      const view = ((await s.call(asked.method, asked.url, asked.body)).json as J).Event as J;
      expect((view.Note as J[]).map((n) => n.note)).toEqual(['Confirmed APT-X', 'second']);
      const a = (view.Attribute as J[]).find((x) => x.uuid === attr.uuid) as J;
      expect((a.Opinion as J[]).map((o) => o.opinion)).toEqual(['75']);
      // The note on the opinion, and the opinion on that note, hang under it.
      expect(((a.Opinion as J[])[0]?.Note as J[])[0]).toMatchObject({ note: 'I agree', Opinion: [expect.objectContaining({ opinion: '0' })] });
      expect(((view.Object as J[])[0]?.Relationship as J[])[0]).toMatchObject({ relationship_type: 'derived-from' });
      expect(((view.EventReport as J[])[0]?.Note as J[])[0]).toMatchObject({ note: 'report reviewed' });
    }
    // restSearch takes the same option.
    const searched = ((await s.call('POST', '/events/restSearch', { returnFormat: 'json', eventid: ev.id, includeAnalystData: 1 })).json as J).response[0].Event as J;
    expect((searched.Note as J[]).map((n) => n.note)).toEqual(['Confirmed APT-X', 'second']);
    const without = ((await s.call('POST', '/events/restSearch', { returnFormat: 'json', eventid: ev.id })).json as J).response[0].Event as J;
    expect(without.Note).toBeUndefined();
  });

  it('removes the analyst data of an attribute, object or report deleted for good, and keeps it on a soft delete', async () => {
    const e = ((await s.call('POST', '/events/add', {
      info: 'short-lived',
      Attribute: [{ type: 'ip-dst', value: '203.0.113.99' }, { type: 'ip-dst', value: '203.0.113.98' }],
      Object: [{ name: 'waggle-test-object', 'meta-category': 'network', Attribute: [{ type: 'domain', object_relation: 'domain', value: 'short.example' }] }],
      EventReport: [{ name: 'r', content: 'c' }],
    })).json as J).Event;
    const [soft, hard] = e.Attribute as J[];
    const o = (e.Object as J[])[0] as J;
    const r = (e.EventReport as J[])[0] as J;
    const noteOn = async (uuid: string, type: string): Promise<J> => (await add(`/analystData/add/Note/${uuid}/${type}`, { note: `on ${type}` })).json.Note as J;
    const onSoft = await noteOn(String(soft?.uuid), 'Attribute');
    const onHard = await noteOn(String(hard?.uuid), 'Attribute');
    const nested = (await add(`/analystData/add/Opinion/${String(onHard.uuid)}/Note`, { opinion: 10 })).json.Opinion as J;
    const onObjectAttr = await noteOn(String((o.Attribute as J[])[0]?.uuid), 'Attribute');
    const onReport = await noteOn(String(r.uuid), 'EventReport');
    const alive = async (): Promise<string[]> => (await rows()).map((x) => x.uuid as string);

    expect((await s.call('POST', `/attributes/delete/${String(soft?.id)}`, {})).status).toBe(200);
    expect((await s.call('POST', `/attributes/delete/${String(hard?.id)}`, { hard: 1 })).status).toBe(200);
    expect((await s.call('POST', `/objects/delete/${String(o.id)}/1`, {})).status).toBe(200);
    expect((await s.call('POST', `/eventReports/delete/${String(r.id)}`, { hard: 1 })).status).toBe(200);
    const left = await alive();
    expect(left).toContain(onSoft.uuid);
    for (const gone of [onHard.uuid, nested.uuid, onObjectAttr.uuid, onReport.uuid]) expect(left).not.toContain(gone);
  });

  it('rejects bad input naming the field and writes nothing', async () => {
    const before = await rows();
    const note = (before.find((r) => r.kind === 'Note') as J).uuid as string;
    const e = String(ev.uuid);
    const cases: [string, unknown, number, string][] = [
      [`/analystData/add/Note/${e}/Event`, { language: 'en' }, 400, 'Note.note'],
      [`/analystData/add/Note/${e}/Event`, { note: '   ' }, 400, 'Note.note'],
      [`/analystData/add/Note/${e}/Event`, { note: { nested: true } }, 400, 'Note.note'],
      [`/analystData/add/Opinion/${e}/Event`, { opinion: 101 }, 400, 'Opinion.opinion'],
      [`/analystData/add/Opinion/${e}/Event`, { opinion: '-1' }, 400, 'Opinion.opinion'],
      [`/analystData/add/Opinion/${e}/Event`, { opinion: 'high' }, 400, 'Opinion.opinion'],
      [`/analystData/add/Opinion/${e}/Event`, { comment: 'no score' }, 400, 'Opinion.opinion'],
      ['/analystData/add/Note/7b8e3c1a-0000-4000-8000-00000000abcd/Event', { note: 'x' }, 400, 'Note.object_uuid'],
      ['/analystData/add/Note/7b8e3c1a-0000-4000-8000-00000000abcd', { note: 'x' }, 400, 'Note.object_uuid'],
      [`/analystData/add/Note/${e}/Attribute`, { note: 'x' }, 400, 'Note.object_uuid'],
      ['/analystData/add/Note/not-a-uuid/Event', { note: 'x' }, 400, 'Note.object_uuid'],
      ['/analystData/add/Note', { note: 'x' }, 400, 'Note.object_uuid'],
      [`/analystData/add/Note/${e}/Galaxy`, { note: 'x' }, 400, 'Note.object_type'],
      [`/analystData/add/Note/${e}/Bogus`, { note: 'x' }, 400, 'Note.object_type'],
      [`/analystData/add/Comment/${e}/Event`, { note: 'x' }, 400, 'type'],
      [`/analystData/add/Relationship/${e}/Event`, { relationship_type: 'x', related_object_type: 'Event' }, 400, 'Relationship.related_object_uuid'],
      [`/analystData/add/Relationship/${e}/Event`, { related_object_uuid: attr.uuid }, 400, 'Relationship.related_object_type'],
      [`/analystData/add/Relationship/${e}/Event`, { related_object_uuid: attr.uuid, related_object_type: 'Bogus' }, 400, 'Relationship.related_object_type'],
      [`/analystData/add/Relationship/${e}/Event`, { related_object_uuid: e, related_object_type: 'Event' }, 400, 'Relationship.related_object_uuid'],
      [`/analystData/add/Note/${e}/Event`, { note: 'x', distribution: '7' }, 400, 'Note.distribution'],
      [`/analystData/add/Note/${e}/Event`, { note: 'x', distribution: '4' }, 400, 'Note.sharing_group_id'],
      [`/analystData/add/Note/${e}/Event`, { note: 'x', distribution: '4', sharing_group_id: '4242' }, 400, 'Note.sharing_group_id'],
      [`/analystData/add/Note/${e}/Event`, { note: 'x', uuid: 'not-a-uuid' }, 400, 'Note.uuid'],
      [`/analystData/add/Note/${e}/Event`, { note: 'x', uuid: note }, 409, 'Note.uuid'],
      [`/analystData/edit/Opinion/${String((before.find((r) => r.kind === 'Opinion') as J).id)}`, { opinion: 500 }, 400, 'Opinion.opinion'],
      [`/analystData/edit/Note/${note}`, { note: '' }, 400, 'Note.note'],
      [`/analystData/edit/Note/${note}`, { distribution: '4' }, 400, 'Note.sharing_group_id'],
    ];
    for (const [url, body, status, text] of cases) {
      const r = await add(url, body);
      expect(r.status, `${url} ${JSON.stringify(body)}: ${r.text}`).toBe(status);
      expect(r.text, url).toContain(text);
    }
    const malformed = await s.app.inject({ method: 'POST', url: `/analystData/add/Note/${e}/Event`, headers: { authorization: s.adminKey, 'content-type': 'application/json', accept: 'application/json' }, payload: '{"note": "x",' });
    expect(malformed.statusCode).toBe(400);
    expect(await rows()).toEqual(before);
  });

  it('shows analyst data by its own distribution and its element; only the creator organisation changes it', async () => {
    const own = await add(`/analystData/add/Note/${String(ev.uuid)}/Event`, { note: 'victim is acme-corp', distribution: 0 });
    const onOwn = await add(`/analystData/add/Note/${String(own.json.Note.uuid)}/Note`, { note: 'nested under a private note', distribution: 1 });
    const hiddenAttr = ((await s.call('POST', `/attributes/add/${String(ev.id)}`, { type: 'ip-src', value: '198.51.100.1', distribution: 0 })).json as J).Attribute as J;
    const onHidden = await add(`/analystData/add/Opinion/${String(hiddenAttr.uuid)}/Attribute`, { opinion: 10, distribution: 1 });
    expect([own.status, onOwn.status, onHidden.status]).toEqual([200, 200, 200]);

    // The other organisation sees the event (distribution 1): the shared notes, not the private one nor what hangs under it.
    const seen = ((await s.call('GET', '/analystData/index/Note', undefined, other.key)).json as J[]).map((x) => x.Note.uuid as string);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain(own.json.Note.uuid);
    expect(seen).not.toContain(onOwn.json.Note.uuid);
    const hidden = await s.call('GET', `/analystData/view/Note/${String(own.json.Note.id)}`, undefined, other.key);
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain('acme-corp');
    expect((await s.call('GET', `/analystData/view/Note/${String(onOwn.json.Note.uuid)}`, undefined, other.key)).status).toBe(404);
    expect((await s.call('GET', `/analystData/view/Opinion/${String(onHidden.json.Opinion.id)}`, undefined, other.key)).status).toBe(404);
    expect(((await s.call('GET', '/analystData/index/Opinion', undefined, other.key)).json as J[]).map((x) => x.Opinion.id)).not.toContain(onHidden.json.Opinion.id);
    const otherView = ((await s.call('POST', `/events/view/${String(ev.id)}`, { includeAnalystData: 1 }, other.key)).json as J).Event as J;
    expect((otherView.Note as J[]).map((n) => n.uuid)).not.toContain(own.json.Note.uuid);
    expect(JSON.stringify(otherView)).not.toContain('acme-corp');
    // Nor can it attach anything to what it cannot see.
    const blind = await add(`/analystData/add/Note/${String(own.json.Note.uuid)}/Note`, { note: 'x' }, other.key);
    expect(blind.status).toBe(400);
    expect(blind.text).toContain('Note.object_uuid');

    // It may add its own, and change only those.
    const shared = seen[0] as string;
    const theirs = await add(`/analystData/add/Opinion/${String(ev.uuid)}/Event`, { opinion: 30, comment: 'doubtful' }, other.key);
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.json.Opinion.Orgc.name).toBe('OtherOrg');
    expect((await add(`/analystData/edit/Note/${shared}`, { note: 'defaced' }, other.key)).status).toBe(403);
    expect((await add(`/analystData/delete/Note/${shared}`, {}, other.key)).status).toBe(403);
    expect(((await s.call('GET', `/analystData/view/Note/${shared}`)).json as J).Note.note).not.toBe('defaced');
    expect((await add(`/analystData/edit/Opinion/${String(theirs.json.Opinion.id)}`, { opinion: 40 }, other.key)).json.Opinion.opinion).toBe('40');
    // A site admin may change anybody's.
    expect((await add(`/analystData/edit/Opinion/${String(theirs.json.Opinion.uuid)}`, { comment: 'moderated' })).json.Opinion.comment).toBe('moderated');

    // A read-only user sees but cannot add, edit or delete.
    expect((await s.call('GET', `/analystData/view/Note/${String(own.json.Note.id)}`, undefined, readOnly.key)).status).toBe(200);
    const count = (await rows()).length;
    expect((await add(`/analystData/add/Note/${String(ev.uuid)}/Event`, { note: 'x' }, readOnly.key)).status).toBe(403);
    expect((await add(`/analystData/edit/Note/${String(own.json.Note.id)}`, { note: 'x' }, readOnly.key)).status).toBe(403);
    expect((await add(`/analystData/delete/Note/${String(own.json.Note.id)}`, {}, readOnly.key)).status).toBe(403);
    expect((await rows()).length).toBe(count);

    // An event of the owner organisation only: its analyst data does not exist for others.
    const secret = ((await s.call('POST', '/events/add', { info: 'secret', distribution: '0' })).json as J).Event;
    const onSecret = await add(`/analystData/add/Note/${String(secret.uuid)}/Event`, { note: 'secret', distribution: 1 });
    expect((await s.call('GET', `/analystData/view/Note/${String(onSecret.json.Note.id)}`, undefined, other.key)).status).toBe(404);
    expect((await add(`/analystData/add/Note/${String(secret.uuid)}/Event`, { note: 'x' }, other.key)).status).toBe(400);
  });

  it('deletes by id and UUID (delete_note …) with what is attached to it, answering MISP save-success', async () => {
    const note = await add(`/analystData/add/Note/${String(attr.uuid)}/Attribute`, { note: 'to go' });
    const child = await add(`/analystData/add/Opinion/${String(note.json.Note.uuid)}/Note`, { opinion: 50 });
    const grandchild = await add(`/analystData/add/Note/${String(child.json.Opinion.uuid)}/Opinion`, { note: 'deeper' });
    const count = (await rows()).length;
    const r = await add(`/analystData/delete/Note/${String(note.json.Note.uuid)}`, {});
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ saved: true, success: true, id: note.json.Note.id, message: 'Note deleted.' });
    expect((await rows()).length).toBe(count - 3);
    expect((await s.call('GET', `/analystData/view/Note/${String(grandchild.json.Note.id)}`)).status).toBe(404);
    const rel = ((await s.call('GET', '/analystData/index/Relationship')).json as J[])[0]?.Relationship as J;
    const d = await s.call('DELETE', `/analystData/delete/Relationship/${String(rel.id)}`);
    expect(d.status, d.text).toBe(200);
    expect((await s.call('GET', `/analystData/view/Relationship/${String(rel.id)}`)).status).toBe(404);
    expect((await add(`/analystData/delete/Relationship/${String(rel.id)}`, {})).status).toBe(404);
    const announced = s.messages.filter((m) => m.topic === 'waggle_analyst_data').map((m) => (m.payload as J).action);
    expect(announced).toContain('delete');
  });

  it('deletes the analyst data of an event, its attributes, objects and reports with the event', async () => {
    const e = ((await s.call('POST', '/events/add', {
      info: 'doomed',
      Attribute: [{ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }],
      Object: [{ name: 'waggle-test-object', 'meta-category': 'network', Attribute: [{ type: 'domain', object_relation: 'domain', value: 'doomed.example' }] }],
      EventReport: [{ name: 'r', content: 'c' }],
    })).json as J).Event;
    const a = (e.Attribute as J[])[0] as J;
    const o = (e.Object as J[])[0] as J;
    const objAttr = (o.Attribute as J[])[0] as J;
    const rep = (e.EventReport as J[])[0] as J;
    const made: string[] = [];
    for (const [kind, uuid, type, body] of [
      ['Note', e.uuid, 'Event', { note: 'n' }],
      ['Opinion', a.uuid, 'Attribute', { opinion: 1 }],
      ['Relationship', o.uuid, 'Object', { related_object_uuid: ev.uuid, related_object_type: 'Event' }],
      ['Note', objAttr.uuid, 'Attribute', { note: 'on an object attribute' }],
      ['Note', rep.uuid, 'EventReport', { note: 'on the report' }],
    ] as const) {
      const r = await add(`/analystData/add/${kind}/${String(uuid)}/${type}`, body);
      expect(r.status, r.text).toBe(200);
      made.push(r.json[kind].uuid as string);
    }
    const nested = await add(`/analystData/add/Note/${made[0] as string}/Note`, { note: 'nested' });
    made.push(nested.json.Note.uuid as string);
    const survivors = (await rows()).filter((r) => !made.includes(r.uuid as string)).map((r) => r.uuid as string);
    expect((await s.call('POST', `/events/delete/${String(e.id)}`, {})).status).toBe(200);
    const left = (await rows()).map((r) => r.uuid as string);
    expect(left.filter((u) => made.includes(u))).toEqual([]);
    expect(left).toEqual(survivors);
  });
});

describe.each(testEngines())('analyst data under an anonymisation policy on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startPolicyTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('gives recipients (external organisations) no analyst data: it is free text the policy cannot pseudonymise', async () => {
    const ev = ((await s.call('POST', '/events/add', { info: 'Victim event', distribution: '1', Attribute: [{ type: 'ip-dst', value: '198.51.100.5' }] })).json as J).Event;
    const note = ((await s.call('POST', `/analystData/add/Note/${String(ev.uuid)}/Event`, { note: 'j.doe at victim-corp clicked', distribution: 1 })).json as J).Note as J;
    const partner = await addExternalOrgUser(s, 'Partner');
    const view = await s.call('GET', `/analystData/view/Note/${String(note.id)}`, undefined, partner.key);
    expect(view.status).toBe(404);
    expect(view.text).not.toContain('victim-corp');
    expect((await s.call('POST', `/analystData/add/Note/${String(ev.uuid)}/Event`, { note: 'x' }, partner.key)).status).toBe(404);
    expect((await s.call('GET', '/analystData/index/Note', undefined, partner.key)).json).toEqual([]);
    expect((await s.call('POST', `/events/view/${String(ev.id)}`, { includeAnalystData: 1 }, partner.key)).text).not.toContain('victim-corp');
    const local = await addOrgUser(s, 'Colleague');
    expect(((await s.call('GET', '/analystData/index/Note', undefined, local.key)).json as J[]).map((x) => x.Note.id)).toEqual([note.id]);
  });
});
