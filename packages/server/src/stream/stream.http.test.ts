import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Reads SSE events from a streaming response until `until` says stop or the time runs out. */
async function collect(url: string, key: string, until: (events: { event: string; data: J }[]) => boolean, ms = 5000): Promise<{ event: string; data: J }[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  const out: { event: string; data: J }[] = [];
  try {
    const res = await fetch(url, { headers: { Authorization: key, Accept: 'text/event-stream' }, signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (ev !== undefined && data !== undefined) out.push({ event: ev, data: JSON.parse(data) as J });
      }
      if (until(out)) break;
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return out;
}

describe.each(testEngines())('event stream over Server-Sent Events (%s)', (engine) => {
  let s: TestServer;
  let url: string;
  beforeAll(async () => {
    s = await startTestServer(engine);
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${String((s.app.server.address() as { port: number }).port)}`;
  });
  afterAll(async () => {
    s.app.server.closeAllConnections();
    await s.close();
  });

  it('streams MISP topics, filtered by what each subscriber may see', async () => {
    const other = await addOrgUser(s, `Streamer${engine}`);
    const done = (evs: { data: J }[]): boolean => evs.some((e) => e.data.Event?.info === 'stream last');
    const adminStream = collect(`${url}/events/stream?topics=misp_json_event`, s.adminKey, done);
    const otherStream = collect(`${url}/events/stream`, other.key, done);
    await new Promise((r) => setTimeout(r, 300));
    const add = async (info: string, distribution: string, Attribute: J[]): Promise<void> => {
      expect((await s.call('POST', '/events/add', { info, distribution, Attribute })).status).toBe(200);
    };
    await add('stream secret', '0', [{ type: 'domain', value: 'secret.stream.example' }]);
    await add('stream shared', '3', [{ type: 'domain', value: 'open.stream.example' }, { type: 'domain', value: 'hidden.stream.example', distribution: '0' }]);
    await add('stream last', '3', [{ type: 'domain', value: 'last.stream.example' }]);
    const [mine, theirs] = await Promise.all([adminStream, otherStream]);
    expect(mine.map((e) => e.data.Event.info)).toEqual(['stream secret', 'stream shared', 'stream last']);
    expect(mine.every((e) => e.event === 'misp_json_event')).toBe(true);
    const infos = theirs.filter((e) => e.event === 'misp_json_event').map((e) => e.data.Event.info);
    expect(infos).toEqual(['stream shared', 'stream last']);
    const shared = theirs.find((e) => e.data.Event?.info === 'stream shared')?.data.Event;
    expect(shared.Attribute.map((a: J) => a.value)).toEqual(['open.stream.example']);
  });

  it('delivers an event published the moment the 200 arrives (subscribed before answering)', async () => {
    const ac = new AbortController();
    const res = await fetch(`${url}/events/stream?topics=misp_json_event`, { headers: { Authorization: s.adminKey }, signal: ac.signal });
    expect(res.status).toBe(200);
    expect((await s.call('POST', '/events/add', { info: 'right after open', distribution: '0' })).status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const dec = new TextDecoder();
    let text = '';
    while (!text.includes('right after open')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += dec.decode(value, { stream: true });
    }
    ac.abort();
    expect(text).toContain('"info":"right after open"');
  });

  it('resumes after Last-Event-ID with what was published while the client was away', async () => {
    /** Reads raw SSE blocks until `until` matches the text so far. */
    const read = async (headers: Record<string, string>, until: string): Promise<string> => {
      const ac = new AbortController();
      const res = await fetch(`${url}/events/stream?topics=misp_json_event`, { headers: { Authorization: s.adminKey, ...headers }, signal: ac.signal });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const dec = new TextDecoder();
      let text = '';
      const started = Date.now();
      while (!text.includes(until) && Date.now() - started < 5000) {
        const { value, done } = await reader.read();
        if (done) break;
        text += dec.decode(value, { stream: true });
      }
      ac.abort();
      return text;
    };
    const first = read({}, 'before the drop');
    await new Promise((r) => setTimeout(r, 200));
    expect((await s.call('POST', '/events/add', { info: 'before the drop', distribution: '0' })).status).toBe(200);
    const seen = await first;
    const lastId = /^id: (\d+)$/m.exec(seen.slice(0, seen.indexOf('before the drop')).split('\n\n').at(-1) ?? '')?.[1];
    expect(lastId).toMatch(/^\d+$/);
    // While no one listens, two events are added.
    for (const info of ['while away 1', 'while away 2']) expect((await s.call('POST', '/events/add', { info, distribution: '0' })).status).toBe(200);
    const resumed = await read({ 'Last-Event-ID': String(lastId) }, 'while away 2');
    expect(resumed).not.toContain('before the drop');
    expect(resumed.indexOf('while away 1')).toBeGreaterThan(-1);
    expect(resumed.indexOf('while away 1')).toBeLessThan(resumed.indexOf('while away 2'));
    // An id the bus does not know (another server's) starts from now.
    const fresh = read({ 'Last-Event-ID': 'not-a-position' }, 'after a foreign id');
    await new Promise((r) => setTimeout(r, 200));
    expect((await s.call('POST', '/events/add', { info: 'after a foreign id', distribution: '0' })).status).toBe(200);
    expect(await fresh).not.toContain('while away');
  });

  it('refuses unknown topics and unauthenticated subscribers', async () => {
    expect((await fetch(`${url}/events/stream?topics=nope`, { headers: { Authorization: s.adminKey } })).status).toBe(400);
    expect((await fetch(`${url}/events/stream`, { headers: { Authorization: 'x'.repeat(40) } })).status).toBe(403);
  });
});
