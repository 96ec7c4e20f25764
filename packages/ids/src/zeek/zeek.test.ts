import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ingestStream } from '../ingest/ingestor.js';
import { zeekHandler } from '../ingest/line-handlers.js';
import { parseZeekJsonLine } from './zeek-json.js';
import { connToFlow, noticeToObservation } from './zeek-records.js';
import { createZeekTsvParser } from './zeek-tsv.js';

const fixture = (name: string): URL => new URL(`../../fixtures/${name}`, import.meta.url);

describe('Zeek TSV logs', () => {
  it('follows the header: separator, unset and empty fields, sets, types', () => {
    const p = createZeekTsvParser();
    for (const h of ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', '#fields\tts\tuid\tid.orig_p\tservice\ttunnel_parents\tlocal_orig\tduration', '#types\ttime\tstring\tport\tstring\tset[string]\tbool\tinterval']) {
      expect(p.feed(h)).toEqual({ kind: 'header' });
    }
    expect(p.feed('1796205600.5\tC1\t51234\t-\t(empty)\tT\t0.25')).toEqual({ kind: 'row', row: { path: 'conn', fields: { ts: 1796205600.5, uid: 'C1', 'id.orig_p': 51234, tunnel_parents: [], local_orig: true, duration: 0.25 } } });
    expect(p.feed('1.0\tC\\x09x\t1\thttp\ta,b\tF\t-')).toMatchObject({ row: { fields: { uid: 'C\tx', service: 'http', tunnel_parents: ['a', 'b'], local_orig: false } } });
    expect(p.feed('1.0\tC2\tnotaport\thttp\t-\tT\t1')).toEqual({ kind: 'error', reason: 'field id.orig_p: bad port value "notaport"' });
    expect(p.feed('1.0\tC2\t1\thttp\t-\tyes\t1')).toEqual({ kind: 'error', reason: 'field local_orig: bad bool value "yes"' });
    expect(p.feed('1.0\tC2')).toEqual({ kind: 'error', reason: 'expected 7 fields, got 2 (truncated line?)' });
    expect(p.closed).toBe(false);
    p.feed('#close\t2026-12-02-11-00-00');
    expect(p.closed).toBe(true);
  });

  it('honours another separator and unset marker', () => {
    const p = createZeekTsvParser('dns');
    p.feed('#separator \\x7c');
    p.feed('#unset_field|NONE');
    p.feed('#fields|ts|query|rcode');
    p.feed('#types|time|string|count');
    expect(p.feed('10.5|example.org|NONE')).toEqual({ kind: 'row', row: { path: 'dns', fields: { ts: 10.5, query: 'example.org' } } });
  });

  it('refuses data before #fields', () => {
    expect(createZeekTsvParser().feed('1\t2')).toEqual({ kind: 'error', reason: 'data line before a #fields header' });
  });

  it('reads conn.log: flows with unanswered states, bad lines with numbers', async () => {
    const { stats, findings } = await ingestStream(createReadStream(fixture('conn.log')), zeekHandler('6.0.4'));
    expect(stats.byType).toEqual({ conn: 3 });
    expect(stats.issues).toEqual([{ line: 12, reason: 'expected 21 fields, got 5 (truncated line?)' }, { line: 13, reason: 'field id.orig_p: bad port value "notaport"' }]);
    expect(stats.blank).toBe(9);
    expect(findings).toEqual([]);
  });

  it('maps conn rows to flow records', () => {
    const p = createZeekTsvParser();
    p.feed('#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\tconn_state\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes');
    p.feed('#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tinterval\tstring\tstring\tcount\tcount\tcount\tcount');
    const r = p.feed('1796205602.0\tC9\t192.0.2.30\t40000\t198.51.100.80\t80\ttcp\t1.25\tSF\tShADadFf\t6\t440\t5\t1524');
    if (r.kind !== 'row') throw new Error('no row');
    const f = connToFlow(r.row);
    if (typeof f === 'string') throw new Error(f);
    expect(f).toEqual({ unanswered: false, flow: { ts: 1796205602000, srcIp: '192.0.2.30', srcPort: 40000, dstIp: '198.51.100.80', dstPort: 80, protocol: 'tcp', durationMs: 1250, fwdPackets: 6, bwdPackets: 5, fwdBytes: 440, bwdBytes: 1524, flags: { syn: 1, ack: 2, fin: 2, rst: 0 }, flowId: 'C9' } });
  });

  it('turns notices into findings (port scan, password guessing) and keeps n as the count', async () => {
    const { stats, findings } = await ingestStream(createReadStream(fixture('notice.log')), zeekHandler('6.0.4'));
    expect(stats.byType).toEqual({ notice: 3 });
    expect(stats.issueCount).toBe(0);
    expect(findings.map((f) => [f.signature, f.srcIp, f.dstIp, f.count, Object.values(f.attackType)[0]?.attacks[0]?.attack_type])).toEqual([
      ['Scan::Port_Scan', '203.0.113.7', '192.0.2.10', 1, 'port-scan'],
      ['SSH::Password_Guessing', '198.51.100.23', '192.0.2.10', 30, 'brute-force'],
      ['SSL::Invalid_Server_Cert', '198.51.100.23', '192.0.2.20', 1, 'weak-crypto'],
    ]);
    expect(findings[2]).toMatchObject({ dstPort: 443, flowIds: ['CHhAvVGS1DHFjwGM9'], protocol: 'tcp' });
    expect(findings[0]?.attackType.zeek?.version).toBe('6.0.4');
  });

  it('gives a notice about many hosts the unspecified destination', () => {
    const o = noticeToObservation({ path: 'notice', fields: { ts: 10, note: 'Scan::Address_Scan', src: '203.0.113.9', p: 445 } }, 'unknown');
    expect(o).toMatchObject({ dstIp: '0.0.0.0', dstPort: 445, attackType: 'address-scan' });
    expect(noticeToObservation({ path: 'notice', fields: { ts: 10, src: '203.0.113.9' } }, 'x')).toBe('notice without note');
  });
});

describe('Zeek JSON logs', () => {
  it('reads mixed logs, guessing the log type without _path, counting a truncated last line', async () => {
    const { stats, findings } = await ingestStream(createReadStream(fixture('zeek-json.log')), zeekHandler('unknown'));
    expect(stats.byType).toEqual({ conn: 1, dns: 1, http: 1, ssl: 1, notice: 1 });
    expect(stats.issues).toEqual([{ line: 6, reason: 'truncated JSON record' }]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ signature: 'SSH::Password_Guessing', dstIp: '192.0.2.10', count: 30 });
  });

  it('takes ISO 8601 times and _path', () => {
    const r = parseZeekJsonLine('{"_path":"conn","ts":"2026-12-02T10:00:00.250Z","id.orig_h":"192.0.2.1","id.resp_h":"192.0.2.2"}');
    if (r.kind !== 'row') throw new Error('no row');
    expect(r.row.path).toBe('conn');
    const f = connToFlow(r.row);
    expect(typeof f === 'string' ? f : f.flow.ts).toBe(Date.parse('2026-12-02T10:00:00.250Z'));
    expect(parseZeekJsonLine('{"ts":1,"note":"x"}', 'weird').kind === 'row' && parseZeekJsonLine('{"ts":1}', 'weird')).toMatchObject({ row: { path: 'weird' } });
  });

  it('rejects a file that is neither TSV nor JSON', async () => {
    const { stats } = await ingestStream(Readable.from(['hello world\n', 'second line\n']), zeekHandler('x'));
    expect(stats.issueCount).toBe(2);
    expect(stats.issues[0]?.reason).toMatch(/not a Zeek log/);
  });
});
