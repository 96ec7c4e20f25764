import { describe, expect, it } from 'vitest';
import { objectsIn, type JsonObject } from '../model/misp-json.js';
import { emptySyncRules, parseSyncRules } from '../model/sync-rules.js';
import { anAttribute, anEvent, anObject } from '../test-support/builders.js';
import { applyPullRules, pullRulesToIndexFilters } from './apply-pull-rules.js';
import { downgradeOnReceive, prepareEventForPull } from './downgrade-on-receive.js';

const levels = (e: JsonObject) => ({
  event: e.distribution,
  attributes: objectsIn(e.Attribute).map((a) => a.distribution),
  object: objectsIn(e.Object).map((o) => o.distribution),
  objectAttributes: objectsIn(e.Object).flatMap((o) => objectsIn(o.Attribute).map((a) => a.distribution)),
  reports: objectsIn(e.EventReport).map((r) => r.distribution),
});

const mixed = () =>
  anEvent({
    distribution: '2',
    Tag: [{ name: 'tlp:green' }, { name: 'theirs', local: true }],
    Attribute: ['0', '1', '2', '3', '5'].map((d) => anAttribute({ distribution: d, Tag: [{ name: 'l', local: 1 }] })),
    Object: [anObject({ distribution: '1', Attribute: [anAttribute({ distribution: '2' })] })],
    EventReport: [{ uuid: 'r', name: 'r', content: '', distribution: '2' }],
  });

describe('prepareEventForPull (MISP __updatePulledEventBeforeInsert)', () => {
  it('downgrades 1→0 and 2→1 everywhere, strips local tags, locks the event', () => {
    const verdict = prepareEventForPull(mixed(), emptySyncRules());
    if (!('event' in verdict)) throw new Error(verdict.skip);
    expect(levels(verdict.event)).toEqual({ event: '1', attributes: ['0', '0', '1', '3', '5'], object: ['0'], objectAttributes: ['1'], reports: ['1'] });
    expect(objectsIn(verdict.event.Tag).map((t) => t.name)).toEqual(['tlp:green']);
    expect(objectsIn(objectsIn(verdict.event.Attribute)[0]?.Tag)).toEqual([]);
    expect(verdict.event.locked).toBe(true);
  });

  it('drops attribute and object types on the pull NOT lists and refuses empty events', () => {
    const rules = parseSyncRules({ type_attributes: { NOT: ['ip-dst'] } });
    const verdict = prepareEventForPull(anEvent({ Attribute: [anAttribute(), anAttribute({ type: 'domain', value: 'x.test' })], Object: [anObject()] }), rules);
    if (!('event' in verdict)) throw new Error(verdict.skip);
    expect(objectsIn(verdict.event.Attribute).map((a) => a.type)).toEqual(['domain']);
    expect(verdict.event.Object).toEqual([]);
    expect(prepareEventForPull(anEvent(), rules)).toEqual({ skip: 'The pull rules removed every attribute of the event.' });
    expect(prepareEventForPull(anEvent({ Attribute: [anAttribute({ deleted: true })] }), emptySyncRules())).toEqual({ skip: 'Empty event detected.' });
    expect(prepareEventForPull({ nope: 1 }, emptySyncRules())).toEqual({ skip: 'Not a MISP event (no uuid).' });
  });
});

describe('downgradeOnReceive (events pushed to us by a sync user)', () => {
  it('turns 2 into 1 only, drops local tags, keeps the wrapper and leaves the input alone', () => {
    const input = { Event: mixed() };
    const before = structuredClone(input);
    const out = downgradeOnReceive(input);
    expect(input).toEqual(before);
    expect(levels(out.Event)).toEqual({ event: '1', attributes: ['0', '1', '1', '3', '5'], object: ['1'], objectAttributes: ['1'], reports: ['1'] });
    expect(objectsIn(out.Event.Tag).map((t) => t.name)).toEqual(['tlp:green']);
  });
});

describe('applyPullRules', () => {
  const rules = parseSyncRules({ tags: { OR: ['tlp:green'], NOT: ['tlp:red'] }, orgs: { NOT: ['22222222-2222-4222-8222-222222222222'] } });

  it('judges org rules on index rows and tag rules on full events', () => {
    expect(applyPullRules({ orgcUuid: '22222222-2222-4222-8222-222222222222' }, rules)).toMatchObject({ accept: false });
    expect(applyPullRules({ orgcUuid: '11111111-1111-4111-8111-111111111111' }, rules)).toEqual({ accept: true });
    expect(applyPullRules(anEvent({ Tag: [{ name: 'tlp:green' }] }), rules)).toEqual({ accept: true });
    expect(applyPullRules(anEvent({ Tag: [{ name: 'tlp:green' }, { name: 'tlp:red' }] }), rules)).toMatchObject({ accept: false, reason: expect.stringMatching(/NOT/) });
    expect(applyPullRules(anEvent({ Tag: [] }), rules)).toMatchObject({ accept: false, reason: expect.stringMatching(/OR/) });
    expect(applyPullRules(anEvent({ Orgc: { uuid: '22222222-2222-4222-8222-222222222222', name: 'R' }, Tag: [{ name: 'tlp:green' }] }), rules)).toMatchObject({ accept: false });
  });

  it('turns rules into events/index filters as MISP filterRuleToParameter does', () => {
    expect(pullRulesToIndexFilters(parseSyncRules({ tags: { OR: ['a'], NOT: ['b'] }, orgs: { OR: ['o'] }, url_params: '{"threat_level_id":"1"}' }))).toEqual({
      threat_level_id: '1',
      tag: ['a', '!b'],
      org: ['o'],
    });
    expect(pullRulesToIndexFilters(parseSyncRules({ tags: { OR: ['a'] }, url_params: { tag: 'b', limit: 5 } }))).toEqual({ tag: ['a', 'b'], limit: 5 });
    expect(pullRulesToIndexFilters(emptySyncRules())).toEqual({});
  });
});
