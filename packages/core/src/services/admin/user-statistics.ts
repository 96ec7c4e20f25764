import { InputError } from '@waggle/errors';
import type { Principal } from '../../access/principal.js';
import type { EventRecord, OrganisationRecord } from '../../model/records.js';
import type { Repositories } from '../../ports/store.js';
import type { MispJson } from '../../views/misp-json.js';
import type { CoreDeps } from '../deps.js';

/** The contexts of MISP's `users/statistics/{context}` that waggle serves. */
export const STATISTICS_CONTEXTS = ['data', 'orgs', 'users', 'tags', 'attributehistogram', 'sightings'] as const;
export type StatisticsContext = (typeof STATISTICS_CONTEXTS)[number];

const SIGHTING_TYPES = ['sighting', 'false-positive', 'expiration'] as const;

/** Unix time of the first day of the current month and year (UTC), as MISP's `strtotime`. */
function monthAndYearStart(nowSeconds: number): { month: number; year: number } {
  const d = new Date(nowSeconds * 1000);
  return { month: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000, year: Date.UTC(d.getUTCFullYear(), 0, 1) / 1000 };
}

/** PHP's `round($x, $precision)` (half away from zero). */
function phpRound(x: number, precision = 0): number {
  const f = 10 ** precision;
  return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f;
}

const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { sensitivity: 'base' });

/**
 * MISP's instance statistics (`UsersController::statistics`), counted over what the principal may
 * see: events, attributes, correlations, proposals and tags through the viewer's visibility (the
 * whole instance for site admins); users and organisations are instance-wide, as in MISP.
 */
