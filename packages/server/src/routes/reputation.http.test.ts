import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExternalOrgUser, addOrgUser, startPolicyTestServer, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('source reputation on %s', (engine) => {
  let s: TestServer;
  let producer: { key: string; orgId: number };
  let other: { key: string; orgId: number };
  let sighter: { key: string; orgId: number };
  let sceptic: { key: string; orgId: number };
  let good: J;
  let weak: J;

  const rep = async (path: string, key?: string): Promise<J> => {
    const r = await s.call('GET', path, undefined, key);
    expect(r.status).toBe(200);
    return r.json as J;
  };
  const byName = (list: J[], name: string): J => (list.find((x) => x.Reputation.Organisation.name === name) as J).Reputation;

  beforeAll(async () => {
    s = await startTestServer(engine);
    producer = await addOrgUser(s, 'GoodIntel');
    other = await addOrgUser(s, 'WeakIntel');
    sighter = await addOrgUser(s, 'Sighter', 3);
    sceptic = await addOrgUser(s, 'Sceptic', 3);
    good = ((await s.call('POST', '/events/add', { info: 'Good intel', distribution: '1', Attribute: [
      { type: 'ip-dst', value: '198.51.100.1' }, { type: 'domain', value: 'good-one.example' }, { type: 'domain', value: 'good-two.example' },
    ] }, producer.key)).json as J).Event;
    weak = ((await s.call('POST', '/events/add', { info: 'Weak intel', distribution: '1', Attribute: [
      { type: 'domain', value: 'google.com' }, { type: 'domain', value: 'weak-two.example' },
    ] }, other.key)).json as J).Event;
    const [g1, g2, g3] = good.Attribute as J[];
    const [w1, w2] = weak.Attribute as J[];
    const sight = async (attr: J, key: string, type = '0'): Promise<void> => {
      expect((await s.call('POST', `/sightings/add/${String(attr.id)}`, { type }, key)).status).toBe(200);
    };
    await sight(g1 as J, sighter.key);
    await sight(g1 as J, sighter.key); // repeated: counts once
    await sight(g2 as J, sighter.key);
    await sight(g3 as J, sceptic.key);
    await sight(g1 as J, producer.key); // the source confirming itself: not evidence
    await sight(w1 as J, sighter.key, '1'); // false positive
    await sight(w1 as J, sceptic.key, '1');
    await sight(w2 as J, sceptic.key, '1');
    const opinion = await s.call('POST', '/analystData/add/Opinion', { object_uuid: (w2 as J).uuid, object_type: 'Attribute', opinion: '10', comment: 'benign' }, sighter.key);
    expect(opinion.status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });

  it('rates each creator organisation from the others\' sightings, false positives and opinions', async () => {
    const list = (await rep('/reputation/organisations')) as unknown as J[];
    const names = list.map((x) => x.Reputation.Organisation.name);
    expect(names.indexOf('GoodIntel')).toBeLessThan(names.indexOf('WeakIntel'));
    const g = byName(list, 'GoodIntel');
    // Seen by Sighter (2 attributes, one sighted twice) and Sceptic (1): 3 pieces of evidence for, none against.
    expect(g).toMatchObject({ positive: 3, negative: 0, score: 0.8, uncertainty: 0.4, events: 1, attributes: 3, half_life_days: 180 });
    expect(g.evidence).toMatchObject({ sightings: 3, false_positives: 0, opinions: 0, reporters: 2 });
    const w = byName(list, 'WeakIntel');
    // Three false positives, and an opinion of 10/100: 0.1 for, 3.9 against.
    expect(w.evidence).toMatchObject({ sightings: 0, false_positives: 3, opinions: 1, reporters: 2 });
    expect(w.positive).toBeCloseTo(0.1, 4);
    expect(w.negative).toBeCloseTo(3.9, 4);
    expect(w.score).toBeCloseTo(1.1 / 6, 4);
    // An organisation whose events carry no feedback is neutral, not absent.
    const admin = list.find((x) => x.Reputation.evidence.reporters === 0 && x.Reputation.events > 0);
    expect(admin === undefined || admin.Reputation.score === 0.5).toBe(true);
  });

  it('answers for one organisation by id, UUID or name, and 404 for an unknown one', async () => {
    const org = ((await s.call('GET', `/organisations/view/${String(producer.orgId)}`)).json as J).Organisation;
    for (const ref of [String(producer.orgId), String(org.uuid), 'GoodIntel']) {
      expect((await rep(`/reputation/organisations/${encodeURIComponent(ref)}`)).Reputation.score).toBe(0.8);
    }
    const quiet = (await rep(`/reputation/organisations/${String(sighter.orgId)}`)).Reputation;
    expect(quiet).toMatchObject({ score: 0.5, uncertainty: 1, events: 0 });
    expect((await s.call('GET', '/reputation/organisations/NoSuchOrg')).status).toBe(404);
  });

  it('adds the creator organisation\'s reputation to an event view on includeSourceReputation', async () => {
    const view = async (query: string, key?: string): Promise<J> => ((await s.call('GET', `/events/view/${String(good.id)}${query}`, undefined, key)).json as J).Event;
    expect((await view('')).SourceReputation).toBeUndefined();
    const withRep = await view('?includeSourceReputation=1', sighter.key);
    expect(withRep.SourceReputation.Organisation.name).toBe('GoodIntel');
    // As Sighter sees it: its own two sightings only (the policy hides Sceptic's).
    expect(withRep.SourceReputation.evidence).toMatchObject({ sightings: 2, reporters: 1 });
  });

  it('ages feedback by the half-life asked for, and refuses a bad one', async () => {
    const never = (await rep('/reputation/organisations/GoodIntel?half_life_days=0')).Reputation;
    expect(never).toMatchObject({ positive: 3, half_life_days: 0 });
    const bad = await s.call('GET', '/reputation/organisations?half_life_days=-3');
    expect(bad.status).toBe(400);
    expect((bad.json as J).field).toBe('half_life_days');
    expect((await s.call('GET', '/reputation/organisations?half_life_days=soon')).status).toBe(400);
  });

  it('counts only the sightings the sighting policy lets the asking organisation see', async () => {
    // MISP's default policy: a sighting is seen by its reporter and by the event's owner.
    const asProducer = byName((await rep('/reputation/organisations', producer.key)) as unknown as J[], 'GoodIntel');
    expect(asProducer.evidence).toMatchObject({ sightings: 3, reporters: 2 });
    const asSceptic = (await rep('/reputation/organisations', sceptic.key)) as unknown as J[];
    expect(byName(asSceptic, 'GoodIntel').evidence).toMatchObject({ sightings: 1, reporters: 1 });
    // Sighter's own false positive stays hidden from Sceptic; Sighter's opinion is analyst data, visible by its own distribution.
    expect(byName(asSceptic, 'WeakIntel').evidence).toMatchObject({ false_positives: 2, opinions: 1, reporters: 2 });
  });

  it('leaves out information the asking user may not see', async () => {
    const hidden = ((await s.call('POST', '/events/add', { info: 'Org only', distribution: '0', Attribute: [{ type: 'domain', value: 'private-rep.example' }] }, other.key)).json as J).Event;
    // A site admin sights it as a false positive: only the owner and site admins see that event.
    expect((await s.call('POST', `/sightings/add/${String((hidden.Attribute as J[])[0]?.id)}`, { type: '1' })).status).toBe(200);
    expect(byName((await rep('/reputation/organisations')) as unknown as J[], 'WeakIntel').evidence.false_positives).toBe(4);
    const asSighter = byName((await rep('/reputation/organisations', sighter.key)) as unknown as J[], 'WeakIntel');
    expect(asSighter).toMatchObject({ events: 1 });
    expect(asSighter.evidence.false_positives).toBe(1);
    // An opinion on the event itself counts too; one on an event the asking user may not see does not.
    expect((await s.call('POST', '/analystData/add/Opinion', { object_uuid: weak.uuid, object_type: 'Event', opinion: '30' }, sceptic.key)).status).toBe(200);
    expect((await s.call('POST', '/analystData/add/Opinion', { object_uuid: hidden.uuid, object_type: 'Event', opinion: '0' })).status).toBe(200);
    expect(byName((await rep('/reputation/organisations', sighter.key)) as unknown as J[], 'WeakIntel').evidence.opinions).toBe(2);
    expect(byName((await rep('/reputation/organisations')) as unknown as J[], 'WeakIntel').evidence.opinions).toBe(3);
  });
});

describe.each(testEngines())('source reputation under an anonymisation policy on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startPolicyTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('is refused to recipients of the policy, who see organisations pseudonymised', async () => {
    await s.call('POST', '/events/add', { info: 'Shared', distribution: '1', Attribute: [{ type: 'ip-dst', value: '198.51.100.9' }] });
    const partner = await addExternalOrgUser(s, 'Partner');
    const r = await s.call('GET', '/reputation/organisations', undefined, partner.key);
    expect(r.status).toBe(403);
    expect(r.text).not.toContain('ORGNAME');
    const local = await addOrgUser(s, 'Colleague');
    expect((await s.call('GET', '/reputation/organisations', undefined, local.key)).status).toBe(200);
  });
});
