import { describe, expect, it } from 'vitest';
import { objectsIn, type JsonObject, type MispEventJson } from '../model/misp-json.js';
import { parseSyncRules } from '../model/sync-rules.js';
import { aServer, aSharingGroup, anAttribute, anEvent, anObject, REMOTE_ORG } from '../test-support/builders.js';
import { prepareEventForPush, type PushVerdict } from './prepare-event-for-push.js';

const server = aServer({ id: '7' });

function sent(verdict: PushVerdict): MispEventJson {
  if ('skip' in verdict) throw new Error(`expected the event to be sent, got skip: ${verdict.skip}`);
  return verdict.event;
}
function skipped(verdict: PushVerdict): string {
  if (!('skip' in verdict)) throw new Error('expected a skip');
  return verdict.skip;
}
const member = aSharingGroup({ servers: [{ serverId: '7' }], orgUuids: [REMOTE_ORG.uuid] });
const otherServer = aSharingGroup({ servers: [{ serverId: '8', allOrgs: true }], orgUuids: [REMOTE_ORG.uuid] });
const orgMissing = aSharingGroup({ servers: [{ serverId: '7', allOrgs: true }], orgUuids: ['99999999-9999-4999-8999-999999999999'] });

describe('prepareEventForPush: event distribution', () => {
  it.each([
    ['0', false],
    ['1', false],
    ['2', true],
    ['3', true],
  ])('distribution %s → sent: %s', (distribution, expected) => {
    const verdict = prepareEventForPush(anEvent({ distribution }), server);
    expect('event' in verdict).toBe(expected);
  });

  it('sends a sharing-group event only to a member server whose org is in the group', () => {
    expect(sent(prepareEventForPush(anEvent({ distribution: '4', SharingGroup: member }), server)).distribution).toBe('4');
    expect(skipped(prepareEventForPush(anEvent({ distribution: '4', SharingGroup: otherServer }), server))).toMatch(/distribution/);
    // MISP __prepareForPushToServer wants the remote org listed even when the server has all_orgs.
    expect(skipped(prepareEventForPush(anEvent({ distribution: '4', SharingGroup: orgMissing }), server))).toMatch(/distribution/);
    expect(skipped(prepareEventForPush(anEvent({ distribution: '4' }), server))).toMatch(/membership is unknown/);
    const roaming = aSharingGroup({ roaming: true, servers: [{ serverId: '8' }], orgUuids: [REMOTE_ORG.uuid] });
    expect('event' in prepareEventForPush(anEvent({ distribution: '4', SharingGroup: roaming }), server)).toBe(true);
  });

  it('lets the caller answer sharing-group membership', () => {
    const verdict = prepareEventForPush(anEvent({ distribution: '4', SharingGroup: otherServer }), server, { sharingGroupMembership: () => true });
    expect('event' in verdict).toBe(true);
  });

  it('refuses unpublished, invalid and empty events', () => {
    expect(skipped(prepareEventForPush(anEvent({ published: false }), server))).toMatch(/not published/);
    expect(skipped(prepareEventForPush(anEvent({ distribution: '9' }), server))).toMatch(/valid distribution/);
    expect(skipped(prepareEventForPush(anEvent({ distribution: undefined }), server))).toMatch(/valid distribution/);
    expect(skipped(prepareEventForPush({ info: 'no uuid' }, server))).toMatch(/uuid/);
    expect(skipped(prepareEventForPush(anEvent({ Attribute: [anAttribute({ deleted: true })] }), server))).toMatch(/no attributes/);
  });

  it('downgrades connected communities (2) to this community (1) at every level', () => {
    const event = sent(
      prepareEventForPush(
        anEvent({
          distribution: '2',
          Attribute: [anAttribute({ distribution: '2' })],
          Object: [anObject({ distribution: '2', Attribute: [anAttribute({ distribution: '2' })] })],
          EventReport: [{ uuid: 'r', name: 'r', content: 'x', distribution: '2' }],
        }),
        server,
      ),
    );
    expect(event.distribution).toBe('1');
    expect(objectsIn(event.Attribute)[0]?.distribution).toBe('1');
    const object = objectsIn(event.Object)[0] as JsonObject;
    expect(object.distribution).toBe('1');
    expect(objectsIn(object.Attribute)[0]?.distribution).toBe('1');
    expect(objectsIn(event.EventReport)[0]?.distribution).toBe('1');
  });
});

