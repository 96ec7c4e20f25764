import { InputError } from '@waggle/errors';
import type { MispClient } from '@waggle/client';
import type { Finding } from '../finding.js';
import { findingToObject } from '../object/finding-to-object.js';
import type { MispObjectJson } from '../object/misp-object-json.js';
import { upsertFindingEvent, type FindingEventPayload } from './event-upsert.js';
import { findingDay, findingDetectors, findingEventUuid, findingUuid } from './finding-key.js';
import { addSighting, existingIndicators } from './sight-indicators.js';

/** Settings of {@link createFindingReporter}. */
export interface FindingReporterOptions {
  readonly client: MispClient;
  /**
   * Name of the sensor or log the findings come from (e.g. `suricata@dmz`).
   * Findings are grouped into one event per source and UTC day, and the
   * source is part of every UUID and the sightings' `source`.
   */
  readonly source: string;
  /** Event title for a day; default `Detector findings from <source> on <day>`. */
  readonly eventInfo?: (source: string, day: string) => string;
  /** MISP distribution of created events (default 0, your organisation only). */
  readonly distribution?: 0 | 1 | 2 | 3;
  /** MISP threat level 1 (high) … 4 (undefined); default 3 (low). */
  readonly threatLevel?: 1 | 2 | 3 | 4;
  /** Tags put on created events. */
  readonly tags?: readonly string[];
  /** Skip sightings of indicators already on the server (default false). */
  readonly noSightings?: boolean;
}

/** What one {@link FindingReporter.report} did. */
export interface ReportCounts {
  /** Events created. */
  events: number;
  /** Existing events that received new objects. */
  eventsUpdated: number;
  /** `security-event` objects created. */
  objects: number;
  /** Findings whose object was already on the server (a re-sent batch). */
  unchanged: number;
  /** Sightings added to indicators that were already on the server. */
  sightings: number;
}

interface DayGroup {
  readonly objects: (MispObjectJson & { uuid: string })[];
  readonly finding: Map<string, Finding>;
}

/** Writes findings to a waggle (or MISP) server. */
export interface FindingReporter {
  report(findings: readonly Finding[]): Promise<ReportCounts>;
}

/**
 * Creates a reporter. For each UTC day of the findings it creates (or
 * completes) one event holding a `security-event` object per finding, with
 * UUIDs derived from the findings so that reporting the same findings again
 * adds nothing. For each newly created object, every ip-src/ip-dst attribute
 * elsewhere on the server with the finding's source address gets a sighting:
 * the attacker shared by others is confirmed rather than duplicated. Invalid
 * findings are rejected with an `InputError` before anything is sent.
 */
export function createFindingReporter(options: FindingReporterOptions): FindingReporter {
  if (options.source.trim() === '') throw new InputError('the findings source must not be empty', { field: 'source' });
  const info = options.eventInfo ?? ((source: string, day: string) => `Detector findings from ${source} on ${day}`);
  return {
    async report(findings) {
      const counts: ReportCounts = { events: 0, eventsUpdated: 0, objects: 0, unchanged: 0, sightings: 0 };
      const byDay = new Map<string, DayGroup>();
      // Build every object first: one bad finding fails the batch before any request.
      for (const f of findings) {
        const uuid = findingUuid(options.source, f);
        const detector = findingDetectors(f)[0];
        const object = findingToObject(f, { uuid, ...(detector === undefined ? {} : { detector }) }) as MispObjectJson & { uuid: string };
        const day = findingDay(f);
        const group: DayGroup = byDay.get(day) ?? { objects: [], finding: new Map() };
        byDay.set(day, group);
        if (group.finding.has(uuid)) continue;
        group.objects.push(object);
        group.finding.set(uuid, f);
      }
      const ownEvents = new Set<string>();
      const fresh: Finding[] = [];
      for (const [day, group] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
        const event: FindingEventPayload = {
          uuid: findingEventUuid(options.source, day),
          info: info(options.source, day),
          date: day,
          distribution: String(options.distribution ?? 0),
          threat_level_id: String(options.threatLevel ?? 3),
          analysis: '0',
          Tag: (options.tags ?? []).map((name) => ({ name })),
        };
        const r = await upsertFindingEvent(options.client, event, group.objects);
        ownEvents.add(r.eventId);
        if (r.created) counts.events += 1;
        else if (r.added.length > 0) counts.eventsUpdated += 1;
        counts.objects += r.added.length;
        counts.unchanged += group.objects.length - r.added.length;
        for (const uuid of r.added) fresh.push(group.finding.get(uuid) as Finding);
      }
      if (options.noSightings === true) return counts;
      const known = new Map<string, string[]>();
      for (const f of fresh) {
        let targets = known.get(f.srcIp);
        if (targets === undefined) {
          targets = await existingIndicators(options.client, f.srcIp, ownEvents);
          known.set(f.srcIp, targets);
        }
        for (const uuid of targets) {
          await addSighting(options.client, uuid, options.source, f.lastSeen);
          counts.sightings += 1;
        }
      }
      return counts;
    },
  };
}
