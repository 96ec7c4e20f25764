import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import { parseAttribute, parseAttributeEdit, type AttributeInput, type MispJson, type Principal } from '@waggle/core';
import { answerHead, bodyOf, isTruthy, paramsOf, type RouteContext } from '../http/context.js';
import { sendSearch } from '../search/send-search.js';
import { registerAttributeIndexRoute } from './attribute-index.js';

/** attributes/add bodies: one attribute, a list, `{"Attribute": …}`, or one attribute whose value is a list (MISP batch mode). */
function attributeItems(body: unknown): { items: unknown[]; asList: boolean } {
  let raw: unknown = body;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'Attribute' in raw) raw = (raw as { Attribute: unknown }).Attribute;
  if (Array.isArray(raw)) return { items: raw, asList: raw.length !== 1 };
  if (typeof raw === 'object' && raw !== null && Array.isArray((raw as { value?: unknown }).value)) {
    const values = (raw as { value: unknown[] }).value;
    return { items: values.map((v) => ({ ...(raw as object), value: v })), asList: values.length !== 1 };
  }
  return { items: [raw], asList: false };
}

/** MISP's per-entry error of a list add: `{"<field>": ["message"]}`. */
function entryError(e: InputError): Record<string, string[]> {
  const field = typeof e.details.field === 'string' ? e.details.field.replace(/^Attribute(\[[0-9]+\])?\.?/, '') : '';
  return { [field === '' ? 'value' : field]: [e.message] };
}

/**
 * A list add as MISP does it: the valid entries are saved, the others are reported
 * in `errors` keyed `attribute_<index>` (PyMISP reads `Attribute` and copies `errors`).
 * One transaction when every entry is valid; entry by entry otherwise.
 */
export async function addList(ctx: RouteContext, p: Principal, eventId: string, items: readonly unknown[], opts: { breakOnDuplicate: boolean }): Promise<{ saved: MispJson[]; errors: Record<string, Record<string, string[]>> }> {
  const errors: Record<string, Record<string, string[]>> = {};
  const parsed: { index: number; input: AttributeInput }[] = [];
  items.forEach((item, index) => {
    try {
      parsed.push({ index, input: parseAttribute(item, `Attribute[${index}]`) });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors[`attribute_${index}`] = entryError(e);
    }
  });
  if (parsed.length === 0) return { saved: [], errors };
  try {
    return { saved: await ctx.services.attributes.add(p, eventId, parsed.map((x) => x.input), opts), errors };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
  }
  const saved: MispJson[] = [];
  for (const { index, input } of parsed) {
    try {
      saved.push(...(await ctx.services.attributes.add(p, eventId, [input], opts)));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors[`attribute_${index}`] = entryError(e);
    }
  }
  return { saved, errors };
}

/** Attribute endpoints. */
export function registerAttributeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerAttributeIndexRoute(app, ctx);
  const { attributes } = ctx.services;

  app.post('/attributes/add/:eventId', async (request, reply) => {
    const p = await ctx.principal(request);
    const eventId = (request.params as { eventId: string }).eventId;
    const { items, asList } = attributeItems(request.body);
    if (items.length === 0) throw new InputError('No attribute given', { field: 'Attribute' });
    // MISP refuses an attribute equal to one already in the event unless the call says `/breakOnDuplicate:0`.
    const opts = { breakOnDuplicate: !['0', 'false'].includes(String(paramsOf(request).breakOnDuplicate ?? '1').toLowerCase()) };
    if (!asList) {
      try {
        return { Attribute: (await attributes.add(p, eventId, [parseAttribute(items[0], 'Attribute')], opts))[0] };
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        // MISP's saveFailResponse keys the reasons by field (`{"value": ["A similar attribute already exists
        // for this event."]}`): PyMISP's test_attribute reads r['errors'][1]['errors']['value'][0].
        const field = typeof e.details.field === 'string' ? e.details.field : undefined;
        return reply.status(400).send({ name: e.message, message: e.message, url: request.url, code: e.code, ...(field !== undefined ? { field } : {}), errors: entryError(e) });
      }
    }
    const { saved, errors } = await addList(ctx, p, eventId, items, opts);
    const failed = Object.keys(errors);
    if (saved.length === 0) {
      throw new InputError(`Could not add Attributes: ${failed.map((k) => `${k}: ${Object.values(errors[k] ?? {}).flat().join(' ')}`).join('; ')}`, { field: 'Attribute' });
    }
    return failed.length === 0 ? { Attribute: saved } : { Attribute: saved, errors };
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
      const { patch, tags } = parseAttributeEdit(inner, 'Attribute');
      return { Attribute: await attributes.edit(p, (request.params as { id: string }).id, { ...patch, tags }) };
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
