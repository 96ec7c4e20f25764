import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '@waggle/findings';
import { suricataHandler } from '../ingest/line-handlers.js';
import { followIngest } from './follow-ingest.js';

const dir = mkdtempSync(join(tmpdir(), 'ids-follow-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alert = (time: string, src: string): string =>
  `{"timestamp":"2026-12-02T${time}.000000+0000","flow_id":1234567890123456789,"event_type":"alert","src_ip":"${src}","dest_ip":"192.0.2.10","dest_port":22,"proto":"TCP","alert":{"signature_id":1,"signature":"SSH brute force","category":"Attempted User Privilege Gain","severity":2}}\n`;

describe('follow ingestion', () => {
  it('hands out a window once the log has moved past it, and the rest on stop', () => {
    const path = join(dir, 'eve.json');
    writeFileSync(path, alert('10:00:00', '203.0.113.1') + alert('10:00:30', '203.0.113.1'));
    const out: Finding[][] = [];
    const session = followIngest({ path, handler: suricataHandler('7.0.8'), onFindings: (f) => out.push(f), intervalMs: 3_600_000, aggregation: { windowMs: 60_000, latenessMs: 1_000 } });
    session.poll();
    expect(out).toEqual([]);
    appendFileSync(path, alert('10:01:05', '203.0.113.2'));
    session.poll();
    expect(out.map((batch) => batch.map((f) => [f.srcIp, f.count]))).toEqual([[['203.0.113.1', 2]]]);
    appendFileSync(path, '{"timestamp":"2026-12-02T10:01:06');
    session.stop();
    expect(out[1]?.map((f) => [f.srcIp, f.count])).toEqual([['203.0.113.2', 1]]);
    expect(session.stats.issues).toEqual([{ line: 4, reason: 'truncated JSON record' }]);
  });
});
