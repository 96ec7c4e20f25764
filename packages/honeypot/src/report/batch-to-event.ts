import { createHash } from 'node:crypto';
import { attackPatternTag } from './attack-techniques.js';
import { cowrieObject } from './cowrie-object.js';
import type { MispAttributePayload, MispEventPayload, MispObjectPayload } from './misp-payload.js';
import type { SessionBatch } from './session-aggregator.js';
import type { CapturedFile } from './session-summary.js';
import { stableUuid } from './stable-uuid.js';

/** A value worth a sighting when someone already has it as an indicator. */
export interface Indicator {
  type: string;
  value: string;
}

/** The tag naming the sensor that reported an event; a deployer skips its own sensors' reports. */
export function sensorTag(sensor: string): string {
  return `waggle:honeypot-sensor="${sensor.replace(/"/g, '')}"`;
}

/** Options of {@link batchToEvent}. */
export interface BatchToEventOptions {
  /** MISP distribution of the events (0 = your organisation only … 3 = all communities). */
  distribution: number;
  /** Reads a quarantined payload by SHA-256, for its MD5 and size; undefined when not kept. */
  readPayload?: (sha256: string) => Buffer | undefined;
}

const FILE_TEMPLATE = { uuid: '688c46fb-5edb-40a3-8273-1af7923e2215', version: '25' };

function fileObject(eventUuid: string, f: CapturedFile, read: BatchToEventOptions['readPayload']): MispObjectPayload {
  const uuid = stableUuid(eventUuid, 'file', f.sha256);
  const attrs: MispAttributePayload[] = [];
  const add = (relation: string, type: string, value: string, toIds: boolean, category?: string): void => {
    attrs.push({ uuid: stableUuid(uuid, relation, value), object_relation: relation, type, value, to_ids: toIds, ...(category === undefined ? {} : { category }) });
  };
  add('filename', 'filename', f.filename, false, 'Payload delivery');
  add('sha256', 'sha256', f.sha256, true);
  const data = read?.(f.sha256);
  if (data !== undefined) {
    add('md5', 'md5', createHash('md5').update(data).digest('hex'), true);
    add('size-in-bytes', 'size-in-bytes', String(data.length), false);
  }
  return { uuid, name: 'file', 'meta-category': 'file', template_uuid: FILE_TEMPLATE.uuid, template_version: FILE_TEMPLATE.version, description: 'File object describing a file with meta-information', comment: f.url === undefined ? 'uploaded to the honeypot' : `downloaded from ${f.url}`, Attribute: attrs };
}

/**
 * Maps the sessions of one attacker and window to a MISP event: the attacker
 * IP, the URLs fetched and the CVEs tried as attributes, one `cowrie` object
 * per session, one `file` object per captured payload, and tags for the CVEs
 * (`cve:CVE-…`) and ATT&CK techniques observed. Every UUID is derived from the
 * batch, so sending it again changes nothing.
 */
export function batchToEvent(batch: SessionBatch, options: BatchToEventOptions): { event: MispEventPayload; indicators: Indicator[] } {
  const u = batch.uuid;
  const attrs: MispAttributePayload[] = [];
  const indicators: Indicator[] = [];
  const attr = (type: string, category: string, value: string, toIds: boolean, comment: string, tags: string[] = []): void => {
    if (attrs.some((a) => a.type === type && a.value === value)) return;
    attrs.push({ uuid: stableUuid(u, type, value), type, category, value, to_ids: toIds, comment, ...(tags.length > 0 ? { Tag: tags.map((name) => ({ name })) } : {}) });
  };
  const protocols = [...new Set(batch.sessions.map((s) => s.protocol))].join(', ');
  attr('ip-src', 'Network activity', batch.src_ip, true, `attacker seen by honeypot ${batch.sensor} (${protocols})`);
  indicators.push({ type: 'ip-src', value: batch.src_ip });
  const cves = [...new Set(batch.sessions.flatMap((s) => s.cves))].filter((c) => c !== '').sort();
  const techniques = [...new Set(batch.sessions.flatMap((s) => s.techniques))].filter((t) => t !== '').sort();
  for (const c of cves) attr('vulnerability', 'External analysis', c, false, 'exploit attempt recognised by the honeypot', [`cve:${c}`]);
  for (const url of new Set(batch.sessions.flatMap((s) => s.urls))) {
    if (url === '') continue;
    attr('url', 'Network activity', url, true, 'fetched by the attacker');
    indicators.push({ type: 'url', value: url });
  }
  const objects: MispObjectPayload[] = batch.sessions.map(cowrieObject);
  const files = new Map(batch.sessions.flatMap((s) => s.files).map((f) => [f.sha256, f]));
  for (const f of files.values()) {
    objects.push(fileObject(u, f, options.readPayload));
    indicators.push({ type: 'sha256', value: f.sha256 });
  }
  const tags = [...cves.map((c) => `cve:${c}`), ...techniques.map(attackPatternTag), sensorTag(batch.sensor)];
  const start = batch.window_start;
  return {
    event: {
      uuid: u,
      info: `Honeypot ${batch.sensor}: activity from ${batch.src_ip} (${start.slice(0, 16).replace('T', ' ')} UTC)`,
      date: start.slice(0, 10),
      distribution: String(options.distribution),
      threat_level_id: cves.length > 0 ? '2' : '3',
      analysis: '2',
      Tag: tags.map((name) => ({ name })),
      Attribute: attrs,
      Object: objects,
    },
    indicators,
  };
}
