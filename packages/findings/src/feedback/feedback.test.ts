import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, NotFoundError, Secret } from '@waggle/errors';
import { createMispClient, type MispClient } from '@waggle/client';
import { startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import type { Finding } from '../finding.js';
import { findingToObject } from '../object/finding-to-object.js';
import { aFinding } from '../object/test-support/a-finding.js';
import { exportFeedback, feedbackRecord } from './export-feedback.js';
import { fetchFindingObject, setVerdict, VERDICT_TAGS } from './set-verdict.js';

const U1 = '0b6f3c51-6d0c-4c8e-8a0e-1f2a3b4c5d61';
const U2 = '0b6f3c51-6d0c-4c8e-8a0e-1f2a3b4c5d62';
const U3 = '0b6f3c51-6d0c-4c8e-8a0e-1f2a3b4c5d63';

async function collect(it: AsyncIterable<string>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const line of it) out.push(JSON.parse(line) as Record<string, unknown>);
  return out;
}

describe('analyst feedback on a real waggle server', () => {
  let srv: ListeningServer;
  let client: MispClient;
  const tagsOf = async (uuid: string): Promise<string[]> => {
    const o = await fetchFindingObject(client, uuid);
    const id = o.attributes.get('verified')?.[0]?.id;
    const a = (await client.request('GET', `/attributes/view/${String(id)}`)) as { Attribute: { Tag?: { name: string }[] } };
    return (a.Attribute.Tag ?? []).map((t) => t.name).sort();
  };

  beforeAll(async () => {
    srv = await startListeningServer();
    client = createMispClient({ url: srv.url, key: new Secret(srv.server.adminKey) });
    const scan: Finding = { ...aFinding({ dstPort: 80, dstPorts: [80, 81, 82], protocol: 'tcp', count: 3 }), attackType: { ml: { version: '2', attacks: [{ attack_type: 'PortScan', confidence: 0.7 }] } } };
    const { srcPort: _srcPort, ...greBase } = aFinding({ srcIp: '198.51.100.9', protocol: 'gre' });
    await client.request('POST', '/events/add', {
      info: 'feedback test',
      distribution: 0,
      Object: [findingToObject(aFinding({ verified: false }), { uuid: U1 }), findingToObject(scan, { uuid: U2 }), findingToObject(greBase, { uuid: U3 })],
    });
  });
  afterAll(async () => {
    await srv.close();
  });

  it('marks a finding true positive: verified "1", tag, analyst comment', async () => {
    const r = await setVerdict(client, U1, true, { analyst: 'alice', comment: 'confirmed in auth.log' });
    expect(r).toMatchObject({ objectUuid: U1, verified: true });
    const o = await fetchFindingObject(client, U1);
    expect(o.finding.verified).toBe(true);
    expect(o.attributes.get('verified')).toHaveLength(1);
    const attr = (await client.request('GET', `/attributes/view/${String(o.attributes.get('verified')?.[0]?.id)}`)) as { Attribute: { comment: string } };
    expect(attr.Attribute.comment).toBe('true-positive by alice: confirmed in auth.log');
    expect(await tagsOf(U1)).toEqual([VERDICT_TAGS.truePositive]);
  });

  it('adds the verified attribute when the finding has none, and a changed mind leaves one verdict', async () => {
    expect((await fetchFindingObject(client, U2)).finding.verified).toBeUndefined();
    await setVerdict(client, U2, true, { analyst: 'bob' });
    expect(await tagsOf(U2)).toEqual([VERDICT_TAGS.truePositive]);
    await setVerdict(client, U2, false, { analyst: 'bob', comment: 'our vulnerability scanner' });
    const o = await fetchFindingObject(client, U2);
    expect(o.finding.verified).toBe(false);
    expect(o.attributes.get('verified')).toHaveLength(1);
    expect(await tagsOf(U2)).toEqual([VERDICT_TAGS.falsePositive]);
    // The rest of the object is untouched.
    expect(o.finding.dstPorts).toEqual([80, 81, 82]);
  });

  it('rejects bad input before writing anything', async () => {
    const before = JSON.stringify(await client.request('GET', `/objects/view/${U3}`));
    await expect(setVerdict(client, 'x; rm', true, { analyst: 'a' })).rejects.toThrow(/object UUID or numeric id/);
    await expect(setVerdict(client, U3, true, { analyst: ' ' })).rejects.toThrow(/analyst must be/);
    await expect(setVerdict(client, U3, true, { analyst: 'a\nb' })).rejects.toThrow(/analyst must be/);
    await expect(setVerdict(client, U3, 'yes' as unknown as boolean, { analyst: 'a' })).rejects.toThrow(/verified must be true or false/);
    await expect(setVerdict(client, '0b6f3c51-6d0c-4c8e-8a0e-1f2a3b4c5d69', true, { analyst: 'a' })).rejects.toBeInstanceOf(NotFoundError);
    expect(JSON.stringify(await client.request('GET', `/objects/view/${U3}`))).toBe(before);
  });

  it('refuses to set a verdict on an object that is not a finding', async () => {
    const ev = (await client.request('POST', '/events/add', { info: 'other', Object: [{ name: 'domain-ip', uuid: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b', Attribute: [{ object_relation: 'domain', type: 'domain', value: 'example.org' }] }] })) as { Event: { id: string } };
    await expect(setVerdict(client, 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b', true, { analyst: 'a' })).rejects.toBeInstanceOf(InputError);
    expect(ev.Event.id).toBeDefined();
  });

  it('exports verified findings as labelled flow records', async () => {
    const lines = await collect(exportFeedback(client));
    expect(lines).toHaveLength(2);
    const byUuid = new Map(lines.map((l) => [l.flowId, l]));
    expect(byUuid.get(U1)).toEqual({
      ts: Date.parse('2026-12-02T10:00:00.000Z'),
      srcIp: '203.0.113.7',
      srcPort: 51234,
      dstIp: '192.0.2.10',
      dstPort: 22,
      protocol: 'tcp',
      durationMs: 270_000,
      fwdPackets: 0,
      bwdPackets: 0,
      fwdBytes: 0,
      bwdBytes: 0,
      extra: { flow_count: 240, dst_port_count: 1 },
      label: 1,
      attackType: 'ssh-brute-force',
      flowId: U1,
    });
    expect(byUuid.get(U2)).toMatchObject({ label: 0, attackType: 'benign', dstPort: 80, extra: { flow_count: 3, dst_port_count: 3 } });
  });

  it('exports only verdicts set since a time', async () => {
    const o = await fetchFindingObject(client, U2);
    const a = (await client.request('GET', `/attributes/view/${String(o.attributes.get('verified')?.[0]?.id)}`)) as { Attribute: { timestamp: string } };
    await setVerdict(client, U3, true, { analyst: 'carol' });
    const recent = await collect(exportFeedback(client, { since: Number(a.Attribute.timestamp) + 1 }));
    expect(recent.map((l) => l.flowId)).toEqual([U3]);
    expect(recent[0]).toMatchObject({ protocol: 'other', srcPort: 0, label: 1 });
    await expect(collect(exportFeedback(client, { since: 'last tuesday' }))).rejects.toThrow(/since must be/);
  });

  it('maps a finding without ports or known protocol', () => {
    const { srcPort: _s, dstPort: _d, ...f } = aFinding({ protocol: 'esp' });
    expect(feedbackRecord(f, U1, false)).toMatchObject({ srcPort: 0, dstPort: 0, protocol: 'other', label: 0, attackType: 'benign' });
  });
});
