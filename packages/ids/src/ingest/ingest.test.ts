import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFlowCsv } from './flow-csv.js';
import { ingestStream } from './ingestor.js';
import { suricataHandler } from './line-handlers.js';
import { MAX_KEPT_ISSUES } from './ingest-stats.js';

const dir = mkdtempSync(join(tmpdir(), 'ids-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HEADER = 'Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, Total Fwd Packets, Total Backward Packets,Total Length of Fwd Packets, Total Length of Bwd Packets, SYN Flag Count, ACK Flag Count, Label';

describe('CICFlowMeter CSV through @waggle/flows', () => {
  it('reads the fixture and reports bad rows with line numbers', async () => {
    const { stats, findings } = await ingestFlowCsv(fileURLToPath(new URL('../../fixtures/cicflowmeter.csv', import.meta.url)));
    expect(stats.byType.flow).toBe(3);
    expect(stats.issueCount).toBe(2);
    expect(stats.issues.map((i) => i.line)).toEqual([5, 6]);
    expect(findings).toEqual([]);
  });

  it('finds a port scan in a flow CSV', async () => {
    const rows = [HEADER];
    for (let p = 1; p <= 300; p += 1) rows.push(`f${String(p)},203.0.113.7,50000,192.0.2.10,${String(p)},6,2/12/2026 10:00:${String(10 + (p % 40))},40,1,0,0,0,1,0,PortScan`);
    const file = join(dir, 'scan.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const { findings, stats } = await ingestFlowCsv(file);
    expect(stats.byType.flow).toBe(300);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ srcIp: '203.0.113.7', dstIp: '192.0.2.10', count: 300, signature: 'TCP port scan', firstSeen: '2026-12-02T10:00:10.000Z' });
    expect(findings[0]?.dstPorts).toHaveLength(300);
  });

  it('rejects a CSV without CICFlowMeter columns', async () => {
    const file = join(dir, 'other.csv');
    writeFileSync(file, 'a,b,c\n1,2,3\n');
    await expect(ingestFlowCsv(file)).rejects.toThrow(/Flow Duration|missing|column/i);
  });
});

describe('ingestion counts', () => {
  it('keeps the first issues with line numbers and counts all of them', async () => {
    const lines = Array.from({ length: MAX_KEPT_ISSUES + 5 }, (_, i) => `junk ${String(i)}\n`);
    const { stats } = await ingestStream(Readable.from(lines), suricataHandler('x'));
    expect(stats.issueCount).toBe(MAX_KEPT_ISSUES + 5);
    expect(stats.issues).toHaveLength(MAX_KEPT_ISSUES);
    expect(stats.issues[0]).toEqual({ line: 1, reason: expect.stringMatching(/not JSON/) as string });
  });

  it('reads CRLF lines and blank lines', async () => {
    const { stats, findings } = await ingestStream(
      Readable.from(['\r\n', '{"timestamp":"2026-12-02T10:00:00+0000","event_type":"alert","src_ip":"203.0.113.1","dest_ip":"192.0.2.1","proto":"UDP","alert":{"signature":"x","severity":3}}\r\n']),
      suricataHandler('x'),
    );
    expect(stats).toMatchObject({ lines: 2, blank: 1, used: 1, issueCount: 0 });
    expect(findings[0]?.protocol).toBe('udp');
  });
});
