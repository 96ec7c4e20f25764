import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import { createStreamFilter, type CoreDeps } from '@waggle/core';
import { MISP_TOPICS, type BusMessage } from '@waggle/bus';
import { paramsOf, type RouteContext } from '../http/context.js';
import { shapeStreamMessage } from '../privacy/stream-privacy.js';

const HEARTBEAT_MS = 15_000;

function topicsOf(raw: unknown): Set<string> | undefined {
  if (raw === undefined || raw === '') return undefined;
  const list = String(raw).split(',').map((t) => t.trim()).filter((t) => t !== '');
  const known = new Set<string>(MISP_TOPICS);
  for (const t of list) if (!known.has(t) && !/^waggle_[a-z0-9_]+$/.test(t)) throw new InputError(`Unknown topic "${t}"; use MISP topic names such as misp_json_event`, { field: 'topics' });
  return new Set(list);
}

/** Where a reconnecting client left off: SSE's `Last-Event-ID` header (or `?lastEventId=`), a bus position. */
function resumeAfter(header: unknown, query: unknown): number | undefined {
  const raw = typeof header === 'string' && header !== '' ? header : typeof query === 'string' ? query : undefined;
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) return undefined; // an id from elsewhere: start from now
  return Number(raw.trim());
}

/**
 * `GET /events/stream`: the event stream as Server-Sent Events, one SSE event
 * per message, named after its MISP ZeroMQ topic, carrying the same JSON
 * MISP publishes, and filtered per subscriber by the API's visibility rules.
 * `?topics=misp_json_event,misp_json_attribute` narrows it. A comment line
 * every 15 s keeps proxies from closing an idle stream. Each SSE `id` is the
 * message's bus position, so a client reconnecting with `Last-Event-ID` gets
 * what was published meanwhile, as far as the bus still retains it.
 */
export function registerStreamRoutes(app: FastifyInstance, ctx: RouteContext, deps: Pick<CoreDeps, 'bus' | 'store'>): void {
  const filter = createStreamFilter({ store: deps.store });
  app.get('/events/stream', async (request, reply) => {
    const p = await ctx.principal(request);
    const topics = topicsOf(paramsOf(request).topics);
    const res = reply.raw;
    // Subscribed before the 200 goes out, so a client that saw the answer misses nothing
    // published after it; messages wait for the head, then go in arrival order even
    // though filtering is asynchronous.
    let open: () => void = () => undefined;
    let chain = new Promise<void>((resolve) => {
      open = resolve;
    });
    const send = (m: BusMessage): void => {
      if (topics !== undefined && !topics.has(m.topic)) return;
      chain = chain.then(async () => {
        const visible = await filter.visible(p.viewer, m.topic, m.payload);
        const payload = visible === undefined ? undefined : shapeStreamMessage(ctx.services.privacy, m.topic, visible, (event) => ctx.services.privacy.recipientOf(p, event));
        if (payload !== undefined && !res.destroyed) res.write(`id: ${String(m.position ?? m.id)}\nevent: ${m.topic}\ndata: ${JSON.stringify(payload)}\n\n`);
      }).catch(() => undefined);
    };
    const after = resumeAfter(request.headers['last-event-id'], paramsOf(request).lastEventId);
    const sub = await deps.bus.subscribe('*', (m) => {
      send(m);
    }, after === undefined ? {} : { after });
    reply.hijack();
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': waggle event stream\n\n');
    open();
    const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    beat.unref();
    const stop = (): void => {
      clearInterval(beat);
      void sub.unsubscribe();
    };
    request.raw.on('close', stop);
    res.on('close', stop);
  });
}
