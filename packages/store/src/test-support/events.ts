import { randomUUID } from 'node:crypto';
import type { EventRecord, Repositories } from '@waggle/core';

/** Inserts a plain event (organisation 1, distribution 0) for repository tests and returns it. */
export async function insertTestEvent(repos: Repositories, info = 'test event'): Promise<EventRecord> {
  return repos.insertEvent({
    uuid: randomUUID(), org_id: 1, orgc_id: 1, user_id: 1, info, date: '2026-12-04', threat_level_id: 4, analysis: 0,
    distribution: 0, sharing_group_id: 0, published: false, publish_timestamp: 0, timestamp: 1, attribute_count: 0, locked: false,
    proposal_email_lock: false, disable_correlation: false, extends_uuid: '', event_creator_email: 'a@example.org', sighting_timestamp: 0, protected: false,
  });
}