export function createUserStatisticsService(deps: Pick<CoreDeps, 'store' | 'clock' | 'settings'>) {
  const { store, clock } = deps;

  async function visibleEvents(repos: Repositories, p: Principal): Promise<EventRecord[]> {
    return repos.listEvents({}, p.viewer);
  }

  return {
    /** `data`: `{stats: {event_count, …}}`, every figure a string as MISP sends them. */
    async data(p: Principal): Promise<MispJson> {
      const { correlationCap } = await deps.settings.current();
      const { month } = monthAndYearStart(clock.now());
      return store.read(async (repos) => {
        const events = await visibleEvents(repos, p);
        const eventCount = events.length;
        const attributeCount = await repos.countAttributes({}, p.viewer);
        // Correlations: distinct pairs of visible attributes that correlate (MISP counts its table's rows).
        const pairs = new Set<string>();
        for await (const batch of repos.searchAttributes({}, p.viewer, 1000)) {
          for (const c of await repos.attributeCorrelations(batch.map((a) => a.id), p.viewer, correlationCap)) {
            const [lo, hi] = c.attribute_id < c.other_attribute_id ? [c.attribute_id, c.other_attribute_id] : [c.other_attribute_id, c.attribute_id];
            pairs.add(`${lo}-${hi}`);
          }
        }
        const proposals = events.length === 0 ? [] : await repos.listShadowAttributes({ eventIds: events.map((e) => e.id) });
        const users = await repos.listUsers();
        const orgs = await repos.listOrganisations();
        const localOrgs = orgs.filter((o) => o.local).length;
        const stats: Record<string, number> = {
          event_count: eventCount,
          event_count_month: events.filter((e) => e.timestamp > month).length,
          attribute_count: attributeCount,
          attribute_count_month: await repos.countAttributes({ timestampFrom: month + 1 }, p.viewer),
          attributes_per_event: eventCount !== 0 ? phpRound(attributeCount / eventCount) : 0,
          correlation_count: pairs.size,
          proposal_count: proposals.filter((s) => !s.deleted).length,
          user_count: users.length,
          user_count_pgp: users.filter((u) => u.gpgkey !== '').length,
          org_count: orgs.length,
          local_org_count: localOrgs,
          contributing_org_count: new Set(events.map((e) => e.orgc_id)).size,
          average_user_per_org: localOrgs !== 0 ? phpRound(users.length / localOrgs, 1) : 0,
          // waggle has no discussion threads (MISP's Thread and Post models).
          thread_count: 0,
          thread_count_month: 0,
          post_count: 0,
          post_count_month: 0,
        };
        return { stats: Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, String(v)])) };
      });
    },

    /**
     * `orgs`: organisations keyed by name (case-insensitive order) with their user count and the
     * events they created and those events' attributes; `scope` = local (default), external or all.
     */
    async orgs(p: Principal, scope: string | undefined): Promise<MispJson> {
      const which = scope === undefined || scope === '' ? 'local' : scope;
      return store.read(async (repos) => {
        const orgs = (await repos.listOrganisations()).filter((o) => (which === 'local' ? o.local : which === 'external' ? !o.local : true));
        const users = await repos.listUsers();
        const events = await visibleEvents(repos, p);
        const out: Record<string, MispJson> = {};
        for (const o of [...orgs].sort((a, b) => byName(a.name, b.name))) {
          const row: MispJson = { id: String(o.id), name: o.name, description: o.description, local: o.local, contacts: o.contacts, type: o.type, sector: o.sector, nationality: o.nationality };
          const userCount = users.filter((u) => u.org_id === o.id).length;
          if (userCount > 0) row.userCount = String(userCount);
          const created = events.filter((e) => e.orgc_id === o.id);
          if (created.length > 0) {
            row.eventCount = String(created.length);
            row.attributeCount = String(created.reduce((sum, e) => sum + e.attribute_count, 0));
          }
          out[o.name] = row;
        }
        return out;
      });
    },

    /** `users`: users, local and external organisations created in total, this month and this year. */
    async users(): Promise<MispJson> {
      const { month, year } = monthAndYearStart(clock.now());
      return store.read(async (repos) => {
        const users = await repos.listUsers();
        const orgs = await repos.listOrganisations();
        const ranges = (created: readonly number[]): MispJson => ({
          data: { total: created.length, month: created.filter((t) => t >= month).length, year: created.filter((t) => t >= year).length },
        });
        const dates = (list: readonly OrganisationRecord[]): number[] => list.map((o) => o.date_created);
        return {
          user: ranges(users.map((u) => u.date_created)),
          org_local: ranges(dates(orgs.filter((o) => o.local))),
          org_external: ranges(dates(orgs.filter((o) => !o.local))),
        };
      });
    },

    /**
     * `tags`: event tags with the number of visible events carrying them, grouped by enabled
     * taxonomy (the part before the first `:`) or `custom`: `{flatData, treemap}`.
     */
    async tags(p: Principal, enabledNamespaces: readonly string[]): Promise<MispJson> {
      const counts = await store.read((repos) => repos.countEventTags(p.viewer));
      const sorted = [...counts].sort((a, b) => b.count - a.count || byName(a.name, b.name));
      const flatData: Record<string, Record<string, { name: string; size: number }>> = {};
      for (const { name, count } of sorted) {
        const parts = name.split(':');
        const taxonomy = parts.length > 1 && enabledNamespaces.includes(parts[0] as string) ? (parts[0] as string) : 'custom';
        (flatData[taxonomy] ??= {})[name] = { name, size: count };
      }
      const treemap = {
        name: 'tags',
        children: Object.entries(flatData).map(([name, tags]) => ({ name, children: Object.values(tags).map((t) => ({ name: t.name, size: t.size })) })),
      };
      return { flatData: Object.keys(flatData).length === 0 ? [] : flatData, treemap };
    },

    /**
     * `attributehistogram`: live visible attributes per type, for all organisations and for each
     * organisation that created visible events, largest total first: `[{data, org_name, total}]`.
     */
    async attributeHistogram(p: Principal): Promise<MispJson[]> {
      return store.read(async (repos) => {
        const events = await visibleEvents(repos, p);
        const orgcOf = new Map(events.map((e) => [e.id, e.orgc_id]));
        const orgNames = new Map((await repos.listOrganisations()).map((o) => [o.id, o.name]));
        const all: Record<string, number> = {};
        const perOrg = new Map<number, Record<string, number>>();
        for (const orgId of [...new Set(events.map((e) => e.orgc_id))].sort((a, b) => a - b)) perOrg.set(orgId, {});
        for await (const batch of repos.searchAttributes({}, p.viewer, 1000)) {
          for (const a of batch) {
            all[a.type] = (all[a.type] ?? 0) + 1;
            const org = perOrg.get(orgcOf.get(a.event_id) ?? -1);
            if (org !== undefined) org[a.type] = (org[a.type] ?? 0) + 1;
          }
        }
        const entry = (counts: Record<string, number>, orgName: string): MispJson => {
          const data = Object.fromEntries(Object.entries(counts).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, n]) => [k, String(n)]));
          return { data: Object.keys(data).length === 0 ? [] : data, org_name: orgName, total: Object.values(counts).reduce((s, n) => s + n, 0) };
        };
        const rows = [entry(all, 'All organisations')];
        for (const [orgId, counts] of perOrg) rows.push(entry(counts, orgNames.get(orgId) ?? ''));
        // Stable: on equal totals the order above stays (All organisations first, then by id).
        return rows.sort((a, b) => (b.total as number) - (a.total as number));
      });
    },

    /**
     * `sightings`: the sightings the principal's organisation reported (after `timestamp`, if
     * given): per source, how many (`toplist`, most first) and on which events per type (`eventids`).
     */
    async sightings(p: Principal, timestamp: string | undefined): Promise<MispJson> {
      let from: number | undefined;
      if (timestamp !== undefined && timestamp !== '') {
        if (!/^[0-9]+$/.test(timestamp)) throw new InputError('timestamp must be a Unix time in seconds.', { field: 'timestamp' });
        from = Number(timestamp) + 1;
      }
      const rows = await store.read((repos) => repos.listSightings({ orgId: p.org.id, ...(from !== undefined ? { from } : {}) }));
      const toplist: Record<string, number> = {};
      const eventids: Record<string, Record<string, string[]>> = {};
      for (const s of rows) {
        const source = s.source === '' ? 'Undefined' : s.source;
        const type = SIGHTING_TYPES[s.type] ?? String(s.type);
        toplist[source] = (toplist[source] ?? 0) + 1;
        const ids = ((eventids[source] ??= {})[type] ??= []);
        if (!ids.includes(String(s.event_id))) ids.push(String(s.event_id));
      }
      const top = Object.fromEntries(Object.entries(toplist).sort(([, a], [, b]) => b - a));
      return { toplist: Object.keys(top).length === 0 ? [] : top, eventids: Object.keys(eventids).length === 0 ? [] : eventids };
    },
  };
}

export type UserStatisticsService = ReturnType<typeof createUserStatisticsService>;
