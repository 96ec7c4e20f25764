import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError, Secret } from '@waggle/errors';
import { createMispClient, type MispClient } from '@waggle/client';
import { startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import type { Finding } from '../finding.js';
import { findFindings } from '../object/find-findings.js';
import { findingToObject } from '../object/finding-to-object.js';
import { aFinding } from '../object/test-support/a-finding.js';
import { createCooperativeDetector, type CooperativeDetector } from './cooperative-detector.js';
import { defaultRuleSet } from './default-rules.js';

type Counted = MispClient & { edits: number };

function countingClient(inner: MispClient): Counted {
  const c: Counted = {
    url: inner.url,
    edits: 0,
    request: async (method, path, body) => {
      if (path.startsWith('/attributes/edit/')) c.edits += 1;
      return inner.request(method, path, body);
    },
  };
  return c;
}

const ping: Finding = (() => {
  const { srcPort: _s, dstPort: _d, signature: _g, signatureId: _i, ...rest } = aFinding({ protocol: 'icmp', count: 2 });
  return { ...rest, attackType: { suricata: { version: '7.0.8', attacks: [{ attack_type: 'ping-sweep', confidence: 0.6 }] } } };
})();

describe('cooperative detector against a real waggle server', () => {
  let srv: ListeningServer;
  let admin: MispClient;
  let client: Counted;
  const key = (): Secret => new Secret(srv.server.adminKey);

  const addEvent = async (findings: Finding[]): Promise<string> => {
    const created = (await admin.request('POST', '/events/add', { info: 'cooperative test', distribution: 0, Object: findings.map((f) => findingToObject(f, { detector: 'suricata' })) })) as { Event: { id: string } };
    return created.Event.id;
  };
  const findingsOf = async (eventId: string): Promise<ReturnType<typeof findFindings>> => findFindings(await admin.request('GET', `/events/view/${eventId}`));
  const confidenceOf = (f: ReturnType<typeof findFindings>[number]): string | undefined => f.attributes.get('confidence')?.[0]?.value;

  beforeAll(async () => {
    srv = await startListeningServer();
    admin = createMispClient({ url: srv.url, key: key() });
    client = countingClient(admin);
  });
  afterAll(async () => {
    await srv.close();
  });

  it('adds its entry next to suricata, raising or lowering confidence, and abstains when no rule fires', async () => {
    const quiet = aFinding({ dstPort: 5432, count: 2 });
    const eventId = await addEvent([aFinding(), ping, quiet]);
    const det = createCooperativeDetector({ client, key: key(), rules: defaultRuleSet(), version: '1.0.0' });
    const outcomes = await det.runOnEvent(eventId);
    expect(outcomes.map((o) => [o.action, o.confidenceBefore, o.confidenceAfter])).toEqual([
      ['merged', 0.8, 0.94],
      ['merged', 0.6, 0.3],
      ['abstained', undefined, undefined],
    ]);
    expect(client.edits).toBe(4);

    const [brute, icmp, other] = await findingsOf(eventId);
    expect(Object.keys(brute?.finding.attackType ?? {})).toEqual(['suricata', 'waggle-rules']);
    expect(brute?.finding.attackType.suricata).toEqual(aFinding().attackType.suricata);
    expect(brute?.finding.attackType['waggle-rules']).toEqual({ version: '1.0.0', reference: 'rule:ssh-brute-force', attacks: [{ attack_type: 'ssh-brute-force', confidence: 0.7 }] });
    expect(confidenceOf(brute as never)).toBe('0.94');
    expect(icmp?.finding.attackType['waggle-rules']?.attacks).toEqual([{ attack_type: 'benign', confidence: 0.5 }]);
    expect(confidenceOf(icmp as never)).toBe('0.3');
    expect(Object.keys(other?.finding.attackType ?? {})).toEqual(['suricata']);
    expect(confidenceOf(other as never)).toBe('0.8');

    // Running again changes nothing: its own entry is there.
    const again = await det.runOnEvent(eventId);
    expect(again.map((o) => o.action)).toEqual(['present', 'present', 'abstained']);
    expect(client.edits).toBe(4);
  });

  it('rejects a bad event id without calling the server', async () => {
    const det = createCooperativeDetector({ client, key: key(), rules: defaultRuleSet(), version: '1' });
    const before = client.edits;
    await expect(det.runOnEvent('1; drop')).rejects.toBeInstanceOf(InputError);
    expect(client.edits).toBe(before);
    expect(() => createCooperativeDetector({ client, key: key(), rules: defaultRuleSet(), version: '1', name: 'bad name' })).toThrow(InputError);
  });

  it('follows the stream, never loops on its own edits, and catches up after losing the stream', async () => {
    const c = countingClient(admin);
    // A fetch whose stream responses the test can cut, to simulate a lost connection.
    const cuts: (() => void)[] = [];
    const cuttable: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/events/stream') || res.body === null) return res;
      const reader = res.body.getReader();
      let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
        },
        async pull(c) {
          const r = await reader.read().catch(() => ({ done: true as const, value: undefined }));
          if (r.done) c.close();
          else c.enqueue(r.value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      // Erroring the body mid-stream is what a dropped TCP connection looks like to the reader.
      cuts.push(() => {
        controller?.error(new Error('connection reset'));
        void reader.cancel().catch(() => undefined);
      });
      return new Response(body, { status: res.status, headers: res.headers });
    };
    let release: () => void = () => undefined;
    const sleep = (): Promise<void> => new Promise<void>((r) => {
      release = r;
    });
    const errors: Error[] = [];
    // `since` makes the first open catch up too: the server answers 200 a moment before its bus subscription is in place.
    const det: CooperativeDetector = createCooperativeDetector({ client: c, key: key(), rules: defaultRuleSet(), version: '1', since: 1_000_000_000, fetch: cuttable, sleep, onError: (e) => errors.push(e) });
    const opened = det.whenOpen();
    det.start();
    await opened;
    try {
      const first = await addEvent([aFinding()]);
      await vi.waitFor(() => expect(det.stats.merged).toBe(1), { timeout: 10_000, interval: 50 });
      await det.idle();
      expect(c.edits).toBe(2);

      // Another change to the same event is seen, judged, and leads to no edit.
      const seen = det.stats.events;
      await admin.request('POST', `/events/edit/${first}`, { info: 'renamed' });
      await vi.waitFor(() => expect(det.stats.events).toBeGreaterThan(seen), { timeout: 10_000, interval: 50 });
      await det.idle();
      expect(c.edits).toBe(2);

      // Lose the stream; a finding arrives meanwhile; on reconnect the catch-up finds it.
      const caughtUpBefore = det.stats.caughtUp;
      cuts.at(-1)?.();
      await vi.waitFor(() => expect(det.stats.reconnects).toBe(1), { timeout: 10_000, interval: 50 });
      const missed = await addEvent([ping]);
      const reopened = det.whenOpen();
      release();
      await reopened;
      await vi.waitFor(() => expect(det.stats.merged).toBe(2), { timeout: 10_000, interval: 50 });
      await det.idle();
      const [f] = await findingsOf(missed);
      expect(f?.finding.attackType['waggle-rules']?.attacks[0]?.attack_type).toBe('benign');
      expect(det.stats.caughtUp).toBeGreaterThan(caughtUpBefore);
      expect(c.edits).toBe(4);
      expect(errors.map((e) => e.message).join()).toMatch(/connection reset|terminated|abort/i);
    } finally {
      release();
      await det.stop();
    }
  });
});
