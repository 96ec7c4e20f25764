import { InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { canSeeSighting } from '../access/sighting-policy.js';
import { distributionAllows } from '../access/analyst-data-rules.js';
import type { OrganisationRecord } from '../model/records.js';
import type { Ref, Repositories } from '../ports/store.js';
import { DEFAULT_HALF_LIFE_SECONDS, reputations, type Feedback, type Reputation } from '../reputation/beta-reputation.js';
import { mysqlDatetimeSeconds, type MispJson } from '../views/misp-json.js';
import { createAnalystVisibility } from './analyst-data-access.js';
import type { CoreDeps } from './deps.js';

/** How a reputation is asked for. */
export interface ReputationQuery {
  /** Feedback loses half its weight after this many days (default 180; 0: feedback never ages). */
  readonly halfLifeDays?: number;
}

const DAY = 86_400;
const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/** The creator organisation of the event an object or event report belongs to (opinions on attributes and events come from SQL). */
async function sourceOf(repos: Repositories, type: string, uuid: string): Promise<number | undefined> {
  const eventId = type === 'Object' ? (await repos.getObject(uuid))?.event_id : type === 'EventReport' ? (await repos.getEventReport(uuid))?.event_id : undefined;
  return eventId === undefined ? undefined : (await repos.getEvent(eventId))?.orgc_id;
}

/** Sightings and opinions of other organisations on the information `p` may see, as feedback on its creators. */
async function gatherFeedback(repos: Repositories, p: Principal, only?: number): Promise<Feedback[]> {
  const feedback: Feedback[] = [];
  // The sighting policy decides whose sightings the viewer may count, as it decides whose it may list.
  for (const r of await repos.sightingEvidence(p.viewer, only)) {
    if (!canSeeSighting(p.viewer, { org_id: r.reporter }, { org_id: r.eventOrg })) continue;
    const falsePositive = r.type === 1;
    feedback.push({ source: r.source, reporter: r.reporter, target: `Attribute/${String(r.attributeId)}`, kind: falsePositive ? 'false-positive' : 'seen', favourable: falsePositive ? 0 : 1, at: r.at });
  }
  // MISP 2.5 opinions (0–100). Those on attributes and events come with their source from one
  // query each (visibility in SQL); the rarer ones on objects and reports are checked one by one.
  const known = new Map((await repos.opinionSources(p.viewer, only)).map((r) => [r.uuid, r.source] as const));
  const visibility = createAnalystVisibility(repos, p);
  const orgIds = new Map<string, number | undefined>();
  for (const o of await repos.listAnalystData({ kind: 'Opinion' })) {
    let source = known.get(o.uuid);
    if (source !== undefined) {
      if (!distributionAllows(p.viewer, p.org.uuid, o)) continue;
    } else {
      // Not among the visible attributes and events (of this source): only other targets remain.
      if (o.object_type === 'Attribute' || o.object_type === 'Event' || !(await visibility.visible(o))) continue;
      source = await sourceOf(repos, o.object_type, o.object_uuid);
      if (source === undefined || (only !== undefined && source !== only)) continue;
    }
    if (!orgIds.has(o.orgc_uuid)) orgIds.set(o.orgc_uuid, (await repos.getOrganisation(o.orgc_uuid))?.id);
    const reporter = orgIds.get(o.orgc_uuid);
    if (reporter === undefined) continue;
    feedback.push({ source, reporter, target: `${o.object_type}/${o.object_uuid}`, kind: 'opinion', favourable: o.opinion / 100, at: mysqlDatetimeSeconds(o.modified || o.created) });
  }
  return feedback;
}

function reputationJson(r: Reputation, org: OrganisationRecord | undefined, activity: { events: number; attributes: number } | undefined, halfLifeDays: number): MispJson {
  return {
    Organisation: { id: String(r.source), uuid: org?.uuid ?? '', name: org?.name ?? '' },
    score: round(r.score),
    uncertainty: round(r.uncertainty),
    positive: round(r.positive),
    negative: round(r.negative),
    evidence: { sightings: r.seen, false_positives: r.falsePositives, opinions: r.opinions, reporters: r.reporters, last_feedback: r.lastFeedback },
    events: activity?.events ?? 0,
    attributes: activity?.attributes ?? 0,
    half_life_days: halfLifeDays,
  };
}

/**
 * Source reputation: how far other organisations' feedback (sightings, false positives, MISP 2.5
 * opinions) confirms each creator organisation's information, as a beta reputation with ageing
 * (ADR 0015). Computed on request from the information the asking user may see.
 */
export function createReputationService(deps: CoreDeps) {
  const { store, clock } = deps;

  function halfLifeOf(q: ReputationQuery): number {
    const days = q.halfLifeDays ?? DEFAULT_HALF_LIFE_SECONDS / DAY;
    if (!Number.isFinite(days) || days < 0 || days > 36_500) throw new InputError('half_life_days must be a number of days from 0 to 36500', { field: 'half_life_days' });
    return days;
  }

  /** Reputations of every visible source, or of `only`. */
  async function compute(repos: Repositories, p: Principal, days: number, only?: number): Promise<{ list: Reputation[]; activity: Map<number, { events: number; attributes: number }> }> {
    const activity = new Map((await repos.sourceActivity(p.viewer, only)).map((a) => [a.source, a] as const));
    const feedback = await gatherFeedback(repos, p, only);
    const list = reputations(feedback, { now: clock.now(), halfLifeSeconds: days * DAY }, [...activity.keys()]);
    return { list, activity };
  }

  return {
    /** Every creator organisation of information `p` may see, best reputation first. */
    async list(p: Principal, q: ReputationQuery = {}): Promise<MispJson[]> {
      const days = halfLifeOf(q);
      return store.read(async (repos) => {
        const { list, activity } = await compute(repos, p, days);
        const out: MispJson[] = [];
        for (const r of list) out.push({ Reputation: reputationJson(r, await repos.getOrganisation(r.source), activity.get(r.source), days) });
        return out;
      });
    },

    /** One organisation's reputation (by id, UUID or name); neutral when nothing it created is visible. */
    async view(p: Principal, ref: Ref, q: ReputationQuery = {}): Promise<MispJson> {
      const days = halfLifeOf(q);
      return store.read(async (repos) => {
        const org = await repos.getOrganisation(ref);
        if (org === undefined) throw new NotFoundError('Invalid organisation.');
        const { list, activity } = await compute(repos, p, days, org.id);
        const r = list.find((x) => x.source === org.id) ?? reputations([], { now: clock.now() }, [org.id])[0];
        if (r === undefined) throw new NotFoundError('Invalid organisation.');
        return { Reputation: reputationJson(r, org, activity.get(org.id), days) };
      });
    },
  };
}

/** The reputation service's type. */
export type ReputationService = ReturnType<typeof createReputationService>;