describe('prepareEventForPush: inside the event', () => {
  it('filters attributes, objects and reports by their own distribution; 5 inherits', () => {
    const keep = (d: string, extra: JsonObject = {}) => anAttribute({ distribution: d, comment: `keep-${d}`, ...extra });
    const drop = (d: string, extra: JsonObject = {}) => anAttribute({ distribution: d, comment: `drop-${d}`, ...extra });
    const event = sent(
      prepareEventForPush(
        anEvent({
          Attribute: [drop('0'), drop('1'), keep('3'), keep('5'), keep('4', { SharingGroup: member }), drop('4', { SharingGroup: otherServer }), drop('4')],
          Object: [
            anObject({ distribution: '1', comment: 'drop-object', Attribute: [anAttribute({ distribution: '5' })] }),
            anObject({ distribution: '5', comment: 'keep-object', Attribute: [keep('5'), drop('0')] }),
          ],
          EventReport: [
            { uuid: 'r0', name: 'a', content: '', distribution: '0' },
            { uuid: 'r5', name: 'b', content: '', distribution: '5' },
          ],
        }),
        server,
      ),
    );
    const comments = objectsIn(event.Attribute).map((a) => a.comment);
    expect(comments).toEqual(['keep-3', 'keep-5', 'keep-4']);
    expect(objectsIn(event.Object).map((o) => o.comment)).toEqual(['keep-object']);
    expect(objectsIn((objectsIn(event.Object)[0] as JsonObject).Attribute).map((a) => a.comment)).toEqual(['keep-5']);
    expect(objectsIn(event.EventReport).map((r) => r.uuid)).toEqual(['r5']);
  });

  it('removes local and non-exportable tags, internal ids and read-only parts; marks the event locked', () => {
    const event = sent(
      prepareEventForPush(
        anEvent({
          Tag: [{ name: 'tlp:green' }, { name: 'workflow:todo', local: 1 }, { name: 'internal', exportable: false }],
          Attribute: [anAttribute({ value1: 'x', Tag: [{ name: 'keep' }, { name: 'mine', local: true }], Galaxy: [], ShadowAttribute: [] })],
          Galaxy: [{ name: 'g' }],
          RelatedEvent: [],
        }),
        server,
      ),
    );
    expect(objectsIn(event.Tag).map((t) => t.name)).toEqual(['tlp:green']);
    const attribute = objectsIn(event.Attribute)[0] as JsonObject;
    expect(objectsIn(attribute.Tag).map((t) => t.name)).toEqual(['keep']);
    expect(attribute.id).toBeUndefined();
    expect(attribute.value1).toBeUndefined();
    expect(attribute.Galaxy).toBeUndefined();
    expect(event.Galaxy).toBeUndefined();
    expect(event.Org).toBeUndefined();
    expect(event.orgc_id).toBeUndefined();
    expect(event.Orgc).toBeDefined();
    expect(event.locked).toBe(true);
  });

  it('keeps sightings only when the server wants them', () => {
    const input = anEvent({ Attribute: [anAttribute({ Sighting: [{ uuid: 's1', type: '0' }] })] });
    const without = sent(prepareEventForPush(input, server));
    expect((objectsIn(without.Attribute)[0] as JsonObject).Sighting).toBeUndefined();
    const withSightings = sent(prepareEventForPush(input, aServer({ pushSightings: true })));
    expect(objectsIn((objectsIn(withSightings.Attribute)[0] as JsonObject).Sighting)).toHaveLength(1);
  });

  it('announces this instance in sharing groups when a base URL is given', () => {
    const sg = aSharingGroup({ servers: [{ serverId: '0' }, { serverId: '7' }], orgUuids: [REMOTE_ORG.uuid] });
    const event = sent(prepareEventForPush(anEvent({ distribution: '4', SharingGroup: sg }), server, { localBaseUrl: 'https://waggle.example' }));
    const local = objectsIn((event.SharingGroup as JsonObject).SharingGroupServer)[0] as JsonObject;
    expect(local.Server).toEqual({ id: '0', url: 'https://waggle.example', name: 'https://waggle.example' });
  });

  it('does not modify its input and accepts a wrapped event', () => {
    const input = anEvent({ distribution: '2', Tag: [{ name: 'x', local: true }] });
    const before = structuredClone(input);
    const event = sent(prepareEventForPush({ Event: input }, server));
    expect(input).toEqual(before);
    expect(event.uuid).toBe(input.uuid);
  });
});

