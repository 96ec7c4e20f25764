import { InputError } from '@waggle/errors';
import { defaultCategory, findTemplateAttribute, type ObjectTemplate } from '@waggle/misp';
import type { Finding } from '../finding.js';
import { serializeAttackTypeRecord, validateDetectorName } from '../record/attack-type-record.js';
import { combinedConfidence } from '../record/combined-confidence.js';
import type { MispObjectAttributeJson, MispObjectJson } from './misp-object-json.js';
import { securityEventTemplate } from './security-event-template.js';
import { validateFinding } from './validate-finding.js';

/** Options of {@link findingToObject}. */
export interface FindingToObjectOptions {
  /** The object's UUID (stable UUIDs make re-sending idempotent); absent lets the server pick. */
  readonly uuid?: string;
  /** Name of the detector that raised the finding, kept in the `detector` attribute. */
  readonly detector?: string;
  readonly comment?: string;
  /** Template to follow; defaults to the `security-event` template shipped with `@waggle/misp`. */
  readonly template?: ObjectTemplate;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (t: string): string => new Date(Date.parse(t)).toISOString();

/** Destination ports, the single `dstPort` first, without duplicates. */
export function destinationPorts(f: Finding): number[] {
  return [...new Set([...(f.dstPort === undefined ? [] : [f.dstPort]), ...(f.dstPorts ?? [])])];
}

/**
 * Builds the MISP `security-event` object for a finding, in the shape
 * `/objects/add/{event}` accepts and `Event.Object` holds. `attack-type` holds
 * the serialized record, `confidence` the combined confidence (see
 * `combinedConfidence`), `flow-count` the count, `verified` "1"/"0" when an
 * analyst decided, and the pcap an `attachment` with base64 `data`. Only
 * `src-ip` is an IDS indicator (`to_ids` true): the destination is usually our
 * own network. Several destination ports are all kept when the template marks
 * `dst-port` multiple, otherwise only the first. Throws `InputError` when the
 * finding is invalid.
 */
export function findingToObject(finding: Finding, options: FindingToObjectOptions = {}): MispObjectJson {
  validateFinding(finding);
  if (options.detector !== undefined) validateDetectorName(options.detector);
  if (options.uuid !== undefined && !UUID.test(options.uuid)) throw new InputError(`object uuid must be a UUID (got ${JSON.stringify(options.uuid)})`, { field: 'uuid' });
  const template = options.template ?? securityEventTemplate();
  const attributes: MispObjectAttributeJson[] = [];
  const add = (relation: string, value: string, extra: { to_ids?: boolean; data?: string } = {}): void => {
    const element = findTemplateAttribute(template, relation);
    if (element === undefined) throw new InputError(`template ${template.name} v${String(template.version)} has no relation "${relation}"`, { field: relation });
    const type = element['misp-attribute'];
    const category = element.categories?.[0] ?? defaultCategory(type);
    attributes.push({
      object_relation: relation,
      type,
      ...(category === undefined ? {} : { category }),
      value,
      // Only src-ip is an indicator; ports, times and scores would only add noise to IDS exports.
      to_ids: extra.to_ids ?? element.to_ids ?? false,
      disable_correlation: element.disable_correlation ?? false,
      ...(extra.data === undefined ? {} : { data: extra.data }),
    });
  };
  add('src-ip', finding.srcIp, { to_ids: true });
  if (finding.srcPort !== undefined) add('src-port', String(finding.srcPort));
  add('dst-ip', finding.dstIp, { to_ids: false });
  const ports = destinationPorts(finding);
  const multiple = findTemplateAttribute(template, 'dst-port')?.multiple === true;
  for (const p of multiple ? ports : ports.slice(0, 1)) add('dst-port', String(p));
  add('protocol', finding.protocol);
  add('first-seen', iso(finding.firstSeen));
  add('last-seen', iso(finding.lastSeen));
  if (finding.signature !== undefined) add('signature', finding.signature);
  if (finding.signatureId !== undefined) add('signature-id', finding.signatureId);
  if (options.detector !== undefined) add('detector', options.detector);
  add('flow-count', String(finding.count));
  add('attack-type', serializeAttackTypeRecord(finding.attackType));
  add('confidence', String(combinedConfidence(finding.attackType)));
  if (finding.verified !== undefined) add('verified', finding.verified ? '1' : '0');
  if (finding.pcap !== undefined) add('pcap', finding.pcap.filename, { data: finding.pcap.base64 });
  return {
    ...(options.uuid === undefined ? {} : { uuid: options.uuid }),
    name: template.name,
    'meta-category': template['meta-category'],
    description: template.description,
    template_uuid: template.uuid,
    template_version: String(template.version),
    ...(options.comment === undefined ? {} : { comment: options.comment }),
    first_seen: iso(finding.firstSeen),
    last_seen: iso(finding.lastSeen),
    Attribute: attributes,
  };
}
