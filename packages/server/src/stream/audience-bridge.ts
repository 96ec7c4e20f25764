import type { Bus, BusMessage, Subscription } from '@waggle/bus';
import { createStreamFilter, type OrganisationRecord, type Store, type Viewer } from '@waggle/core';
import type { RecipientRef } from '@waggle/privacy';
import type { OutboundPrivacy } from '../privacy/outbound-privacy.js';
import { shapeStreamMessage } from '../privacy/stream-privacy.js';
import type { UmaProducers } from '../uma/uma-producers.js';

/** Where audience copies go (a NATS connection in production, a list in tests). */
export interface AudiencePublisher {
  publish(subject: string, payload: unknown): void;
}

/** What {@link startAudienceBridge} needs. */
export interface AudienceBridgeDeps {
  readonly bus: Bus;
  readonly store: Store;
  readonly publisher: AudiencePublisher;
  /** Subject prefix (default `waggle.share`). */
  readonly prefix?: string;
  readonly onError?: (error: unknown) => void;
  /** Outbound anonymisation: community and sharing-group subjects are recipients (`stream: community`, `sharing_group: <uuid>`). */
  readonly privacy?: OutboundPrivacy;
  /** Producers under UMA (mode `uma`, ADR 0013): their events go to their own organisation's subject only. */
  readonly umaProducers?: UmaProducers;
}

/** A viewer from another organisation of the community, in no sharing group. */
const COMMUNITY: Viewer = { userId: 0, orgId: -1, siteAdmin: false, sharingGroupIds: [] };

/**
 * Fans the event stream out to NATS subjects by audience, so that NATS's own
 * subject permissions decide who receives what:
 *  - `<prefix>.community.<topic>`: what any organisation of the community may see
 *    (events of distribution 1–3, minus their org-only and sharing-group parts);
 *  - `<prefix>.org.<org uuid>.<topic>`: everything about the organisation's own events;
 *  - `<prefix>.sg.<sharing group uuid>.<topic>`: what members of the sharing group may see.
 * Give each consumer a NATS user allowed to subscribe to `<prefix>.community.>`,
 * its own `<prefix>.org.<uuid>.>` and its sharing groups' subjects. Redaction uses the
 * same rules as the API and the SSE stream.
 */
export async function startAudienceBridge(deps: AudienceBridgeDeps): Promise<Subscription> {
  const prefix = deps.prefix ?? 'waggle.share';
  const filter = createStreamFilter({ store: deps.store });
  const orgs = new Map<number, OrganisationRecord | undefined>();
  const sharingGroups = new Map<number, string | undefined>();
  async function orgOf(id: number): Promise<OrganisationRecord | undefined> {
    if (!orgs.has(id)) orgs.set(id, await deps.store.read((repos) => repos.getOrganisation(id)));
    return orgs.get(id);
  }
  async function sharingGroupUuid(id: number): Promise<string | undefined> {
    if (!sharingGroups.has(id)) sharingGroups.set(id, await deps.store.read(async (repos) => (await repos.getSharingGroup(id))?.uuid));
    return sharingGroups.get(id);
  }
  async function fanOut(m: BusMessage): Promise<void> {
    const shape = (payload: unknown, recipient: RecipientRef): unknown =>
      payload === undefined || deps.privacy === undefined ? payload : shapeStreamMessage(deps.privacy, m.topic, payload, () => recipient);
    const head = await filter.eventOf(m.payload);
    // Everyone but the producer reads a UMA producer's events one granted event at a time.
    const umaOnly = head !== undefined && deps.umaProducers !== undefined && deps.umaProducers.has(await orgOf(head.orgc_id));
    const community = umaOnly ? undefined : shape(await filter.visible(COMMUNITY, m.topic, m.payload), { stream: 'community' });
    if (community !== undefined) deps.publisher.publish(`${prefix}.community.${m.topic}`, community);
    if (head === undefined) return;
    const org = (await orgOf(head.org_id))?.uuid;
    if (org !== undefined) {
      const own = await filter.visible({ ...COMMUNITY, orgId: head.org_id }, m.topic, m.payload);
      if (own !== undefined) deps.publisher.publish(`${prefix}.org.${org}.${m.topic}`, own);
    }
    if (!umaOnly && head.distribution === 4 && head.sharing_group_id > 0) {
      const sg = await sharingGroupUuid(head.sharing_group_id);
      const members = shape(await filter.visible({ ...COMMUNITY, sharingGroupIds: [head.sharing_group_id] }, m.topic, m.payload), { sharing_group: { uuid: sg ?? '' } });
      if (sg !== undefined && members !== undefined) deps.publisher.publish(`${prefix}.sg.${sg}.${m.topic}`, members);
    }
  }
  let chain = Promise.resolve();
  return deps.bus.subscribe('*', (m) => {
    chain = chain.then(() => fanOut(m)).catch((e: unknown) => deps.onError?.(e));
  });
}
