import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExternalOrgUser, addOrgUser, startPolicyTestServer, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('proposals (shadow attributes) as PyMISP uses them on %s', (engine) => {
  let s: TestServer;
  let owner: { key: string; orgId: number };
  let proposer: { key: string; orgId: number };
  let outsider: { key: string; orgId: number };
  let ev: J;
  let secret: J;
  beforeAll(async () => {
    s = await startTestServer(engine);
    owner = await addOrgUser(s, 'Owner');
    proposer = await addOrgUser(s, 'Proposer');
    outsider = await addOrgUser(s, 'Outsider');
    // Distribution 1 (community): every local organisation sees it; only Owner may modify it.
    ev = ((await s.call('POST', '/events/add', { info: 'Shared', distribution: '1', Attribute: [{ type: 'ip-dst', value: '198.51.100.1' }] }, owner.key)).json as J).Event;
    secret = ((await s.call('POST', '/events/add', { info: 'Own org only', distribution: '0' }, owner.key)).json as J).Event;
  });
  afterAll(async () => {
    await s.close();
  });

  const attrs = async (key = owner.key): Promise<J[]> => ((await s.call('GET', `/events/view/${String(ev.id)}`, undefined, key)).json as J).Event.Attribute as J[];
  const proposals = async (key: string, eventId?: string): Promise<J[]> => (await s.call('GET', eventId === undefined ? '/shadow_attributes/index' : `/shadowAttributes/index/${eventId}`, undefined, key)).json as J[];

  it('answers attributes/add on a visible, unmodifiable event with the 403 PyMISP retries as a proposal', async () => {
    const r = await s.call('POST', `/attributes/add/${String(ev.id)}`, { type: 'domain', value: 'proposed.example' }, proposer.key);
    expect(r.status).toBe(403);
    expect((r.json as J).message).toBe('You do not have permission to do that.');
    // update_attribute and delete_attribute fall back the same way.
    const target = (await attrs())[0] as J;
    for (const url of [`/attributes/edit/${String(target.id)}`, `/attributes/delete/${String(target.id)}`]) {
      const refused = await s.call('POST', url, { value: '198.51.100.99' }, proposer.key);
      expect(refused.status).toBe(403);
      expect((refused.json as J).message).toBe('You do not have permission to do that.');
    }
    expect((await attrs()).map((a) => a.value)).toEqual(['198.51.100.1']);
  });

  it('proposes a new attribute, shows it to the owner, and adds it on accept', async () => {
    const r = await s.call('POST', `/shadowAttributes/add/${String(ev.id)}`, { type: 'domain', value: 'proposed.example', comment: 'seen it' }, proposer.key);
    expect(r.status).toBe(200);
    const sa = (r.json as J).ShadowAttribute as J;
    expect(sa).toMatchObject({ old_id: '0', event_id: String(ev.id), event_uuid: ev.uuid, org_id: String(proposer.orgId), type: 'domain', category: 'Network activity', value: 'proposed.example', proposal_to_delete: false, deleted: false });
    expect(typeof sa.id).toBe('string');

    const listed = await proposals(owner.key, String(ev.id));
    expect(listed.map((x) => x.ShadowAttribute.id)).toEqual([sa.id]);
    expect((await proposals(owner.key)).map((x) => x.ShadowAttribute.id)).toEqual([sa.id]);
    expect((await s.call('GET', `/shadow_attributes/view/${String(sa.id)}`, undefined, proposer.key)).json).toMatchObject({ ShadowAttribute: { id: sa.id, value: 'proposed.example' } });
    // Neither the owner's event view nor the index show it to a third organisation.
    expect(await proposals(outsider.key)).toEqual([]);
    expect((await s.call('GET', `/shadow_attributes/view/${String(sa.id)}`, undefined, outsider.key)).status).toBe(404);
    const view = ((await s.call('GET', `/events/view/${String(ev.id)}`, undefined, owner.key)).json as J).Event;
    expect((view.ShadowAttribute as J[]).map((x) => x.id)).toEqual([sa.id]);
    const outsiderView = ((await s.call('GET', `/events/view/${String(ev.id)}`, undefined, outsider.key)).json as J).Event;
    expect(outsiderView.ShadowAttribute).toEqual([]);

    // The proposer may not accept its own proposal.
    const refused = await s.call('POST', `/shadowAttributes/accept/${String(sa.id)}`, {}, proposer.key);
    expect(refused.status).toBe(403);
    expect((refused.json as J).message).toBe('You do not have permission to do that.');

    const before = s.messages.length;
    const ok = await s.call('POST', `/shadowAttributes/accept/${String(sa.id)}`, {}, owner.key);
    expect(ok.status).toBe(200);
    expect((ok.json as J).message).toBe('Proposal accepted.');
    const added = (await attrs()).find((a) => a.value === 'proposed.example');
    expect(added).toMatchObject({ type: 'domain', comment: 'seen it' });
    expect(s.messages.slice(before).some((m) => m.topic === 'misp_json_attribute')).toBe(true);
    expect(await proposals(owner.key, String(ev.id))).toEqual([]);
    expect((await s.call('GET', `/shadow_attributes/view/${String(sa.id)}`, undefined, owner.key)).status).toBe(404);
  });

  it('proposes an edit, listed on the attribute in events/view, and changes the value on accept', async () => {
    const target = (await attrs()).find((a) => a.value === '198.51.100.1') as J;
    const nothing = await s.call('POST', `/shadow_attributes/edit/${String(target.id)}`, {}, proposer.key);
    expect(nothing.status).toBe(400);
    // PyMISP's update_attribute_proposal sends the attribute under "Attribute" or bare.
    const r = await s.call('POST', `/shadowAttributes/edit/${String(target.id)}`, { Attribute: { value: '198.51.100.2' } }, proposer.key);
    expect(r.status).toBe(200);
    const sa = (r.json as J).ShadowAttribute as J;
    expect(sa).toMatchObject({ old_id: String(target.id), type: 'ip-dst', value: '198.51.100.2' });
    const onAttr = (await attrs()).find((a) => a.id === target.id) as J;
    expect((onAttr.ShadowAttribute as J[]).map((x) => x.id)).toEqual([sa.id]);
    const accepted = await s.call('POST', `/shadow_attributes/accept/${String(sa.id)}`, {}, owner.key);
    expect(accepted.status).toBe(200);
    expect((accepted.json as J).message).toBe('Proposed change accepted.');
    const after = (await attrs()).find((a) => a.id === target.id) as J;
    expect(after.value).toBe('198.51.100.2');
    expect(Number(after.timestamp)).toBeGreaterThan(Number(target.timestamp));
  });

  it('proposes a deletion and soft-deletes the attribute on accept', async () => {
    const target = (await attrs()).find((a) => a.value === '198.51.100.2') as J;
    const r = await s.call('POST', `/shadow_attributes/delete/${String(target.id)}`, {}, proposer.key);
    expect(r.status).toBe(200);
    const sa = (r.json as J).ShadowAttribute as J;
    expect(sa).toMatchObject({ old_id: String(target.id), proposal_to_delete: true });
    expect((await s.call('POST', `/shadow_attributes/accept/${String(sa.id)}`, {}, owner.key)).status).toBe(200);
    expect((await attrs()).some((a) => a.id === target.id)).toBe(false);
    const stored = await s.store.read((repos) => repos.getAttribute(Number(target.id)));
    expect(stored?.deleted).toBe(true);
  });

  it('lets the owner and the proposer discard, and nobody else', async () => {
    const make = async (value: string): Promise<string> =>
      String((((await s.call('POST', `/shadow_attributes/add/${String(ev.id)}`, { type: 'domain', value }, proposer.key)).json as J).ShadowAttribute as J).id);
    const first = await make('discard-owner.example');
    const second = await make('discard-proposer.example');
    expect((await s.call('POST', `/shadow_attributes/discard/${first}`, {}, outsider.key)).status).toBe(404);
    const d1 = await s.call('POST', `/shadow_attributes/discard/${first}`, {}, owner.key);
    expect(d1.status).toBe(200);
    expect((d1.json as J).message).toBe('Proposal discarded.');
    expect((await s.call('POST', `/shadow_attributes/discard/${second}`, {}, proposer.key)).status).toBe(200);
    expect(await proposals(owner.key, String(ev.id))).toEqual([]);
    expect((await attrs()).some((a) => String(a.value).startsWith('discard-'))).toBe(false);
  });

  it('refuses invisible events (404), bad values (400 naming the field) and unknown ids (404), writing nothing', async () => {
    const hidden = await s.call('POST', `/shadow_attributes/add/${String(secret.id)}`, { type: 'domain', value: 'x.example' }, proposer.key);
    expect(hidden.status).toBe(404);
    const missing = await s.call('POST', '/shadow_attributes/add/999999', { type: 'domain', value: 'x.example' }, proposer.key);
    expect(missing.status).toBe(404);
    expect((hidden.json as J).message).toBe((missing.json as J).message);

    const bad = await s.call('POST', `/shadow_attributes/add/${String(ev.id)}`, { type: 'ip-dst', value: 'not an ip' }, proposer.key);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('ShadowAttribute.value');
    const badType = await s.call('POST', `/shadow_attributes/add/${String(ev.id)}`, { type: 'no-such-type', value: 'x' }, proposer.key);
    expect(badType.status).toBe(400);
    expect(JSON.stringify(badType.json)).toContain('ShadowAttribute.type');

    for (const url of ['/shadow_attributes/view/999999', '/shadow_attributes/index/999999']) expect((await s.call('GET', url, undefined, owner.key)).status).toBe(404);
    for (const url of ['/shadow_attributes/accept/999999', '/shadow_attributes/discard/999999', '/shadow_attributes/edit/999999', '/shadow_attributes/delete/999999']) {
      expect((await s.call('POST', url, { value: '198.51.100.9' }, owner.key)).status).toBe(404);
    }
    expect(await proposals(owner.key)).toEqual([]);
  });

  it('leaves the proposal in place when applying it fails', async () => {
    const r = await s.call('POST', `/shadow_attributes/add/${String(ev.id)}`, { type: 'domain', value: 'twice.example' }, proposer.key);
    const sa = (r.json as J).ShadowAttribute as J;
    // The attribute appears meanwhile: accepting would duplicate it.
    expect((await s.call('POST', `/attributes/add/${String(ev.id)}`, { type: 'domain', value: 'twice.example' }, owner.key)).status).toBe(200);
    const dup = await s.call('POST', `/shadow_attributes/accept/${String(sa.id)}`, {}, owner.key);
    expect(dup.status).toBeGreaterThanOrEqual(400);
    expect((await proposals(owner.key, String(ev.id))).map((x) => x.ShadowAttribute.id)).toEqual([sa.id]);
    expect((await attrs()).filter((a) => a.value === 'twice.example')).toHaveLength(1);
  });

  it('removes the proposals of a deleted event and of a hard-deleted attribute', async () => {
    const gone = ((await s.call('POST', '/events/add', { info: 'Short-lived', distribution: '1', Attribute: [{ type: 'domain', value: 'kept.example' }, { type: 'domain', value: 'hard.example' }] }, owner.key)).json as J).Event;
    const [kept, hard] = gone.Attribute as J[];
    for (const [url, body] of [[`/shadow_attributes/add/${String(gone.id)}`, { type: 'domain', value: 'new.example' }], [`/shadow_attributes/edit/${String(hard?.id)}`, { comment: 'x' }], [`/shadow_attributes/edit/${String(kept?.id)}`, { comment: 'y' }]] as const) {
      expect((await s.call('POST', url, body, proposer.key)).status).toBe(200);
    }
    expect(await proposals(owner.key, String(gone.id))).toHaveLength(3);
    expect((await s.call('POST', `/attributes/delete/${String(hard?.id)}/1`, {}, owner.key)).status).toBe(200);
    expect((await proposals(owner.key, String(gone.id))).map((x) => x.ShadowAttribute.old_id).sort()).toEqual(['0', String(kept?.id)].sort());
    expect((await s.call('POST', `/events/delete/${String(gone.id)}`, {}, owner.key)).status).toBe(200);
    expect((await proposals(s.adminKey)).filter((x) => x.ShadowAttribute.event_id === String(gone.id))).toEqual([]);
  });
});

