import type { FastifyInstance } from 'fastify';
import { InputError } from '@waggle/errors';
import { isUuidString, optBool, optInt, optString, reqString } from '@waggle/core';
import { bodyOf, paramsOf, saved, type RouteContext } from '../http/context.js';

/** Tag endpoints (tag list administration and tagging of events and attributes). */
export function registerTagRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { tags } = ctx.services;

  app.get('/tags/index', async (request) => {
    await ctx.principal(request);
    const q = paramsOf(request);
    const search = q.searchall ?? q.search;
    return { Tag: await tags.list(search === undefined || search === '' ? undefined : `%${search}%`) };
  });

  app.get('/tags/view/:id', async (request) => {
    await ctx.principal(request);
    return tags.view((request.params as { id: string }).id);
  });

  app.post('/tags/add', async (request) => {
    const p = await ctx.principal(request);
    const body = bodyOf(request);
    const t = (body.Tag ?? body) as Record<string, unknown>;
    const name = reqString(t.name, 'Tag.name', 255);
    const existing = await tags.view(name).catch(() => undefined);
    // MISP answers an existing name with the existing tag.
    if (existing !== undefined) return { Tag: existing };
    const colour = optString(t.colour, 'Tag.colour', 7);
    const exportable = optBool(t.exportable, 'Tag.exportable');
    const hide = optBool(t.hide_tag, 'Tag.hide_tag');
    const local = optBool(t.local_only, 'Tag.local_only');
    const numerical = optInt(t.numerical_value, 'Tag.numerical_value');
    // MISP's tag restrictions: only that organisation's users (or that user) may attach the tag; 0 is anyone.
    const orgId = optInt(t.org_id, 'Tag.org_id', 0);
    const userId = optInt(t.user_id, 'Tag.user_id', 0);
    return {
      Tag: await tags.add(p, {
        name,
        ...(colour !== undefined ? { colour } : {}),
        ...(exportable !== undefined ? { exportable } : {}),
        ...(hide !== undefined ? { hide_tag: hide } : {}),
        ...(local !== undefined ? { local } : {}),
        ...(numerical !== undefined ? { numerical_value: numerical } : {}),
        ...(orgId !== undefined ? { org_id: orgId } : {}),
        ...(userId !== undefined ? { user_id: userId } : {}),
      }),
    };
  });

  app.post('/tags/edit/:id', async (request) => {
    const p = await ctx.principal(request);
    const body = bodyOf(request);
    const t = (body.Tag ?? body) as Record<string, unknown>;
    const patch: Record<string, unknown> = {};
    const name = optString(t.name, 'Tag.name', 255);
    if (name !== undefined) patch.name = name;
    const colour = optString(t.colour, 'Tag.colour', 7);
    if (colour !== undefined) patch.colour = colour;
    for (const k of ['exportable', 'hide_tag', 'local_only'] as const) {
      const v = optBool(t[k], `Tag.${k}`);
      if (v !== undefined) patch[k] = v;
    }
    if ('numerical_value' in t) patch.numerical_value = optInt(t.numerical_value, 'Tag.numerical_value') ?? null;
    for (const k of ['org_id', 'user_id'] as const) {
      const v = optInt(t[k], `Tag.${k}`, 0);
      if (v !== undefined) patch[k] = v;
    }
    return { Tag: await tags.edit(p, (request.params as { id: string }).id, patch) };
  });

  app.post('/tags/delete/:id', async (request, reply) => {
    const p = await ctx.principal(request);
    await tags.delete(p, (request.params as { id: string }).id);
    return saved(reply, request, 'Tag deleted.');
  });

  const targetOf = (body: Record<string, unknown>): { uuid: string; tag: string; local: boolean } => {
    const uuid = reqString(body.uuid, 'uuid');
    if (!isUuidString(uuid)) throw new InputError('uuid must be the UUID of an event or attribute', { field: 'uuid' });
    const tag = reqString(body.tag, 'tag', 255);
    return { uuid: uuid.toLowerCase(), tag, local: optBool(body.local, 'local') ?? false };
  };

  app.post('/tags/attach_tag_to_object', async (request, reply) => {
    const p = await ctx.principal(request);
    const t = targetOf(bodyOf(request));
    const { added, tag, target } = await tags.attach(p, t.uuid, t.tag, t.local);
    const kind = t.local ? 'Local' : 'Global';
    // MISP's TagsController::attachTagToObject wording; PyMISP's tests look for "(<id>)" in it.
    return saved(reply, request, added
      ? `${kind} tag ${tag.name}(${tag.id}) successfully attached to ${target.model}(${target.id}).`
      : `${target.model} already has the requested tag attached, no changes had to be made for tag ${tag.name}.`);
  });

  app.post('/tags/remove_tag_from_object', async (request, reply) => {
    const p = await ctx.principal(request);
    const t = targetOf(bodyOf(request));
    const { removed, tag, local, target } = await tags.detach(p, t.uuid, t.tag);
    if (!removed) {
      const message = `Could not remove tag as it is not attached to the target ${target.model}`;
      return reply.status(404).send({ name: message, message, url: request.url, code: 'not_found' });
    }
    // MISP's TagsController::removeTagFromObject wording (PyMISP's tests match its end).
    return saved(reply, request, `${local ? 'Local' : 'Global'} tag ${tag.name} (${tag.id}) successfully removed from ${target.model}(${target.id}).`);
  });
}
