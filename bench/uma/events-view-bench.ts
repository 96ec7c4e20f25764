import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { percentile, round, timeCalls } from '../lib/stats.js';
import { formatTable } from '../lib/table.js';
import { addOrgUser, startTestServer, type TestServer } from '../../packages/server/src/test-support/test-server.js';
import { createUmaEventGate } from '../../packages/server/src/uma/uma-event-gate.js';
import { idTokenParams, startUmaFixture, tokenRequest, umaTicketParams } from '../../packages/uma/src/test-support/uma-fixture.js';

const USAGE = `usage: npm run bench -- uma-view [--requests 2000] [--attributes 100]
  Added latency of a UMA-protected events/view (RPT cached by the client, verified locally)
  against the same view with a MISP auth key on a server without UMA.`;

const TARGET_P50_MS = 2;

async function listen(s: TestServer): Promise<string> {
  await s.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${String((s.app.server.address() as { port: number }).port)}`;
}

async function addEvent(s: TestServer, key: string, attributes: number): Promise<string> {
  const Attribute = Array.from({ length: attributes }, (_, i) => ({ type: 'ip-dst', category: 'Network activity', value: `198.51.${String(i >> 8)}.${String(i & 255)}` }));
  const r = await s.call('POST', '/events/add', { info: 'UMA bench', distribution: '1', threat_level_id: '2', analysis: '0', Attribute }, key);
  return String((r.json as { Event: { id: string } }).Event.id);
}

async function timeViews(url: string, auth: string, n: number): Promise<number[]> {
  // The first 50 warm up.
  return timeCalls(n, async () => {
    const res = await fetch(url, { headers: { authorization: auth, accept: 'application/json' } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: HTTP ${String(res.status)}`);
  }, 50);
}

/** `npm run bench -- uma-view`: plain MISP-key events/view versus UMA with a cached RPT. */
export async function runUmaViewBench(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['help']));
  if (args.named.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const n = parseCount(String(args.named.get('requests') ?? '2000'), '--requests');
  const attributes = parseCount(String(args.named.get('attributes') ?? '100'), '--attributes');
  const uma = await startUmaFixture({ rptLifetimeSec: 3600 });
  const plain = await startTestServer('sqlite');
  const guarded = await startTestServer('sqlite', {}, { uma: createUmaEventGate({ mode: 'uma', realm: 'waggle', owners: [{ org: 'Producer', rs: uma.rs }] }) });
  try {
    const plainUrl = await listen(plain);
    const guardedUrl = await listen(guarded);
    const plainProducer = (await addOrgUser(plain, 'Producer')).key;
    const plainConsumer = (await addOrgUser(plain, 'Consumer')).key;
    const producer = (await addOrgUser(guarded, 'Producer')).key;
    const plainId = await addEvent(plain, plainProducer, attributes);
    const id = await addEvent(guarded, producer, attributes);
    const resource = (await guarded.call('GET', `/uma/events/${id}/resource`, undefined, producer)).json as { resource_id: string };
    await uma.rs.setPolicy(resource.resource_id, { rules: [{ scopes: ['read'], allow: [{ sector: 'energy' }] }] });
    const challenge = await fetch(`${guardedUrl}/events/view/${id}`);
    const ticket = /ticket="([^"]+)"/.exec(challenge.headers.get('www-authenticate') ?? '')?.[1] ?? '';
    const token = await tokenRequest(uma, umaTicketParams(ticket, idTokenParams(await uma.idToken({ sub: 'bob', org: 'Consumer', sector: 'energy' }))));
    const rpt = `Bearer ${String(token.body.access_token)}`;
    // Interleave rounds so that load changes on a shared machine hit both alike.
    const keyTimes: number[] = [];
    const rptTimes: number[] = [];
    const ownerTimes: number[] = [];
    for (let round = 0; round < 4; round++) {
      keyTimes.push(...(await timeViews(`${plainUrl}/events/view/${plainId}`, plainConsumer, Math.ceil(n / 4))));
      rptTimes.push(...(await timeViews(`${guardedUrl}/events/view/${id}`, rpt, Math.ceil(n / 4))));
      ownerTimes.push(...(await timeViews(`${guardedUrl}/events/view/${id}`, producer, Math.ceil(n / 4))));
    }
    const p = (v: number[], q: number): number => round(percentile(v, q), 3);
    const added = p(rptTimes, 50) - p(keyTimes, 50);
    process.stdout.write(`${describeMachine(machineInfo(process.cwd()))}\nevents/view of an event with ${String(attributes)} attributes, ${String(keyTimes.length)} requests each\n\n`);
    process.stdout.write(`${formatTable(['path', 'p50 ms', 'p95 ms', 'p99 ms'], [
      ['MISP auth key, server without UMA', String(p(keyTimes, 50)), String(p(keyTimes, 95)), String(p(keyTimes, 99))],
      ['RPT (cached), UMA mode', String(p(rptTimes, 50)), String(p(rptTimes, 95)), String(p(rptTimes, 99))],
      ['producer\'s own key, UMA mode', String(p(ownerTimes, 50)), String(p(ownerTimes, 95)), String(p(ownerTimes, 99))],
    ])}\n\nadded latency p50, RPT vs key: ${added.toFixed(3)} ms (target ≤ ${String(TARGET_P50_MS)} ms: ${added <= TARGET_P50_MS ? 'met' : 'missed'}); ` +
      `the RPT answer leaves out correlations, sightings and warninglist decoration, so it can be cheaper than the key path\n` +
      `hook cost for key holders on a UMA server (own key vs no UMA) p50: ${(p(ownerTimes, 50) - p(keyTimes, 50)).toFixed(3)} ms\n`);
    return 0;
  } finally {
    await plain.close();
    await guarded.close();
    await uma.close();
  }
}
