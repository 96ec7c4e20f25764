import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, NotFoundError } from '@waggle/errors';
import { requireSiteAdmin } from '@waggle/core';
import { saved, type RouteContext } from '../../http/context.js';
import type { IntelService, TaxonomyItem } from '../../intel/index.js';
import { taxonomyIndexRow, taxonomyViewJson } from './intel-json.js';

/** The message for MISP's network update endpoints: waggle imports folders instead. */
export function updateNotSupported(kind: 'taxonomies' | 'galaxies' | 'warninglists'): InputError {
  return new InputError(`waggle does not download ${kind}: run \`waggle data import ${kind} <DIR>\` with a checkout of MISP/misp-${kind === 'galaxies' ? 'galaxy' : kind}, then restart or toggle one to reload.`);
}

async function taxonomyOf(intel: IntelService, ref: string): Promise<TaxonomyItem> {
  const item = (await intel.taxonomies()).find(ref);
  if (item === undefined) throw new NotFoundError('Invalid taxonomy.');
  return item;
}

/** taxonomies/*: list and view for every user; enabling, disabling and tag creation for site admins. */
export function registerTaxonomyRoutes(app: FastifyInstance, ctx: RouteContext, intel: IntelService): void {
  const index = async (request: FastifyRequest) => {
    await ctx.principal(request);
    const [catalogue, tags] = await Promise.all([intel.taxonomies(), intel.existingTags()]);
    return catalogue.items.map((item) => taxonomyIndexRow(item, tags));
  };
  app.get('/taxonomies', index);
  app.get('/taxonomies/index', index);

  app.get('/taxonomies/view/:id', async (request) => {
    await ctx.principal(request);
    const item = await taxonomyOf(intel, (request.params as { id: string }).id);
    return taxonomyViewJson(item, await intel.existingTags(item.value.namespace));
  });

  const admin = (action: string, run: (item: TaxonomyItem) => Promise<string>) => async (request: FastifyRequest, reply: FastifyReply) => {
    requireSiteAdmin(await ctx.principal(request), action);
    const item = await taxonomyOf(intel, (request.params as { id: string }).id);
    return saved(reply, request, await run(item), { id: String(item.id) });
  };

  // Enabling also creates the taxonomy's tags, as MISP does (PyMISP's enable_taxonomy relies on it).
  app.post('/taxonomies/enable/:id', admin('enable taxonomies', async (item) => {
    await intel.setEnabled('taxonomy', item.id, true);
    await intel.createTaxonomyTags(item.value);
    return 'Taxonomy enabled';
  }));
  app.post('/taxonomies/disable/:id', admin('disable taxonomies', async (item) => {
    await intel.setEnabled('taxonomy', item.id, false);
    return 'Taxonomy disabled';
  }));
  app.post('/taxonomies/add_tag/:id', admin('create taxonomy tags', async (item) => {
    if (!item.enabled) throw new InputError(`The taxonomy ${item.value.namespace} is not enabled.`);
    const { created, updated } = await intel.createTaxonomyTags(item.value);
    return `The tag(s) has been saved (${created} created, ${updated} updated).`;
  }));
  app.post('/taxonomies/disable_tag/:id', admin('hide taxonomy tags', async (item) => `${await intel.hideTaxonomyTags(item.value)} tag(s) hidden.`));

  app.post('/taxonomies/update', async (request) => {
    requireSiteAdmin(await ctx.principal(request), 'update taxonomies');
    throw updateNotSupported('taxonomies');
  });
}
