import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { listen } from '../test-support/listening-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PCAP = Buffer.from('\u00d4\u00c3\u00b2\u00a1 a tiny capture\n').toString('base64');
const SAMPLE = Buffer.from('MZ\u0090\u0000 not really a program').toString('base64');
const OTHER = Buffer.from('a second version of the file').toString('base64');

/** What PyMISP sends for `MISPEvent.add_attribute('attachment', 'capture.pcap', data=…)` and a `file` object with a sample. */
const pymispEvent = (uuid: string): J => ({
  Event: {
    uuid,
    info: 'Finding with a capture',
    distribution: 1,
    Attribute: [
      { type: 'attachment', category: 'Network activity', value: 'capture.pcap', data: PCAP, to_ids: false },
      { type: 'text', value: 'notes', data: SAMPLE },
    ],
    Object: [{
      name: 'file', 'meta-category': 'file', distribution: 5,
      Attribute: [
        { object_relation: 'filename', type: 'filename', value: 'dropper.exe' },
        { object_relation: 'malware-sample', type: 'malware-sample', value: 'dropper.exe|d41d8cd98f00b204e9800998ecf8427e', data: SAMPLE },
      ],
    }],
  },
});

const byType = (list: J[], type: string): J => list.find((a) => a.type === type) as J;

