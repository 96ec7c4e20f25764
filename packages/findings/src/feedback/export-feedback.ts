import { InputError, NotFoundError } from '@waggle/errors';
import type { MispClient } from '@waggle/client';
import type { FlowProtocol, FlowRecord } from '@waggle/flows';
import type { Finding } from '../finding.js';
import { destinationPorts } from '../object/finding-to-object.js';
import { BENIGN } from '../record/attack-type-record.js';
import { topAttackType } from '../record/combined-confidence.js';
import { fetchFindingObject, VERDICT_TAGS } from './set-verdict.js';

/** Options of {@link exportFeedback}. */
export interface ExportFeedbackOptions {
  /** Only verdicts set since: epoch seconds, a date, or a duration such as `7d` (as restSearch takes it). */
  readonly since?: number | string;
  /** Page size of the attribute searches (default 500). */
  readonly pageSize?: number;
}

const SINCE = /^(\d{9,}|\d+[smhdw]|\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d\d:?\d\d)?)?)$/;

const FLOW_PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp', 'icmp', 'icmpv6']);

/**
 * A verified finding as a labelled flow record: 5-tuple, start time and
 * duration from the finding; packet and byte counts 0 (a finding does not
 * carry them); `extra.flow_count` and `extra.dst_port_count` from the
 * aggregation; label 1 with the top attack type for a true positive, label 0
 * with `benign` for a false positive; `flowId` is the object UUID.
 */
export function feedbackRecord(finding: Finding, objectUuid: string, verified: boolean): FlowRecord {
  const first = Date.parse(finding.firstSeen);
  return {
    ts: first,
    srcIp: finding.srcIp,
    srcPort: finding.srcPort ?? 0,
    dstIp: finding.dstIp,
    dstPort: destinationPorts(finding)[0] ?? 0,
    protocol: (FLOW_PROTOCOLS.has(finding.protocol) ? finding.protocol : 'other') as FlowProtocol,
    durationMs: Math.max(0, Date.parse(finding.lastSeen) - first),
    fwdPackets: 0,
    bwdPackets: 0,
    fwdBytes: 0,
    bwdBytes: 0,
    extra: { flow_count: finding.count, dst_port_count: destinationPorts(finding).length },
    label: verified ? 1 : 0,
    attackType: verified ? (topAttackType(finding.attackType)?.attack_type ?? 'unknown') : BENIGN,
    flowId: objectUuid,
  };
}

interface TaggedAttribute {
  readonly object_id?: unknown;
  readonly object_relation?: unknown;
  readonly value?: unknown;
}

/**
 * Analyst feedback as training data: one JSON line (a `FlowRecord` with
 * `label` and `attackType`) per finding whose `verified` attribute carries a
 * verdict tag, optionally only verdicts set since `since`. Findings that were
 * deleted meanwhile are skipped; each finding appears once.
 */
export async function* exportFeedback(client: MispClient, options: ExportFeedbackOptions = {}): AsyncIterable<string> {
  const since = options.since === undefined ? undefined : String(options.since);
  if (since !== undefined && !SINCE.test(since)) throw new InputError(`since must be epoch seconds, a date (YYYY-MM-DD) or a duration such as 7d (got ${JSON.stringify(options.since)})`, { field: 'since' });
  const pageSize = options.pageSize ?? 500;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new InputError('pageSize must be a positive integer', { field: 'pageSize' });
  const done = new Set<string>();
  for (const [tag, verified] of [[VERDICT_TAGS.truePositive, true], [VERDICT_TAGS.falsePositive, false]] as const) {
    for (let page = 1; ; page += 1) {
      const body = { returnFormat: 'json', tags: [tag], type: 'boolean', limit: pageSize, page, ...(since === undefined ? {} : { timestamp: since }) };
      const answer = (await client.request('POST', '/attributes/restSearch', body)) as { response?: { Attribute?: TaggedAttribute[] } };
      const attributes = answer.response?.Attribute ?? [];
      for (const a of attributes) {
        const objectId = a.object_id === undefined || a.object_id === null ? '' : String(a.object_id as string | number);
        if (a.object_relation !== 'verified' || !/^\d+$/.test(objectId) || objectId === '0' || done.has(objectId)) continue;
        if (String(a.value) !== (verified ? '1' : '0')) continue;
        done.add(objectId);
        let found;
        try {
          found = await fetchFindingObject(client, objectId);
        } catch (error) {
          if (error instanceof NotFoundError || error instanceof InputError) continue;
          throw error;
        }
        yield JSON.stringify(feedbackRecord(found.finding, found.objectUuid ?? objectId, verified));
      }
      if (attributes.length < pageSize) break;
    }
  }
}
