import { findTemplateAttribute, type ObjectTemplate, type TemplateRegistry } from '@waggle/misp';
import { createHash } from 'node:crypto';
import { derivedUuid } from './event-fields.js';
import { objectsOf, tagNames, text, type JsonObject } from './misp-event-json.js';
import type { TechniqueName } from './policy-schema.js';
import type { AnonymisationReport } from './report.js';

/** The UUID of misp-objects' `anonymisation` template. */
export const ANONYMISATION_TEMPLATE_UUID = '5867cffe-60ff-44f6-b097-e5f36b5de0ac';

/** The tag waggle puts on every event it anonymised: `waggle:anonymised="<policy>/<recipient>"`. */
export function anonymisedTag(policy: string, recipient: string): string {
  return `waggle:anonymised="${policy}/${recipient}"`;
}

// The CAIDA anonymisation taxonomy's method each technique belongs to (the
// template's `method` values start with these words).
const METHOD: Readonly<Record<Exclude<TechniqueName, 'keep'>, string>> = {
  suppress: 'hiding',
  replace: 'hiding',
  cryptopan: 'prefix-preserving',
  truncate: 'truncation',
  hmac: 'hash',
  ff1: 'encryption',
  'generalise-time': 'truncation',
  'shift-time': 'shift',
  'url-to-domain': 'truncation',
  'email-to-domain': 'truncation',
  'port-range': 'partitioning',
  'port-class': 'partitioning',
  enumerate: 'enumeration',
};

const ABOUT: Readonly<Record<TechniqueName, string>> = {
  keep: 'kept unchanged',
  suppress: 'removed',
  replace: 'replaced by a fixed text',
  cryptopan: 'Crypto-PAn prefix-preserving IP pseudonymisation (AES-128)',
  truncate: 'IP addresses truncated to a network prefix',
  hmac: 'keyed pseudonyms (HMAC-SHA-256)',
  ff1: 'format-preserving encryption (NIST SP 800-38G FF1, AES-256)',
  'generalise-time': 'timestamps rounded down',
  'shift-time': 'timestamps shifted by a keyed offset',
  'url-to-domain': 'URLs reduced to their domain',
  'email-to-domain': 'e-mail addresses reduced to their domain',
  'port-range': 'ports replaced by a range',
  'port-class': 'ports replaced by their class',
  enumerate: 'values replaced by sequence labels',
};

function methodText(template: ObjectTemplate | undefined, method: string): string {
  const element = template === undefined ? undefined : findTemplateAttribute(template, 'method');
  return element?.sane_default?.find((m) => m.startsWith(`${method} -`)) ?? method;
}

/** The start of the marker comment of waggle's anonymisation object for this policy and recipient. */
export function anonymisationMarker(policy: string, recipient: string): string {
  return `waggle:anonymisation policy=${policy} recipient=${recipient}`;
}

/**
 * SHA-256 over what the recipient would see of the event, waggle's own tag
 * and object left out: title, organisations, tags, and every attribute's
 * UUID, type, value, comment and tags. Stored in the anonymisation object,
 * it tells an event waggle produced from one edited since.
 */
export function contentDigest(event: JsonObject): string {
  const org = (o: unknown): string => (typeof o === 'object' && o !== null ? text((o as JsonObject).name) : '');
  const tags = (t: unknown): string => tagNames(t).filter((n) => !n.startsWith('waggle:anonymised=')).sort().join('\u0001');
  const lines = [...objectsOf(event.Attribute), ...objectsOf(event.Object).flatMap((o) => (isWaggleAnonymisationObject(o) ? [] : [{ object: text(o.comment) }, ...objectsOf(o.Attribute)]))].map((a) =>
    JSON.stringify([text(a.uuid), text(a.type), text(a.value), text(a.comment), text(a.first_seen), text(a.last_seen), tags(a.Tag), text(a.object)]),
  );
  // Org (the local owner) and the creator's e-mail change or vanish in transit (sync, feeds):
  // they are not content, and leaving them out keeps an event recognisable after it travelled.
  const head = JSON.stringify([text(event.info), text(event.date), org(event.Orgc), tags(event.Tag)]);
  return createHash('sha256').update([head, ...lines.sort()].join('\n')).digest('hex');
}

/**
 * Whether the event is exactly what waggle produced for this policy and
 * recipient: it carries the anonymisation object, and its content still has
 * the digest recorded there. The tag alone is not enough, and an event
 * edited after anonymisation (say, a local analyst added a victim's address
 * to a received event) goes through the policy again: trusting the marker
 * would send the additions in clear.
 */
