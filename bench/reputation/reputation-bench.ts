import { randomUUID } from 'node:crypto';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { percentile, round, timeCalls } from '../lib/stats.js';
import { formatTable, thousands } from '../lib/table.js';
import { createPrng } from '../core/prng.js';
import { addOrgUser, startTestServer, type TestServer } from '../../packages/server/src/test-support/test-server.js';

const USAGE = `usage: npm run bench -- reputation [--engine sqlite|postgres] [--sources 20] [--reporters 20] [--events 400] [--attributes 250] [--sightings 200k] [--opinions 1000] [--runs 5]
  Time to compute source reputation (GET /reputation/organisations) over a store with that many
  sightings and opinions, as a site admin (no visibility conditions) and as a member of one
  reporting organisation; and an events/view with includeSourceReputation=1.`;

const DAY = 86_400;

function time(n: number, fn: () => Promise<{ status: number; text: string }>): Promise<number[]> {
  return timeCalls(n, async () => {
    const r = await fn();
    if (r.status !== 200) throw new Error(`HTTP ${String(r.status)}: ${r.text.slice(0, 200)}`);
  });
}

/** `npm run bench -- reputation`. */
export async function runReputationBench(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['help']));
  if (args.named.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const num = (name: string, def: string): number => parseCount(String(args.named.get(name) ?? def), `--${name}`);
  const engine = String(args.named.get('engine') ?? 'sqlite');
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error('--engine must be sqlite or postgres');
  const sources = num('sources', '20');
  const reporters = num('reporters', '20');
  const events = num('events', '400');
  const perEvent = num('attributes', '250');
  const sightings = num('sightings', '200k');
  const opinions = num('opinions', '1000');
  const runs = num('runs', '5');
  const rand = createPrng(7);
  const s: TestServer = await startTestServer(engine);
  try {
    const t0 = performance.now();
    const producers: { key: string; orgId: number }[] = [];
    for (let i = 0; i < sources; i++) producers.push(await addOrgUser(s, `Source${String(i)}`));
    const reporting: { key: string; orgId: number }[] = [];
    for (let i = 0; i < reporters; i++) reporting.push(await addOrgUser(s, `Reporter${String(i)}`));
    const attributeIds: { id: number; uuid: string; eventId: number }[] = [];
    let firstEvent = '';
    for (let e = 0; e < events; e++) {
      const producer = producers[e % sources] as { key: string };
      const Attribute = Array.from({ length: perEvent }, (_, i) => ({ type: 'domain', value: `e${String(e)}-a${String(i)}.example` }));
      const r = await s.call('POST', '/events/add', { info: `Reputation bench ${String(e)}`, distribution: '1', Attribute }, producer.key);
      if (r.status !== 200) throw new Error(`events/add: ${r.text.slice(0, 200)}`);
      const ev = (r.json as { Event: { id: string; Attribute: { id: string; uuid: string }[] } }).Event;
      if (firstEvent === '') firstEvent = ev.id;
      for (const a of ev.Attribute) attributeIds.push({ id: Number(a.id), uuid: a.uuid, eventId: Number(ev.id) });
    }
    // Sightings straight into the store (the HTTP path is not what is measured): 80 % seen, 20 % false positives, up to a year old.
    const now = s.deps.clock.now();
    for (let done = 0; done < sightings; done += 10_000) {
      await s.store.write(async (repos) => {
        for (let i = done; i < Math.min(sightings, done + 10_000); i++) {
          const a = rand.pick(attributeIds);
          const reporter = rand.pick(reporting);
          await repos.insertSighting({ uuid: randomUUID(), attribute_id: a.id, event_id: a.eventId, org_id: reporter.orgId, date_sighting: now - rand.int(0, 365 * DAY), source: 'bench', type: rand.chance(0.8) ? 0 : 1 });
        }
      });
    }
    for (let i = 0; i < opinions; i++) {
      const a = rand.pick(attributeIds);
      const reporter = rand.pick(reporting);
      const r = await s.call('POST', '/analystData/add/Opinion', { object_uuid: a.uuid, object_type: 'Attribute', opinion: String(rand.int(0, 100)) }, reporter.key);
      if (r.status !== 200) throw new Error(`analystData/add: ${r.text.slice(0, 200)}`);
    }
    const setupSeconds = (performance.now() - t0) / 1000;
    const member = reporting[0] as { key: string };
    await time(2, () => s.call('GET', '/reputation/organisations')); // warm-up
    const admin = await time(runs, () => s.call('GET', '/reputation/organisations'));
    const asMember = await time(runs, () => s.call('GET', '/reputation/organisations', undefined, member.key));
    const one = await time(runs, () => s.call('GET', '/reputation/organisations/Source0'));
    const plainView = await time(runs, () => s.call('GET', `/events/view/${firstEvent}`));
    const repView = await time(runs, () => s.call('GET', `/events/view/${firstEvent}?includeSourceReputation=1`));
    const p = (v: number[], q: number): string => String(round(percentile(v, q), 1));
    process.stdout.write(`${describeMachine(machineInfo(process.cwd()))}\n`);
    process.stdout.write(`${engine}: ${String(sources)} sources, ${String(reporters)} reporting organisations, ${thousands(attributeIds.length)} attributes in ${String(events)} events, ${thousands(sightings)} sightings, ${thousands(opinions)} opinions (set up in ${setupSeconds.toFixed(1)} s); ${String(runs)} runs each\n\n`);
    process.stdout.write(`${formatTable(['request', 'p50 ms', 'max ms'], [
      ['GET /reputation/organisations (site admin: all evidence)', p(admin, 50), p(admin, 100)],
      ['GET /reputation/organisations (member of one reporting org)', p(asMember, 50), p(asMember, 100)],
      ['GET /reputation/organisations/Source0', p(one, 50), p(one, 100)],
      [`GET /events/view (${String(perEvent)} attributes)`, p(plainView, 50), p(plainView, 100)],
      ['… with includeSourceReputation=1', p(repView, 50), p(repView, 100)],
    ])}\n`);
    return 0;
  } finally {
    await s.close();
  }
}
