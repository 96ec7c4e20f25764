import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, Secret } from '@waggle/errors';
import { createMispClient, type MispClient } from '@waggle/client';
import { startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import { findFindings } from './find-findings.js';
import { findingToObject } from './finding-to-object.js';
import { readFindingObject } from './object-to-finding.js';
import { aFinding } from './test-support/a-finding.js';

describe('security-event objects on a real waggle server', () => {
  let srv: ListeningServer;
  let client: MispClient;
  let eventId: string;
  beforeAll(async () => {
    srv = await startListeningServer();
    client = createMispClient({ url: srv.url, key: new Secret(srv.server.adminKey) });
    const created = (await client.request('POST', '/events/add', { info: 'findings codec test', distribution: 0 })) as { Event: { id: string } };
    eventId = created.Event.id;
  });
  afterAll(async () => {
    await srv.close();
  });

  it('accepts an object built by findingToObject and gives the same finding back', async () => {
    const finding = aFinding({ verified: false, pcap: { filename: 'flow.pcap', base64: Buffer.from('\xd4\xc3\xb2\xa1 pcap', 'latin1').toString('base64') } });
    const uuid = '6c3e2f1a-8d4b-4c2e-9f1a-0b2c3d4e5f60';
    const answer = (await client.request('POST', `/objects/add/${eventId}`, { Object: findingToObject(finding, { uuid, detector: 'suricata' }) })) as { Object: unknown };
    const saved = readFindingObject(answer);
    expect(saved.objectUuid).toBe(uuid);
    // The server keeps the attachment's content too: the pcap comes back byte for byte.
    expect(saved.finding).toEqual(finding);
    expect(saved.attributes.get('pcap')?.[0]?.value).toBe('flow.pcap');

    const event = await client.request('GET', `/events/view/${eventId}`);
    const found = findFindings(event);
    expect(found).toHaveLength(1);
    expect(found[0]?.finding).toEqual(finding);
    expect(found[0]?.eventId).toBe(eventId);
    const attrs = found[0]?.attributes;
    expect(attrs?.get('attack-type')?.[0]?.id).toMatch(/^\d+$/);
  });

  it('keeps every destination port of a scan (the template allows several)', async () => {
    const scan = aFinding({ dstPort: 21, dstPorts: [21, 22, 23, 80, 443], count: 5 });
    const answer = await client.request('POST', `/objects/add/${eventId}`, { Object: findingToObject(scan) });
    expect(readFindingObject(answer).finding).toEqual(scan);
  });

  it('indexes src-ip as an IDS indicator only', async () => {
    const result = (await client.request('POST', '/attributes/rest_search', { eventid: eventId, to_ids: true })) as { response: { Attribute: { value: string }[] } };
    expect([...new Set(result.response.Attribute.map((a) => a.value))]).toEqual(['203.0.113.7']);
  });

  it('rejects a finding locally before anything reaches the server', async () => {
    const before = findFindings(await client.request('GET', `/events/view/${eventId}`)).length;
    expect(() => findingToObject(aFinding({ srcIp: 'not-an-ip' }))).toThrow(InputError);
    expect(findFindings(await client.request('GET', `/events/view/${eventId}`))).toHaveLength(before);
  });
});
