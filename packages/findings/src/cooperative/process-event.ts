import { InputError, isWaggleError } from '@waggle/errors';
import type { MispClient } from '@waggle/client';
import type { DetectorEntry } from '../finding.js';
import { findFindings } from '../object/find-findings.js';
import type { FindingObject } from '../object/object-to-finding.js';
import { mergeDetectorEntry, parseAttackTypeRecord, serializeAttackTypeRecord } from '../record/attack-type-record.js';
import { combinedConfidence } from '../record/combined-confidence.js';
import { evaluateRules } from './evaluate-rules.js';
import type { RuleSet } from './rule-set.js';

/** What the cooperative detector needs to judge and edit findings on a server. */
export interface CooperativeDeps {
  readonly client: MispClient;
  readonly rules: RuleSet;
  /** The detector's key in the attack_type record (e.g. `waggle-rules`). */
  readonly name: string;
  readonly version: string;
}

/** What happened to one finding. */
export interface CooperativeOutcome {
  readonly eventId: string;
  readonly objectUuid?: string;
  /** merged: entry added and confidence updated; present: our entry was already there; abstained: no rule fired; failed: see `error`. */
  readonly action: 'merged' | 'present' | 'abstained' | 'failed';
  readonly entry?: DetectorEntry;
  readonly confidenceBefore?: number;
  readonly confidenceAfter?: number;
  readonly error?: string;
}

function attributeId(found: FindingObject, relation: string): string | undefined {
  return found.attributes.get(relation)?.[0]?.id;
}

async function judge(deps: CooperativeDeps, eventId: string, found: FindingObject): Promise<CooperativeOutcome> {
  const base = { eventId, ...(found.objectUuid === undefined ? {} : { objectUuid: found.objectUuid }) };
  if (Object.hasOwn(found.finding.attackType, deps.name)) return { ...base, action: 'present' };
  const entry = evaluateRules(deps.rules, found.finding, deps.name, deps.version);
  if (entry === undefined) return { ...base, action: 'abstained' };
  const recordId = attributeId(found, 'attack-type');
  if (recordId === undefined) throw new InputError('the attack-type attribute has no id (not read from a server?)', { field: 'attack-type' });
  // Re-read just before writing: another detector may have added its entry since the event was fetched.
  const current = (await deps.client.request('GET', `/attributes/view/${recordId}`)) as { Attribute?: { value?: unknown } };
  const latest = parseAttackTypeRecord(String(current.Attribute?.value ?? ''));
  if (Object.hasOwn(latest, deps.name)) return { ...base, action: 'present' };
  const before = combinedConfidence(latest);
  const merged = mergeDetectorEntry(latest, deps.name, entry);
  const after = combinedConfidence(merged);
  await deps.client.request('POST', `/attributes/edit/${recordId}`, { value: serializeAttackTypeRecord(merged) });
  const confidenceId = attributeId(found, 'confidence');
  if (confidenceId !== undefined && found.attributes.get('confidence')?.[0]?.value !== String(after)) {
    await deps.client.request('POST', `/attributes/edit/${confidenceId}`, { value: String(after) });
  }
  return { ...base, action: 'merged', entry, confidenceBefore: before, confidenceAfter: after };
}

/**
 * Judges every finding of a MISP event JSON (as `/events/view` returns it):
 * findings that already carry `deps.name`'s entry are skipped (so the
 * detector never reacts to its own edits), others get the rule engine's entry
 * merged into `attack-type` and `confidence` set to the new combined
 * confidence. A failure on one finding is reported in its outcome and does
 * not stop the others; transport failures (server down) are rethrown.
 */
export async function processEvent(deps: CooperativeDeps, eventJson: unknown): Promise<CooperativeOutcome[]> {
  const event = (eventJson as { Event?: { id?: unknown } } | undefined)?.Event;
  const eventId = String(event?.id ?? '');
  const outcomes: CooperativeOutcome[] = [];
  const problems: CooperativeOutcome[] = [];
  const found = findFindings(eventJson, { onProblem: (p) => problems.push({ eventId, ...(p.objectUuid === undefined ? {} : { objectUuid: p.objectUuid }), action: 'failed', error: p.message }) });
  for (const f of found) {
    try {
      outcomes.push(await judge(deps, f.eventId ?? eventId, f));
    } catch (error) {
      if (isWaggleError(error) && error.retryable) throw error;
      outcomes.push({ eventId, ...(f.objectUuid === undefined ? {} : { objectUuid: f.objectUuid }), action: 'failed', error: (error as Error).message });
    }
  }
  return [...outcomes, ...problems];
}

/** Fetches one event by id or UUID and judges its findings; see {@link processEvent}. */
export async function runCooperativeOnEvent(deps: CooperativeDeps, eventId: string): Promise<CooperativeOutcome[]> {
  if (!/^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.test(eventId)) {
    throw new InputError(`event must be a numeric id or a UUID (got ${JSON.stringify(eventId)})`, { field: 'event' });
  }
  return processEvent(deps, await deps.client.request('GET', `/events/view/${eventId}`));
}