describe.each(testEngines())('proposals under an anonymisation policy on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startPolicyTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('gives recipients (external organisations) no proposals, since they copy raw values', async () => {
    const ev = ((await s.call('POST', '/events/add', { info: 'Victim event', distribution: '1', Attribute: [{ type: 'target-user', category: 'Targeting data', value: 'j.doe' }] })).json as J).Event;
    const local = await addOrgUser(s, 'Colleague');
    const partner = await addExternalOrgUser(s, 'Partner');
    const target = (ev.Attribute as J[])[0] as J;
    const byLocal = await s.call('POST', `/shadow_attributes/delete/${String(target.id)}`, {}, local.key);
    expect(byLocal.status).toBe(200);
    const id = String(((byLocal.json as J).ShadowAttribute as J).id);
    for (const [method, url] of [['POST', `/shadow_attributes/delete/${String(target.id)}`], ['POST', `/shadow_attributes/edit/${String(target.id)}`], ['GET', `/shadow_attributes/view/${id}`], ['POST', `/shadow_attributes/add/${String(ev.id)}`]] as const) {
      const r = await s.call(method, url, { type: 'domain', value: 'x.example', comment: 'c' }, partner.key);
      expect(r.status, url).toBe(404);
      expect(r.text).not.toContain('j.doe');
    }
    expect((await s.call('GET', `/shadow_attributes/index/${String(ev.id)}`, undefined, partner.key)).json).toEqual([]);
    expect(((await s.call('GET', `/shadow_attributes/index/${String(ev.id)}`, undefined, local.key)).json as J[]).map((x) => x.ShadowAttribute.id)).toEqual([id]);
  });
});
