import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * MISP's correlation rules, resolved at read time (ADR 0004): which values
 * link two events, and which never do.
 */
describe.each(testEngines())('correlation rules on %s', (engine) => {
  let s: TestServer;
  let n = 0;
  beforeAll(async () => {
    s = await startTestServer(engine, { correlationCap: 6 });
  });
  afterAll(async () => {
    await s.close();
  });

  /** A unique value per call, so tests do not correlate with each other. */
  const uniq = (prefix: string): string => `${prefix}-${engine}-${String(++n)}`;
  async function addEvent(attributes: J[], extra: J = {}, key?: string): Promise<J> {
    const r = await s.call('POST', '/events/add', { info: uniq('event'), distribution: '1', Attribute: attributes, ...extra }, key);
    expect(r.status, r.text).toBe(200);
    return (r.json as J).Event;
  }
  async function related(eventId: string, key?: string): Promise<string[]> {
    const r = await s.call('GET', `/events/view/${eventId}`, undefined, key);
    expect(r.status, r.text).toBe(200);
    return ((r.json as J).Event.RelatedEvent as J[]).map((e) => String(e.Event.id));
  }
  async function relatedAttributes(eventId: string): Promise<J[]> {
    const ev = ((await s.call('GET', `/events/view/${eventId}`)).json as J).Event;
    return (ev.Attribute as J[]).flatMap((a) => (a.RelatedAttribute ?? []).map((r: J) => ({ from: a.value, ...r })));
  }

  it('links both halves of composite types to plain values, in both directions', async () => {
    const host = `${uniq('h')}.example`;
    const a = await addEvent([{ type: 'domain|ip', value: `${host}|192.0.2.77` }]);
    const b = await addEvent([{ type: 'ip-dst', value: '192.0.2.77' }]);
    const c = await addEvent([{ type: 'hostname', value: host }]);
    expect(await related(a.id)).toEqual(expect.arrayContaining([b.id, c.id]));
    expect(await related(b.id)).toContain(a.id);
    expect(await related(c.id)).toContain(a.id);
    const rel = await relatedAttributes(a.id);
    expect(rel.map((r) => r.event_id).sort()).toEqual([b.id, c.id].sort());
    // A sync's view asks for none (MISP's includeEventCorrelations:0).
    const bare = ((await s.call('GET', `/events/view/${String(a.id)}/includeEventCorrelations:0`)).json as J).Event;
    expect(bare.RelatedEvent ?? []).toEqual([]);
  });

  it('never correlates the port half of ip|port, nor non-correlating types', async () => {
    const port = String(40000 + n);
    const a = await addEvent([{ type: 'ip-dst|port', value: `198.51.100.${String(n % 250)}|${port}` }]);
    const b = await addEvent([{ type: 'port', value: port }, { type: 'text', value: port }]);
    expect(await related(a.id)).not.toContain(b.id);
    const c1 = await addEvent([{ type: 'comment', value: 'same comment text' }]);
    const c2 = await addEvent([{ type: 'comment', value: 'same comment text' }]);
    expect(await related(c1.id)).not.toContain(c2.id);
  });

  it('skips deleted attributes, attributes and events with correlation disabled, and the same event', async () => {
    const v = `${uniq('v')}.example`;
    const base = await addEvent([{ type: 'domain', value: v }, { type: 'hostname', value: v }]);
    const deleted = await addEvent([{ type: 'domain', value: v }]);
    const attr = ((await s.call('GET', `/events/view/${deleted.id}`)).json as J).Event.Attribute[0];
    expect((await s.call('POST', `/attributes/delete/${attr.id}`)).status).toBe(200);
    const off = await addEvent([{ type: 'domain', value: v, disable_correlation: true }]);
    const offEvent = await addEvent([{ type: 'domain', value: v }], { disable_correlation: true });
    expect(await related(base.id)).toEqual([]);
    expect(await related(offEvent.id)).toEqual([]);
    expect(await related(off.id)).toEqual([]);
    const live = await addEvent([{ type: 'domain', value: v }]);
    expect(await related(base.id)).toEqual([live.id]);
  });

  it('stops correlating a value held by more attributes than the cap', async () => {
    const v = `${uniq('hot')}.example`;
    const first = await addEvent([{ type: 'domain', value: v }]);
    const second = await addEvent([{ type: 'domain', value: v }]);
    expect(await related(first.id)).toEqual([second.id]);
    for (let i = 0; i < 4; i++) await addEvent([{ type: 'domain', value: v }]);
    expect(await related(first.id)).toHaveLength(5);
    await addEvent([{ type: 'domain', value: v }]);
    // Seven holders with a cap of 6: the value over-correlates and links nothing.
    expect(await related(first.id)).toEqual([]);
  });

  it('counts holders of a value in the second half of composite values towards the cap', async () => {
    // ip-dst keeps the address in value1, domain|ip in value2: both hold the same value.
    const ip = `203.0.113.${String(100 + (engine === 'sqlite' ? 1 : 2))}`;
    const first = await addEvent([{ type: 'ip-dst', value: ip }]);
    for (let i = 0; i < 3; i++) await addEvent([{ type: 'ip-dst', value: ip }]);
    for (let i = 0; i < 2; i++) await addEvent([{ type: 'domain|ip', value: `${uniq('half')}.example|${ip}` }]);
    expect(await related(first.id)).toHaveLength(5);
    await addEvent([{ type: 'domain|ip', value: `${uniq('half')}.example|${ip}` }]);
    // Seven holders (four in value1, three in value2) with a cap of 6.
    expect(await related(first.id)).toEqual([]);
  });

  it('shows only correlations with what the viewer may see', async () => {
    const other = await addOrgUser(s, `CorrOther${engine}`);
    const v = `${uniq('secret')}.example`;
    const visible = await addEvent([{ type: 'domain', value: v }], {}, other.key);
    const hidden = await addEvent([{ type: 'domain', value: v }], { distribution: '0' });
    const hiddenAttr = await addEvent([{ type: 'domain', value: v, distribution: '0' }]);
    expect(await related(visible.id, other.key)).toEqual([]);
    expect((await related(visible.id)).sort()).toEqual([hidden.id, hiddenAttr.id].sort());
  });

  it('follows edits: a changed value correlates with its new partners only', async () => {
    const v1 = `${uniq('before')}.example`;
    const v2 = `${uniq('after')}.example`;
    const a = await addEvent([{ type: 'domain', value: v1 }]);
    const b = await addEvent([{ type: 'domain', value: v1 }]);
    const c = await addEvent([{ type: 'domain', value: v2 }]);
    const attr = ((await s.call('GET', `/events/view/${a.id}`)).json as J).Event.Attribute[0];
    const edit = await s.call('POST', `/attributes/edit/${attr.id}`, { value: v2 });
    expect(edit.status, edit.text).toBe(200);
    expect(await related(a.id)).toEqual([c.id]);
    expect(await related(b.id)).toEqual([]);
  });
  it('applies the same rules to CIDR containment, and follows an event switching correlation on', async () => {
    // A block of its own per engine run, so no other test's addresses fall inside it.
    const third = 100 + (n % 100);
    n += 1;
    const block = await addEvent([{ type: 'ip-dst', value: `198.18.${String(third)}.0/24` }]);
    const ip = `198.18.${String(third)}.5`;
    const deleted = await addEvent([{ type: 'ip-src', value: ip }]);
    const attr = ((await s.call('GET', `/events/view/${deleted.id}`)).json as J).Event.Attribute[0];
    expect((await s.call('POST', `/attributes/delete/${attr.id}`)).status).toBe(200);
    const off = await addEvent([{ type: 'ip-src', value: ip, disable_correlation: true }]);
    const offEvent = await addEvent([{ type: 'ip-src', value: ip }], { disable_correlation: true });
    expect(await related(block.id)).toEqual([]);
    expect(await related(off.id)).toEqual([]);
    expect(await related(offEvent.id)).toEqual([]);
    // The event turns correlation on: its address now pairs with the block.
    const on = await s.call('POST', `/events/edit/${offEvent.id}`, { disable_correlation: false });
    expect(on.status, on.text).toBe(200);
    expect(await related(block.id)).toEqual([offEvent.id]);
    expect(await related(offEvent.id)).toEqual([block.id]);
  });
});