describe('prepareEventForPush: push rules', () => {
  const withRules = (rules: unknown) => aServer({ pushRules: parseSyncRules(rules) });

  it('applies tag OR/NOT by name or id, NOT winning', () => {
    const tagged = anEvent({ Tag: [{ id: '10', name: 'tlp:green' }] });
    expect('event' in prepareEventForPush(tagged, withRules({ tags: { OR: ['tlp:green'] } }))).toBe(true);
    expect('event' in prepareEventForPush(tagged, withRules({ tags: { OR: [10] } }))).toBe(true);
    expect(skipped(prepareEventForPush(tagged, withRules({ tags: { OR: ['tlp:white'] } })))).toMatch(/tags.OR/);
    expect(skipped(prepareEventForPush(anEvent(), withRules({ tags: { OR: ['tlp:green'] } })))).toMatch(/tags.OR/);
    expect(skipped(prepareEventForPush(tagged, withRules({ tags: { OR: ['tlp:green'], NOT: ['tlp:green'] } })))).toMatch(/tags.NOT/);
  });

  it('applies org OR/NOT on the creator org by uuid, name or id', () => {
    const event = anEvent();
    const orgc = event.Orgc as JsonObject;
    expect('event' in prepareEventForPush(event, withRules({ orgs: { OR: [String(orgc.uuid).toUpperCase()] } }))).toBe(true);
    expect(skipped(prepareEventForPush(event, withRules({ orgs: { NOT: [String(orgc.name)] } })))).toMatch(/orgs.NOT/);
    expect(skipped(prepareEventForPush(event, withRules({ orgs: { OR: ['999'] } })))).toMatch(/orgs.OR/);
    expect(skipped(prepareEventForPush(event, withRules({ orgs: { NOT: [Number(orgc.id)] } })))).toMatch(/orgs.NOT/);
  });

  it('drops attributes with a NOT tag and attribute/object types on the NOT lists', () => {
    const event = sent(
      prepareEventForPush(
        anEvent({
          Attribute: [anAttribute({ comment: 'a' }), anAttribute({ comment: 'b', Tag: [{ name: 'secret' }] }), anAttribute({ type: 'email-src', value: 'a@b.test', comment: 'c' })],
          Object: [anObject({ comment: 'by-template' }), anObject({ name: 'file', template_uuid: '688c46fb-5edb-40a3-8273-1af7923e2215', comment: 'kept' })],
        }),
        withRules({ tags: { NOT: ['secret'] }, type_attributes: { NOT: ['email-src'] }, type_objects: { NOT: ['43b3b146-77eb-4931-b4cc-b66c60f28734'] } }),
      ),
    );
    expect(objectsIn(event.Attribute).map((a) => a.comment)).toEqual(['a']);
    expect(objectsIn(event.Object).map((o) => o.comment)).toEqual(['kept']);
  });
});
