import { stableUuid, type Indicator, type MispAttributePayload, type MispEventPayload } from '@waggle/honeypot';
import { RULE_TECHNIQUE, type Alert, type Severity } from '../rules/alert.js';

/** Options of {@link alertsToEvent}. */
export interface AlertEventOptions {
  /** The host's name as reported (also part of the event UUID). */
  readonly host: string;
  /** MISP distribution of the event (default 0: this organisation; the anonymiser decides what leaves). */
  readonly distribution?: number;
}

const LEVEL: Readonly<Record<Severity, number>> = { low: 3, medium: 2, high: 1, critical: 1 };
const RANK: Readonly<Record<Severity, number>> = { low: 0, medium: 1, high: 2, critical: 3 };
// Rules whose source address is an attacker's, worth an IDS flag and a sighting.
const HOSTILE_SOURCE = new Set(['ssh-brute-force', 'login-after-failures', 'port-probe']);

function attribute(eventUuid: string, alert: Alert, part: string, type: string, category: string, value: string, toIds: boolean): MispAttributePayload {
  return {
    // Stable per (event, alert, part): a batch resent after an outage adds nothing twice.
    uuid: stableUuid(eventUuid, alert.rule, alert.time.toISOString(), part, value),
    type,
    category,
    value,
    to_ids: toIds,
    comment: `${alert.rule} (${alert.severity}): ${alert.message}`.slice(0, 1000),
    Tag: [{ name: `waggle:agent-rule="${alert.rule}"` }],
  };
}

/**
 * One MISP event per host and UTC day holding that day's alerts: the
 * attacker's address (`ip-src`, flagged for IDS where the rule says it is
 * hostile), the account (`target-user`), the file (`filename`) or port
 * (`port`), and the alert text (`text`); tags for the rules' ATT&CK
 * techniques. The event UUID is derived from (host, day), so successive
 * batches of a day extend the same event.
 */
export function alertsToEvent(alerts: readonly Alert[], day: string, options: AlertEventOptions): { event: MispEventPayload; indicators: Indicator[] } {
  const uuid = stableUuid('waggle-agent', options.host, day);
  const attributes: MispAttributePayload[] = [];
  const indicators = new Map<string, Indicator>();
  const techniques = new Set<string>();
  let worst: Severity = 'low';
  for (const a of alerts) {
    if (RANK[a.severity] > RANK[worst]) worst = a.severity;
    const technique = RULE_TECHNIQUE[a.rule];
    if (technique !== undefined) techniques.add(technique);
    attributes.push(attribute(uuid, a, 'text', 'text', 'Other', a.message, false));
    if (a.ip !== undefined) {
      const hostile = HOSTILE_SOURCE.has(a.rule);
      attributes.push(attribute(uuid, a, 'ip', 'ip-src', 'Network activity', a.ip, hostile));
      if (hostile) indicators.set(a.ip, { type: 'ip-src', value: a.ip });
    }
    if (a.user !== undefined) attributes.push(attribute(uuid, a, 'user', 'target-user', 'Targeting data', a.user, false));
    if (a.path !== undefined) attributes.push(attribute(uuid, a, 'path', 'filename', 'Artifacts dropped', a.path, false));
    if (a.port !== undefined) attributes.push(attribute(uuid, a, 'port', 'port', 'Network activity', String(a.port), false));
  }
  // One attribute per (uuid): the same alert part twice in a batch is one attribute.
  const unique = [...new Map(attributes.map((x) => [x.uuid, x])).values()];
  const tags = [{ name: 'waggle:source="host-agent"' }, { name: `waggle:host="${options.host}"` }, ...[...techniques].sort().map((t) => ({ name: `misp-galaxy:mitre-attack-pattern="${t}"` }))];
  return {
    event: {
      uuid,
      info: `Host agent alerts on ${options.host} (${day})`,
      date: day,
      distribution: String(options.distribution ?? 0),
      threat_level_id: String(LEVEL[worst]),
      analysis: '0',
      Tag: tags,
      Attribute: unique,
      Object: [],
    },
    indicators: [...indicators.values()],
  };
}
