import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import { parseAttribute, type AttributeInput } from '@waggle/core';
import { answerHead, bodyOf, isTruthy, paramsOf, type RouteContext } from '../http/context.js';
import { sendSearch } from '../search/send-search.js';

/** attributes/add bodies: one attribute, a list, `{"Attribute": …}`, or one attribute whose value is a list (MISP batch mode). */
function attributeInputs(body: unknown): { inputs: AttributeInput[]; asList: boolean } {
  let raw: unknown = body;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'Attribute' in raw) raw = (raw as { Attribute: unknown }).Attribute;
  if (Array.isArray(raw)) return { inputs: raw.map((a, i) => parseAttribute(a, `Attribute[${i}]`)), asList: raw.length !== 1 };
  if (typeof raw === 'object' && raw !== null && Array.isArray((raw as { value?: unknown }).value)) {
    const values = (raw as { value: unknown[] }).value;
    return { inputs: values.map((v, i) => parseAttribute({ ...(raw as object), value: v }, `Attribute[${i}]`)), asList: values.length !== 1 };
  }
  return { inputs: [parseAttribute(raw, 'Attribute')], asList: false };
}

/** Attribute endpoints. */
export function registerAttributeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { attributes } = ctx.services;

  app.post('/attributes/add/:eventId', async (request) => {
    const p = await ctx.principal(request);
    const { inputs, asList } = attributeInputs(request.body);
    if (inputs.length === 0) throw new InputError('No attribute given', { field: 'Attribute' });
    const saved = await attributes.add(p, (request.params as { eventId: string }).eventId, inputs);
    return asList ? { Attribute: saved } : { Attribute: saved[0] };
  });

  app.get('/attributes/view/:id', async (request) => {
    const p = await ctx.principal(request);
    return { Attribute: await attributes.view(p, (request.params as { id: string }).id) };
  });
  app.head('/attributes/view/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    return answerHead(reply, () => attributes.view(p, (request.params as { id: string }).id));
  });

  app.route({
    method: ['POST', 'PUT'],
    url: '/attributes/edit/:id',
    handler: async (request) => {
      const p = await ctx.principal(request);
      const body = bodyOf(request);
      const inner = (body.Attribute ?? body) as Record<string, unknown>;
      // Edits may leave out type and value; parse with placeholders, then keep only what was sent.
      const parsed = parseAttribute({ type: 'text', value: 'x', ...inner }, 'Attribute');
      const patch: Partial<AttributeInput> = {};
      for (const k of Object.keys(parsed) as (keyof AttributeInput)[]) {
        if (k === 'tags' || k in inner) (patch as Record<string, unknown>)[k] = parsed[k];
      }
      return { Attribute: await attributes.edit(p, (request.params as { id: string }).id, patch) };
    },
  });

  app.route({
    method: ['POST', 'DELETE', 'GET'],
    url: '/attributes/delete/:id',
    handler: async (request) => {
      const p = await ctx.principal(request);
      const o = { ...paramsOf(request), ...bodyOf(request) };
      await attributes.delete(p, (request.params as { id: string }).id, isTruthy(o.hard));
      return { message: 'Attribute deleted.' };
    },
  });
  app.post('/attributes/delete/:id/:hard', async (request) => {
    const p = await ctx.principal(request);
    const params = request.params as { id: string; hard: string };
    await attributes.delete(p, params.id, isTruthy(params.hard));
    return { message: 'Attribute deleted.' };
  });

  for (const url of ['/attributes/rest_search', '/attributes/rest_search/:format']) {
    app.route({ method: ['GET', 'POST'], url, handler: async (request, reply) => sendSearch(ctx, request, reply, 'attributes') });
  }
}
