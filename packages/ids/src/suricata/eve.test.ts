import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestStream } from '../ingest/ingestor.js';
import { suricataHandler } from '../ingest/line-handlers.js';
import { alertToObservation, attackTypeOfAlert } from './eve-alert.js';
import { parseEveLine, type EveCommon } from './eve-event.js';
import { eveToFlow } from './eve-flow.js';

const FIXTURE = new URL('../../fixtures/eve.json', import.meta.url);

function eventOf(line: string): EveCommon {
  const p = parseEveLine(line);
  if (p.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(p)}`);
  return p.event;
}

describe('Suricata EVE parsing', () => {
  it('keeps flow_id exact beyond 2^53', () => {
    const e = eventOf('{"timestamp":"2026-12-02T10:00:01.123456+0000","flow_id":1234567890123456789,"event_type":"dns","src_ip":"192.0.2.1","dest_ip":"192.0.2.2","proto":"UDP"}');
    expect(e.flowId).toBe('1234567890123456789');
    // What the textual extraction avoids: JSON.parse rounds the number.
    expect(String(JSON.parse('1234567890123456789'))).not.toBe('1234567890123456789');
    expect(e.ts).toBe(Date.parse('2026-12-02T10:00:01.123Z'));
    expect(e.proto).toBe('udp');
  });

  it('does not take a flow_id quoted inside a string value', () => {
    const e = eventOf('{"timestamp":"2026-12-02T10:00:00.000000+0000","http":{"url":"/x?\\"flow_id\\":1"},"flow_id":9007199254740993,"event_type":"http"}');
    expect(e.flowId).toBe('9007199254740993');
  });

  it.each([
    ['{"timestamp":"2026-12-02T10:00:00+0000","event_type":"alert","src_ip":"1', /truncated/],
    ['garbage', /not JSON/],
    ['[1,2]', /not a JSON object/],
    ['{"timestamp":"2026-12-02T10:00:00+0000"}', /no event_type/],
    ['{"event_type":"alert"}', /timestamp/],
    ['{"timestamp":"yesterday","event_type":"alert"}', /timestamp/],
    ['{"timestamp":"2026-12-02T10:00:00+0000","event_type":"flow","flow_id":"abc"}', /flow_id/],
  ])('reports a bad line %s', (line, reason) => {
    const p = parseEveLine(line);
    expect(p.kind).toBe('error');
    if (p.kind === 'error') expect(p.reason).toMatch(reason);
  });

  it('maps an alert to an observation with signature, sid, severity and attack type', () => {
    const e = eventOf('{"timestamp":"2026-12-02T10:00:03.500000+0000","flow_id":42,"event_type":"alert","src_ip":"198.51.100.23","src_port":44321,"dest_ip":"192.0.2.20","dest_port":80,"proto":"TCP","alert":{"gid":1,"signature_id":2024364,"rev":3,"signature":"ET WEB_SERVER Possible SQL Injection Attempt UNION SELECT","category":"Web Application Attack","severity":1}}');
    expect(alertToObservation(e, '7.0.8')).toEqual({
      ts: Date.parse('2026-12-02T10:00:03.500Z'), srcIp: '198.51.100.23', srcPort: 44321, dstIp: '192.0.2.20', dstPort: 80, protocol: 'tcp',
      signature: 'ET WEB_SERVER Possible SQL Injection Attempt UNION SELECT', signatureId: '2024364', reference: 'gid:1 sid:2024364 rev:3',
      detector: 'suricata', detectorVersion: '7.0.8', attackType: 'sql-injection', confidence: 0.9, flowId: '42',
    });
    expect(alertToObservation(eventOf('{"timestamp":"2026-12-02T10:00:00+0000","event_type":"alert","src_ip":"192.0.2.1","dest_ip":"192.0.2.2","alert":{}}'), 'x')).toMatch(/signature/);
    expect(alertToObservation(eventOf('{"timestamp":"2026-12-02T10:00:00+0000","event_type":"alert","alert":{"signature":"s"}}'), 'x')).toMatch(/src_ip/);
  });

  it('maps categories and signatures to attack types', () => {
    expect(attackTypeOfAlert('ET SCAN Potential SSH Scan', 'Attempted Information Leak')).toBe('scan');
    expect(attackTypeOfAlert('ET MALWARE Win32/Emotet CnC Beacon', 'A Network Trojan was detected')).toBe('malware');
    expect(attackTypeOfAlert('ET DOS Possible NTP DDoS', 'Attempted Denial of Service')).toBe('dos');
    expect(attackTypeOfAlert('local rule', '')).toBe('unknown');
  });

  it('maps a flow record, marking an unanswered SYN', () => {
    const e = eventOf('{"timestamp":"2026-12-02T10:00:04.000000+0000","flow_id":1234567890123456789,"event_type":"flow","src_ip":"203.0.113.7","src_port":51234,"dest_ip":"192.0.2.10","dest_port":22,"proto":"TCP","flow":{"pkts_toserver":1,"pkts_toclient":0,"bytes_toserver":74,"bytes_toclient":0,"start":"2026-12-02T10:00:01.120000+0000","end":"2026-12-02T10:00:01.620000+0000","state":"new"},"tcp":{"syn":true}}');
    const f = eveToFlow(e);
    if (typeof f === 'string') throw new Error(f);
    expect(f.unanswered).toBe(true);
    expect(f.flow).toMatchObject({ ts: Date.parse('2026-12-02T10:00:01.120Z'), durationMs: 500, fwdPackets: 1, bwdPackets: 0, fwdBytes: 74, flowId: '1234567890123456789', flags: { syn: 1, ack: 0 } });
  });

  it('reads the fixture: every line counted, bad lines reported with their numbers', async () => {
    const { findings, stats } = await ingestStream(createReadStream(FIXTURE), suricataHandler('7.0.8'));
    expect(stats.lines).toBe(11);
    expect(stats.byType).toEqual({ alert: 3, flow: 1, dns: 1, http: 1, tls: 1, fileinfo: 1, anomaly: 1 });
    expect(stats.used).toBe(4);
    expect(stats.ignored).toBe(5);
    expect(stats.issues).toEqual([{ line: 10, reason: expect.stringMatching(/not JSON/) as string }, { line: 11, reason: 'truncated JSON record' }]);
    expect(stats.used + stats.ignored + stats.blank + stats.issueCount).toBe(stats.lines);
    // Two SSH scan alerts from one source to one host are one finding.
    expect(findings.length).toBe(2);
    const scan = findings.find((f) => f.signatureId === '2001219');
    expect(scan).toMatchObject({ srcIp: '203.0.113.7', dstIp: '192.0.2.10', dstPort: 22, count: 2, flowIds: ['1234567890123456789', '1234567890123456790'] });
    expect(scan?.attackType).toEqual({ suricata: { version: '7.0.8', reference: 'gid:1 sid:2001219 rev:20', attacks: [{ attack_type: 'scan', confidence: 0.7 }] } });
  });
});