describe.each(testEngines())('attachment data on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('keeps the data of attachments and samples (objects too), ignores it on other types, and returns it in views and searches', async () => {
    const uuid = 'c0ffee00-1111-4222-8333-944455556601';
    const add = await s.call('POST', '/events/add', pymispEvent(uuid));
    expect(add.status).toBe(200);
    for (const ev of [(add.json as J).Event, ((await s.call('GET', `/events/view/${uuid}`)).json as J).Event]) {
      expect(byType(ev.Attribute, 'attachment').data).toBe(PCAP);
      expect(byType(ev.Attribute, 'text')).not.toHaveProperty('data');
      const sample = byType(ev.Object[0].Attribute, 'malware-sample');
      expect(sample.data).toBe(SAMPLE);
      expect(byType(ev.Object[0].Attribute, 'filename')).not.toHaveProperty('data');
    }
    const id = (add.json as J).Event.id as string;
    // restSearch adds the files only with withAttachments, as MISP (PyMISP always sends the flag, 0 by default).
    const events = (await s.call('POST', '/events/restSearch', { eventid: id, withAttachments: 1 })).json as J;
    expect(byType(events.response[0].Event.Attribute, 'attachment').data).toBe(PCAP);
    expect(byType(events.response[0].Event.Object[0].Attribute, 'malware-sample').data).toBe(SAMPLE);
    const attrs = (await s.call('POST', '/attributes/restSearch', { eventid: id, type: ['attachment', 'malware-sample'], withAttachments: true })).json as J;
    expect(attrs.response.Attribute.map((a: J) => [a.type, a.data])).toEqual([['attachment', PCAP], ['malware-sample', SAMPLE]]);
    // "search(timestamp=…, with_attachments=False): events[0].attributes[-1].malware_binary is None" (test_simple_event)
    for (const body of [{ eventid: id, withAttachments: 0 }, { eventid: id }]) {
      const plain = ((await s.call('POST', '/events/restSearch', body)).json as J).response[0].Event as J;
      expect(byType(plain.Attribute, 'attachment')).not.toHaveProperty('data');
      expect(byType(plain.Object[0].Attribute, 'malware-sample')).not.toHaveProperty('data');
      const plainAttrs = ((await s.call('POST', '/attributes/restSearch', { ...body, type: ['attachment', 'malware-sample'] })).json as J).response.Attribute as J[];
      expect(plainAttrs.map((a) => [a.type, 'data' in a])).toEqual([['attachment', false], ['malware-sample', false]]);
    }
    expect((await s.call('POST', '/events/restSearch', { eventid: id, withAttachments: 'maybe' })).status).toBe(400);
    const csv = await s.call('POST', '/attributes/restSearch', { returnFormat: 'csv', eventid: id, type: 'attachment' });
    expect(csv.text).toContain('capture.pcap');
    expect(csv.text).not.toContain(PCAP);
    const object = ((await s.call('GET', `/objects/view/${byType((add.json as J).Event.Object[0].Attribute, 'malware-sample').object_id}`)).json as J).Object;
    expect(byType(object.Attribute, 'malware-sample').data).toBe(SAMPLE);
  });

  it('adds data through attributes/add and objects/add; an edit without data keeps it, with data replaces it', async () => {
    const ev = ((await s.call('POST', '/events/add', { info: 'Model shared', distribution: 1 })).json as J).Event;
    const added = await s.call('POST', `/attributes/add/${ev.id}`, { type: 'attachment', value: 'model.bin', data: PCAP });
    expect(added.status).toBe(200);
    const attr = (added.json as J).Attribute;
    expect(attr.data).toBe(PCAP);
    const edited = await s.call('POST', `/attributes/edit/${attr.id}`, { comment: 'weights v1' });
    expect((edited.json as J).Attribute.data).toBe(PCAP);
    const replaced = await s.call('POST', `/attributes/edit/${attr.id}`, { data: OTHER });
    expect((replaced.json as J).Attribute.data).toBe(OTHER);
    expect(((await s.call('GET', `/attributes/view/${attr.id}`)).json as J).Attribute.data).toBe(OTHER);

    const obj = await s.call('POST', `/objects/add/${ev.id}`, {
      name: 'file',
      Attribute: [{ object_relation: 'malware-sample', type: 'malware-sample', value: 'a.exe|d41d8cd98f00b204e9800998ecf8427e', data: SAMPLE }],
    });
    expect(obj.status).toBe(200);
    expect(((obj.json as J).Object.Attribute[0] as J).data).toBe(SAMPLE);

    // events/edit merges by UUID: leaving data out keeps it; sending it replaces it.
    const view = ((await s.call('GET', `/events/view/${ev.id}`)).json as J).Event;
    const keep = await s.call('POST', `/events/edit/${ev.id}`, { Event: { Attribute: [{ uuid: attr.uuid, type: 'attachment', value: 'model.bin', comment: 'kept' }] } });
    expect(keep.status).toBe(200);
    expect(byType((keep.json as J).Event.Attribute, 'attachment')).toMatchObject({ comment: 'kept', data: OTHER });
    const sampleUuid = byType(view.Object[0].Attribute, 'malware-sample').uuid as string;
    const replace = await s.call('POST', `/events/edit/${ev.id}`, {
      Event: { Object: [{ uuid: view.Object[0].uuid, name: 'file', Attribute: [{ uuid: sampleUuid, object_relation: 'malware-sample', type: 'malware-sample', value: 'a.exe|d41d8cd98f00b204e9800998ecf8427e', data: PCAP }] }] },
    });
    expect(replace.status).toBe(200);
    expect(byType((replace.json as J).Event.Object[0].Attribute, 'malware-sample').data).toBe(PCAP);
    // Changing the type to one that keeps no content drops it.
    const retyped = await s.call('POST', `/attributes/edit/${attr.id}`, { type: 'filename', category: 'Payload delivery' });
    expect(retyped.status).toBe(200);
    expect((retyped.json as J).Attribute).not.toHaveProperty('data');
  });

  it('refuses data that is not base64 with a 400 naming the field, storing nothing', async () => {
    const uuid = 'c0ffee00-1111-4222-8333-944455556602';
    const body = pymispEvent(uuid);
    body.Event.Object[0].Attribute[1].data = 'not base64!';
    const bad = await s.call('POST', '/events/add', body);
    expect(bad.status).toBe(400);
    expect((bad.json as J).field).toBe('Event.Object[0].Attribute[1].data');
    expect((await s.call('GET', `/events/view/${uuid}`)).status).toBe(404);

    const ev = ((await s.call('POST', '/events/add', { info: 'Bad uploads', distribution: 1 })).json as J).Event;
    for (const data of ['QUJ', 'QU=J', 'QUJD====', 'QUJD-_==', 42]) {
      const r = await s.call('POST', `/attributes/add/${ev.id}`, { type: 'attachment', value: 'x.bin', data });
      expect(r.status, String(data)).toBe(400);
      expect((r.json as J).field).toMatch(/^Attribute(\[0\])?\.data$/);
    }
    const objBad = await s.call('POST', `/objects/add/${ev.id}`, { name: 'file', Attribute: [{ object_relation: 'malware-sample', type: 'malware-sample', value: 'a.exe|d41d8cd98f00b204e9800998ecf8427e', data: '@@@@' }] });
    expect(objBad.status).toBe(400);
    expect((objBad.json as J).field).toBe('Object.Attribute[0].data');
    const after = ((await s.call('GET', `/events/view/${ev.id}`)).json as J).Event;
    expect(after.Attribute).toHaveLength(0);
    expect(after.Object).toHaveLength(0);

    const good = ((await s.call('POST', `/attributes/add/${ev.id}`, { type: 'attachment', value: 'y.bin', data: PCAP })).json as J).Attribute;
    const editBad = await s.call('POST', `/attributes/edit/${good.id}`, { data: 'a b c d' });
    expect(editBad.status).toBe(400);
    expect((editBad.json as J).field).toBe('Attribute.data');
    expect(((await s.call('GET', `/attributes/view/${good.id}`)).json as J).Attribute.data).toBe(PCAP);
  });
  it('zips a new sample sent with encrypt: true as MISP does: value <name>|<md5>, data the archive with password infected (test_simple_event)', async () => {
    const raw = Buffer.from('print("hello")\n'.repeat(20));
    const md5 = createHash('md5').update(raw).digest('hex');
    const ev = ((await s.call('POST', '/events/add', { info: 'Encrypted sample', distribution: 0 })).json as J).Event;
    // What PyMISP sends for add_attribute('malware-sample', value='testfile.py', data=BytesIO(…)).
    const pymispSample = { type: 'malware-sample', category: 'Payload delivery', value: 'testfile.py', data: raw.toString('base64'), malware_filename: 'testfile.py', encrypt: true, to_ids: true };
    const add = await s.call('POST', `/attributes/add/${String(ev.id)}`, pymispSample);
    expect(add.status).toBe(200);
    const stored = (add.json as J).Attribute as J;
    expect(stored.value).toBe(`testfile.py|${md5}`);
    const zip = Buffer.from(String(stored.data), 'base64');
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.includes(Buffer.from(`${md5}.filename.txt`))).toBe(true);
    expect(zip.includes(raw)).toBe(false);
    // Through events/edit too (update_event with the new attribute), and restSearch withAttachments returns the archive.
    const edit = await s.call('POST', `/events/edit/${String(ev.uuid)}`, { info: 'Encrypted sample', Attribute: [{ ...pymispSample, value: 'second.py' }] });
    expect(edit.status).toBe(200);
    const second = ((edit.json as J).Event.Attribute as J[]).find((a) => String(a.value).startsWith('second.py|')) as J;
    expect(second.value).toBe(`second.py|${md5}`);
    const found = ((await s.call('POST', '/events/restSearch', { returnFormat: 'json', eventid: ev.id, withAttachments: 1 })).json as J).response[0].Event.Attribute as J[];
    expect(found.every((a) => typeof a.data === 'string' && Buffer.from(String(a.data), 'base64').readUInt32LE(0) === 0x04034b50)).toBe(true);
    // A value already in <name>|<md5> form is kept as it is; bad base64 is refused.
    expect((((await s.call('POST', `/attributes/add/${String(ev.id)}`, { ...pymispSample, value: `kept.py|${md5}` })).json as J).Attribute as J).value).toBe(`kept.py|${md5}`);
    const bad = await s.call('POST', `/attributes/add/${String(ev.id)}`, { ...pymispSample, value: 'bad.py', data: 'not base64!' });
    expect(bad.status).toBe(400);
  });

  it('downloads the file of an attachment or a malware sample (attributes/downloadAttachment), as MISP does', async () => {
    const uuid = 'c0ffee00-1111-4222-8333-944455556699';
    const add = await s.call('POST', '/events/add', { ...pymispEvent(uuid), Event: { ...pymispEvent(uuid).Event, distribution: 0 } });
    expect(add.status).toBe(200);
    const ev = (add.json as J).Event;
    const attachment = byType(ev.Attribute, 'attachment');
    const sample = byType(ev.Object[0].Attribute, 'malware-sample');
    const text = byType(ev.Attribute, 'text');
    const base = await listen(s);
    const get = (path: string, key = s.adminKey): Promise<Response> => fetch(`${base}${path}`, { headers: { authorization: key, accept: 'application/json' } });
    const file = await get(`/attributes/downloadAttachment/download/${String(attachment.id)}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="capture.pcap"');
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(PCAP, 'base64'))).toBe(true);
    const zip = await get(`/attributes/downloadAttachment/${String(sample.uuid)}`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-disposition')).toBe('attachment; filename="dropper.exe.zip"');
    expect(Buffer.from(await zip.arrayBuffer()).equals(Buffer.from(SAMPLE, 'base64'))).toBe(true);
    // Another type has no file; unknown ids and events the caller may not see are not found.
    const notFile = await get(`/attributes/downloadAttachment/download/${String(text.id)}`);
    expect(notFile.status).toBe(400);
    expect(((await notFile.json()) as J).message).toMatch(/not an attachment or malware-sample/);
    expect((await get('/attributes/downloadAttachment/download/999999')).status).toBe(404);
    const outsider = await addOrgUser(s, `DownloadOutsider${engine}`);
    expect((await get(`/attributes/downloadAttachment/download/${String(attachment.id)}`, outsider.key)).status).toBe(404);
    expect((await get(`/attributes/downloadAttachment/download/${String(attachment.id)}`, 'x'.repeat(40))).status).toBe(403);
  });
});