export function alreadyAnonymised(event: JsonObject, policy: string, recipient: string): boolean {
  const prefix = `${anonymisationMarker(policy, recipient)} digest=`;
  const own = objectsOf(event.Object).find((o) => text(o.name) === 'anonymisation' && text(o.comment).startsWith(prefix));
  return own !== undefined && text(own.comment).slice(prefix.length) === contentDigest(event);
}

/** The event without waggle's earlier tag and object for this policy and recipient (before they are made anew). */
export function withoutOwnMarks(event: JsonObject, policy: string, recipient: string): void {
  const prefix = `${anonymisationMarker(policy, recipient)} `;
  if (Array.isArray(event.Object)) event.Object = objectsOf(event.Object).filter((o) => !(isWaggleAnonymisationObject(o) && text(o.comment).startsWith(prefix)));
  const tag = anonymisedTag(policy, recipient);
  if (Array.isArray(event.Tag)) event.Tag = objectsOf(event.Tag).filter((t) => text(t.name) !== tag);
}

/** Whether `object` is an anonymisation object waggle made (for any policy). */
export function isWaggleAnonymisationObject(object: JsonObject): boolean {
  return text(object.name) === 'anonymisation' && text(object.comment).startsWith('waggle:anonymisation ');
}

/**
 * MISP `anonymisation` object describing what was done: a description with
 * counts per technique, one `method` per CAIDA method used, the keyed-hash
 * and encryption functions, the keys by name and version only (never
 * material), and the level of knowledge. UUIDs derive from the event UUID,
 * policy and recipient, so anonymising the same event again gives the same
 * object (a receiver updates it instead of collecting copies).
 */
export function buildAnonymisationObject(event: JsonObject, report: AnonymisationReport, templates: TemplateRegistry, timestamp: string, digest: string): JsonObject {
  const template = templates.get(ANONYMISATION_TEMPLATE_UUID);
  const seed = [text(event.uuid), report.policy, report.recipient];
  const used = (Object.entries(report.techniques) as [TechniqueName, number][]).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
  const a = report.attributes;
  const description =
    `Anonymised by waggle under policy '${report.policy}' for recipient '${report.recipient}': ` +
    `${a.total} attributes, ${a.kept} kept, ${a.transformed} transformed, ${a.suppressed} suppressed` +
    `${report.objectsRemoved.length > 0 ? `, ${report.objectsRemoved.length} objects removed` : ''}. ` +
    `Techniques: ${used.map(([t, n]) => `${t} ×${n} (${ABOUT[t]})`).join('; ')}.`;
  const relations: [string, string][] = [['description', description]];
  const methods = [...new Set(used.flatMap(([t]) => (t === 'keep' ? [] : [METHOD[t]])))].sort();
  for (const m of methods) relations.push(['method', methodText(template, m)]);
  if (report.techniques.hmac !== undefined) relations.push(['keyed-hash-function', 'hmac-sha256']);
  const encryption = [report.techniques.cryptopan !== undefined ? 'aes-128-ecb (Crypto-PAn)' : '', report.techniques.ff1 !== undefined ? 'aes-256 (FF1)' : ''].filter((x) => x !== '');
  if (encryption.length > 0) relations.push(['encryption-function', encryption.join(', ')]);
  if (report.keys.length > 0) relations.push(['key', report.keys.map((k) => `${k.name} version ${k.version} (HKDF-SHA-256 sub-key per technique)`).join(', ')]);
  relations.push(['level-of-knowledge', 'Deanonymised data is known']);
  return {
    name: 'anonymisation',
    'meta-category': template?.['meta-category'] ?? 'misc',
    description: template?.description ?? 'Anonymisation object describing an anonymisation technique used to encode MISP attribute values.',
    template_uuid: ANONYMISATION_TEMPLATE_UUID,
    template_version: String(template?.version ?? 2),
    uuid: derivedUuid('waggle-anonymisation-object', ...seed),
    timestamp,
    // Inherit the event's distribution, as MISP's own objects do by default.
    distribution: '5',
    sharing_group_id: '0',
    comment: `${anonymisationMarker(report.policy, report.recipient)} digest=${digest}`,
    deleted: false,
    ObjectReference: [],
    Attribute: relations.map(([relation, value], i) => ({
      type: 'text',
      category: 'Other',
      object_relation: relation,
      value,
      to_ids: false,
      disable_correlation: true,
      distribution: '5',
      sharing_group_id: '0',
      comment: '',
      deleted: false,
      timestamp,
      uuid: derivedUuid('waggle-anonymisation-attribute', ...seed, String(i), relation),
    })),
  };
}
