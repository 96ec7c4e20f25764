import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExternalOrgUser, addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NO_PERMISSION = 'You do not have permission to use this functionality.';
const NOT_AUTHORISED = 'You are not authorised to do that.';
const DISABLED = 'Event delegation is not enabled on this instance (server setting MISP.delegation).';

describe.each(testEngines())('event delegation (PyMISP delegate_event, event_delegations, accept/discard_event_delegation) on %s', (engine) => {
  let s: TestServer;
  let publisher: { key: string; orgId: number; userId: number };
  let plainUser: { key: string; orgId: number };
  let delegate: { key: string; orgId: number };
  let outsider: { key: string; orgId: number };
  let readOnly: { key: string; orgId: number };
  let delegateOrgUuid: string;
  let n = 0;

  const setDelegation = async (value: boolean): Promise<void> => {
    const r = await s.call('POST', '/servers/serverSettingsEdit/MISP.delegation', { value, force: true });
    expect(r.status, r.text).toBe(200);
    expect((r.json as J).message).toBe('Field updated');
  };
  async function addEvent(key: string, distribution = 0): Promise<J> {
    const r = await s.call('POST', '/events/add', { Event: { info: `Test Roles ${engine} ${String(++n)}`, distribution, Attribute: [{ type: 'ip-dst', value: '8.8.8.8' }] } }, key);
    expect(r.status, r.text).toBe(200);
    return (r.json as J).Event as J;
  }
  /** PyMISP's delegate_event(event, organisation): the event and the organisation by UUID. */
  const delegateEvent = (eventRef: string, orgRef: unknown, key: string, extra: J = {}) =>
    s.call('POST', `/eventDelegations/delegateEvent/${eventRef}`, { event_id: eventRef, org_id: orgRef, distribution: -1, message: '', ...extra }, key);
  const accept = (id: unknown, key: string) => s.call('POST', `/eventDelegations/acceptDelegation/${String(id)}`, undefined, key);
  const discard = (id: unknown, key: string) => s.call('POST', `/eventDelegations/deleteDelegation/${String(id)}`, undefined, key);
  const list = async (key: string, query = ''): Promise<J[]> => {
    const r = await s.call('GET', `/event_delegations${query}`, undefined, key);
    expect(r.status, r.text).toBe(200);
    return r.json as J[];
  };
  const error = (r: { status: number; json: unknown }): [number, unknown] => [r.status, (r.json as J).message];

  beforeAll(async () => {
    s = await startTestServer(engine);
    publisher = await addOrgUser(s, 'Test Org', 4);
    plainUser = await addOrgUser(s, 'Test Org', 3);
    readOnly = await addOrgUser(s, 'Test Org - delegate', 6);
    delegate = await addOrgUser(s, 'Test Org - delegate', 3);
    outsider = await addOrgUser(s, 'Third Org', 3);
    delegateOrgUuid = ((await s.call('GET', `/organisations/view/${String(delegate.orgId)}`)).json as J).Organisation.uuid as string;
  });
  afterAll(async () => {
    await s.close();
  });

  it('lists MISP.delegation among the server settings, off by default, as MISP describes it', async () => {
    const r = await s.call('GET', '/servers/getSetting/MISP.delegation');
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ name: 'MISP.delegation', value: false, type: 'boolean', test: 'testBool', level: 1 });
    expect((r.json as J).description).toMatch(/^This feature allows users to create org only events and ask another organisation to take ownership of the event\./);
  });

  it("replays test_roles_expanded: a User gets the ACL message, a Publisher delegates, the requester may not accept, the delegate lists and accepts ('Event ownership transferred.'), a second request is discarded ('Delegation request deleted.')", async () => {
    const e = await addEvent(publisher.key);
    // ===== User: r['errors'][1]['message'] == 'You do not have permission to use this functionality.'
    expect(error(await delegateEvent(e.uuid, delegateOrgUuid, plainUser.key))).toEqual([403, NO_PERMISSION]);
    // Off by default: refused, nothing stored.
    expect(error(await delegateEvent(e.uuid, delegateOrgUuid, publisher.key))).toEqual([403, DISABLED]);
    expect(await list(publisher.key, '?context=issued')).toEqual([]);
    // set_server_setting('MISP.delegation', True, force=True) → 'Field updated'; get_server_setting → value True.
    await setDelegation(true);
    expect(((await s.call('GET', '/servers/getSetting/MISP.delegation')).json as J).value).toBe(true);
    // ===== Publisher: publish (MISP answers 'Job queued'; waggle publishes at once), then delegate_event(e, test_org_delegate).
    expect((await s.call('POST', `/events/publish/${String(e.id)}`, undefined, publisher.key)).status).toBe(200);
    const r = await delegateEvent(e.uuid, delegateOrgUuid, publisher.key);
    expect(r.status, r.text).toBe(200);
    const delegation = (r.json as J).EventDelegation as J;
    expect(delegation).toEqual({ id: expect.any(String), org_id: String(delegate.orgId), requester_org_id: String(publisher.orgId), event_id: String(e.id), message: '', distribution: '-1', sharing_group_id: '0' });
    // The requester accepting its own request: 'You are not authorised to do that.'
    expect(error(await accept(delegation.id, publisher.key))).toEqual([403, NOT_AUTHORISED]);
    // delegations = delegate_user.event_delegations(); delegations[0].id == delegation.id
    const pending = await list(delegate.key);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toEqual({
      EventDelegation: delegation,
      Org: { id: String(delegate.orgId), name: 'Test Org - delegate', uuid: delegateOrgUuid },
      RequesterOrg: { id: String(publisher.orgId), name: 'Test Org', uuid: expect.any(String) },
      Event: { id: String(e.id), info: e.info, uuid: e.uuid },
      SharingGroup: { id: null, name: null, uuid: null },
    });
    expect((await list(publisher.key, '?context=issued')).map((d) => d.EventDelegation.id)).toEqual([delegation.id]);
    expect(await list(publisher.key)).toEqual([]);
    // Either side may view it, nobody else.
    expect(((await s.call('GET', `/event_delegations/view/${String(delegation.id)}`, undefined, publisher.key)).json as J).EventDelegation.id).toBe(delegation.id);
    expect(error(await s.call('GET', `/event_delegations/view/${String(delegation.id)}`, undefined, outsider.key))).toEqual([403, NOT_AUTHORISED]);

    const before = s.messages.length;
    const accepted = await accept(delegation.id, delegate.key);
    expect(accepted.status, accepted.text).toBe(200);
    expect((accepted.json as J).message).toBe('Event ownership transferred.');
    // get_event(e) as the delegate: e.org.name == 'Test Org - delegate'.
    const seen = await s.call('GET', `/events/view/${String(e.uuid)}`, undefined, delegate.key);
    expect(seen.status, seen.text).toBe(200);
    const ev = (seen.json as J).Event as J;
    expect(ev.info).toBe(e.info);
    expect(ev.Org.name).toBe('Test Org - delegate');
    expect(ev.Orgc.name).toBe('Test Org - delegate');
    expect([ev.org_id, ev.orgc_id, ev.distribution]).toEqual([String(delegate.orgId), String(delegate.orgId), '0']);
    // The event is the delegate's only now (distribution 0): the requester no longer sees it.
    expect((await s.call('GET', `/events/view/${String(e.uuid)}`, undefined, publisher.key)).status).toBe(404);
    // The request is gone, the transfer is in the audit log and on the event stream.
    expect(await list(delegate.key)).toEqual([]);
    const logged = await s.store.read((repos) => repos.listAudit({ actions: ['accept_delegation'], modelId: Number(e.id) }));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ model: 'Event', user_id: expect.any(Number), org_id: delegate.orgId, model_title: 'Accepted event delegation' });
    expect(JSON.parse(logged[0]?.change ?? '{}')).toMatchObject({ org_id: [publisher.orgId, delegate.orgId], orgc_id: [publisher.orgId, delegate.orgId] });
    const requested = await s.store.read((repos) => repos.listAudit({ actions: ['request_delegation'], modelId: Number(e.id) }));
    expect(requested.map((a) => a.model_title)).toEqual(['Requested event delegation']);
    const streamed = s.messages.slice(before).filter((m) => m.topic === 'misp_json_event');
    expect(streamed.map((m) => [(m.payload as J).action, (m.payload as J).Event.uuid, (m.payload as J).Event.Orgc.name])).toEqual([['edit', e.uuid, 'Test Org - delegate']]);
    // delete_event(e) by the delegate: 'Event deleted.'
    expect(((await s.call('POST', `/events/delete/${String(e.id)}`, undefined, delegate.key)).json as J).message).toBe('Event deleted.');

    // A second event: delegated, then discarded by the requester.
    const e2 = await addEvent(publisher.key);
    const d2 = ((await delegateEvent(e2.uuid, delegateOrgUuid, publisher.key)).json as J).EventDelegation as J;
    const discarded = await discard(d2.id, publisher.key);
    expect(discarded.status, discarded.text).toBe(200);
    expect((discarded.json as J).message).toBe('Delegation request deleted.');
    const still = ((await s.call('GET', `/events/view/${String(e2.uuid)}`, undefined, publisher.key)).json as J).Event as J;
    expect([still.info, still.org_id]).toEqual([e2.info, String(publisher.orgId)]);
    expect(await list(delegate.key)).toEqual([]);
  });

  describe('with MISP.delegation on', () => {
    beforeAll(async () => {
      await setDelegation(true);
    });

    it('refuses a request for an unknown event, an event the caller cannot see, or one another organisation created (nothing stored)', async () => {
      expect(error(await delegateEvent('999999', delegateOrgUuid, publisher.key))).toEqual([404, 'Invalid event.']);
      expect(error(await delegateEvent('0f0f0f0f-0000-4000-8000-000000000000', delegateOrgUuid, publisher.key))).toEqual([404, 'Invalid event.']);
      const hidden = await addEvent(outsider.key);
      expect(error(await delegateEvent(hidden.uuid, delegateOrgUuid, publisher.key))).toEqual([404, 'Invalid event.']);
      // A site admin's (other organisation's) event shared with everyone: visible, not the caller's to delegate.
      const shared = await addEvent(s.adminKey, 3);
      expect(error(await delegateEvent(shared.uuid, delegateOrgUuid, publisher.key))).toEqual([403, NOT_AUTHORISED]);
      expect(await list(delegate.key)).toEqual([]);
    });

    it("refuses an event that is not 'Your organisation only', and a second request for the same event", async () => {
      const community = await addEvent(publisher.key, 1);
      expect(error(await delegateEvent(community.uuid, delegateOrgUuid, publisher.key))).toEqual([403, 'Only events with the distribution setting "Your Organisation Only" can be delegated.']);
      const e = await addEvent(publisher.key);
      const first = await delegateEvent(e.uuid, delegateOrgUuid, publisher.key);
      expect(first.status, first.text).toBe(200);
      expect(error(await delegateEvent(e.uuid, String(outsider.orgId), publisher.key))).toEqual([403, 'This event already has a pending delegation request. Please revoke that before creating a new request.']);
      expect((await list(publisher.key, '/index/context:issued')).filter((d) => d.EventDelegation.event_id === String(e.id))).toHaveLength(1);
      expect((await discard((first.json as J).EventDelegation.id, publisher.key)).status).toBe(200);
    });

    it('refuses bad bodies: no organisation, an unknown one, one named by name, its own, a remote one, a bad distribution or sharing group', async () => {
      const e = await addEvent(publisher.key);
      const cases: [J, number, string | RegExp][] = [
        [{ org_id: undefined }, 400, /^EventDelegation\.org_id is required/],
        [{ org_id: ['x'] }, 400, /^EventDelegation\.org_id is required/],
        [{ org_id: '424242' }, 404, 'Invalid organisation.'],
        [{ org_id: '0f0f0f0f-0000-4000-8000-000000000001' }, 404, 'Invalid organisation.'],
        [{ org_id: 'Test Org - delegate' }, 404, 'Invalid organisation.'],
        [{ org_id: String(publisher.orgId) }, 400, 'EventDelegation.org_id: the organisation already owns the event.'],
        [{ org_id: delegateOrgUuid, distribution: 7 }, 400, 'EventDelegation.distribution must be -1 (recipient decides) or 0 to 4'],
        [{ org_id: delegateOrgUuid, distribution: 'abc' }, 400, 'EventDelegation.distribution must be an integer'],
        [{ org_id: delegateOrgUuid, distribution: 4, sharing_group_id: 999 }, 400, 'EventDelegation.sharing_group_id: sharing group 999 does not exist or is not available to you'],
        [{ org_id: delegateOrgUuid, distribution: 4 }, 400, 'EventDelegation.sharing_group_id: sharing group 0 does not exist or is not available to you'],
        [{ org_id: delegateOrgUuid, message: { a: 1 } }, 400, 'EventDelegation.message must be a string'],
      ];
      for (const [body, status, message] of cases) {
        const r = await delegateEvent(e.uuid, body.org_id, publisher.key, body);
        expect(r.status, JSON.stringify(body)).toBe(status);
        if (typeof message === 'string') expect((r.json as J).message).toBe(message);
        else expect((r.json as J).message).toMatch(message);
      }
      const remote = await addExternalOrgUser(s, 'Remote Org');
      expect(error(await delegateEvent(e.uuid, String(remote.orgId), publisher.key))).toEqual([400, 'EventDelegation.org_id: events can only be delegated to a local organisation.']);
      expect(await list(publisher.key, '?context=issued')).toEqual([]);
      // The ACL answers before the body is read.
      expect(error(await delegateEvent(e.uuid, undefined, plainUser.key, { distribution: 'abc' }))).toEqual([403, NO_PERMISSION]);
    });

    it('accepts the wrapped {"EventDelegation": …} body with a message and applies the requested distribution (3) on accept: the requester sees the event again', async () => {
      const e = await addEvent(publisher.key);
      const r = await s.call('POST', `/event_delegations/delegate_event/${String(e.id)}`, { EventDelegation: { org_id: delegate.orgId, distribution: 3, message: 'please publish' } }, publisher.key);
      expect(r.status, r.text).toBe(200);
      const d = (r.json as J).EventDelegation as J;
      expect([d.distribution, d.message, d.sharing_group_id]).toEqual(['3', 'please publish', '0']);
      expect((await accept(d.id, delegate.key)).status).toBe(200);
      const seen = ((await s.call('GET', `/events/view/${String(e.id)}`, undefined, publisher.key)).json as J).Event as J;
      expect([seen.distribution, seen.Orgc.name]).toEqual(['3', 'Test Org - delegate']);
    });

    it('applies a requested sharing group (distribution 4) on accept', async () => {
      const sg = ((await s.call('POST', '/sharing_groups/add', { name: `Delegation SG ${engine}`, releasability: 'partners' })).json as J).SharingGroup as J;
      expect((await s.call('POST', `/sharing_groups/addOrg/${String(sg.id)}/${String(publisher.orgId)}`)).status).toBe(200);
      expect((await s.call('POST', `/sharing_groups/addOrg/${String(sg.id)}/${String(delegate.orgId)}`)).status).toBe(200);
      const e = await addEvent(publisher.key);
      const r = await delegateEvent(e.uuid, delegateOrgUuid, publisher.key, { distribution: 4, sharing_group_id: sg.id });
      expect(r.status, r.text).toBe(200);
      const d = (r.json as J).EventDelegation as J;
      expect(d.sharing_group_id).toBe(String(sg.id));
      expect((await list(delegate.key)).find((x) => x.EventDelegation.id === d.id)?.SharingGroup).toEqual({ id: String(sg.id), name: sg.name, uuid: sg.uuid });
      expect((await accept(d.id, delegate.key)).status).toBe(200);
      const seen = ((await s.call('GET', `/events/view/${String(e.id)}`, undefined, publisher.key)).json as J).Event as J;
      expect([seen.distribution, seen.sharing_group_id, seen.Orgc.name]).toEqual(['4', String(sg.id), 'Test Org - delegate']);
    });

    it('refuses accepting an unknown id, a non-numeric id, a request to another organisation, without perm_add, and twice', async () => {
      const e = await addEvent(publisher.key);
      const d = ((await delegateEvent(e.uuid, delegateOrgUuid, publisher.key)).json as J).EventDelegation as J;
      expect(error(await accept(999999, delegate.key))).toEqual([403, NOT_AUTHORISED]);
      expect(error(await accept('abc', delegate.key))).toEqual([403, NOT_AUTHORISED]);
      expect(error(await accept(d.id, outsider.key))).toEqual([403, NOT_AUTHORISED]);
      expect(error(await accept(d.id, readOnly.key))).toEqual([403, NO_PERMISSION]);
      // Nothing changed so far.
      expect(((await s.call('GET', `/events/view/${String(e.id)}`, undefined, publisher.key)).json as J).Event.orgc_id).toBe(String(publisher.orgId));
      expect((await accept(d.id, delegate.key)).status).toBe(200);
      expect(error(await accept(d.id, delegate.key))).toEqual([403, NOT_AUTHORISED]);
      expect(error(await discard(d.id, delegate.key))).toEqual([403, NOT_AUTHORISED]);
    });

    it('refuses discarding an unknown request or one of other organisations; the recipient may decline', async () => {
      const e = await addEvent(publisher.key);
      const d = ((await delegateEvent(e.uuid, delegateOrgUuid, publisher.key)).json as J).EventDelegation as J;
      expect(error(await discard(999999, publisher.key))).toEqual([403, NOT_AUTHORISED]);
      expect(error(await discard(d.id, outsider.key))).toEqual([403, NOT_AUTHORISED]);
      expect(error(await discard(d.id, readOnly.key))).toEqual([403, NO_PERMISSION]);
      expect((await list(delegate.key)).map((x) => x.EventDelegation.id)).toContain(d.id);
      const declined = await discard(d.id, delegate.key);
      expect([declined.status, (declined.json as J).message]).toEqual([200, 'Delegation request deleted.']);
      expect((await list(delegate.key)).map((x) => x.EventDelegation.id)).not.toContain(d.id);
      const audited = await s.store.read((repos) => repos.listAudit({ actions: ['delete_delegation'], modelId: Number(e.id) }));
      expect(audited).toHaveLength(1);
    });

    it('answers 404 when the event was deleted meanwhile, keeps the request listed (Event null) until one side deletes it', async () => {
      const e = await addEvent(publisher.key);
      const d = ((await delegateEvent(e.uuid, delegateOrgUuid, publisher.key)).json as J).EventDelegation as J;
      expect((await s.call('POST', `/events/delete/${String(e.id)}`, undefined, publisher.key)).status).toBe(200);
      expect(error(await accept(d.id, delegate.key))).toEqual([404, 'Invalid event.']);
      const entry = (await list(delegate.key)).find((x) => x.EventDelegation.id === d.id);
      expect(entry?.Event).toEqual({ id: null, info: null, uuid: null });
      expect((await discard(d.id, delegate.key)).status).toBe(200);
    });

    it('refuses an unknown index context', async () => {
      const r = await s.call('GET', '/event_delegations/index/context:everything', undefined, delegate.key);
      expect(error(r)).toEqual([400, 'Invalid context. Expected values: pending or issued.']);
      const p = await s.call('POST', '/event_delegations/index', { context: 'issued' }, publisher.key);
      expect(p.status, p.text).toBe(200);
    });

    it('while MISP.delegation is off again: no new request and no accept, but pending requests can be listed and deleted', async () => {
      const e = await addEvent(publisher.key);
      const d = ((await delegateEvent(e.uuid, delegateOrgUuid, publisher.key)).json as J).EventDelegation as J;
      await setDelegation(false);
      try {
        const other = await addEvent(publisher.key);
        expect(error(await delegateEvent(other.uuid, delegateOrgUuid, publisher.key))).toEqual([403, DISABLED]);
        expect(error(await accept(d.id, delegate.key))).toEqual([403, DISABLED]);
        expect(((await s.call('GET', `/events/view/${String(e.id)}`, undefined, publisher.key)).json as J).Event.orgc_id).toBe(String(publisher.orgId));
        expect((await list(delegate.key)).map((x) => x.EventDelegation.id)).toContain(d.id);
        expect((await discard(d.id, delegate.key)).status).toBe(200);
      } finally {
        await setDelegation(true);
      }
    });
  });
});
