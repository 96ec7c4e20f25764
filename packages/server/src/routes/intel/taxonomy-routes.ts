import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, NotFoundError } from '@waggle/errors';
import { requireSiteAdmin } from '@waggle/core';
import { saved, type RouteContext } from '../../http/context.js';
import type { IntelService, LibraryUpdateResult, TaxonomyItem } from '../../intel/index.js';
import { taxonomyIndexRow, taxonomyViewJson } from './intel-json.js';

/** MISP's `TaxonomiesController::update` message for what an update did. */
export function taxonomyUpdateMessage(changed: number, failed: number): string {
  if (changed === 0 && failed === 0) return 'All taxonomy libraries are up to date already.';
  if (changed === 0) return 'Could not update any of the taxonomy libraries';
  return `Successfully updated ${changed} taxonomy libraries.${failed > 0 ? ` However, could not update ${failed} taxonomy libraries.` : ''}`;
}

const FLAGS: ReadonlyMap<unknown, boolean> = new Map<unknown, boolean>([[true, true], [false, false], [1, true], [0, false], ['1', true], ['0', false], ['true', true], ['false', false]]);

/** The `required` flag of a toggleRequired body: `{"Taxonomy": {"required": …}}` as PyMISP sends it, or bare. */
export function requiredFlag(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InputError('Send {"Taxonomy": {"required": true|false}}', { field: 'Taxonomy.required' });
  const o = body as Record<string, unknown>;
  const inner = 'Taxonomy' in o ? o.Taxonomy : o;
  const value = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>).required : undefined;
  const flag = FLAGS.get(value);
  if (flag === undefined) throw new InputError('Taxonomy.required must be true or false', { field: 'Taxonomy.required' });
  return flag;
}

async function taxonomyOf(intel: IntelService, ref: string): Promise<TaxonomyItem> {
  const item = (await intel.taxonomies()).find(ref);
  if (item === undefined) throw new NotFoundError('Invalid taxonomy.');
  return item;
}

/** Logs what a library update did: its counts, and each problem (they are counted in the answer only once). */
export function logUpdate(request: FastifyRequest, set: string, result: LibraryUpdateResult): void {
  request.log.info({ changed: result.changed, failed: result.failed }, `${set} update`);
  for (const problem of result.problems) request.log.warn(`${set} update: ${problem}`);
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

  // MISP sets the flag from the body (PyMISP's set_taxonomy_required) and answers saveSuccess with its default message.
  app.post('/taxonomies/toggle_required/:id', async (request, reply) => {
    requireSiteAdmin(await ctx.principal(request), 'change which taxonomies are required');
    const item = await taxonomyOf(intel, (request.params as { id: string }).id);
    await intel.setRequired(item.id, requiredFlag(request.body));
    const id = String(item.id);
    return saved(reply, request, 'Taxonomy toggleRequireded', { url: `/taxonomies/toggleRequired/${id}`, id });
  });

  // MISP reads its taxonomies folder again; here: the bundled taxonomies and every folder `waggle data import` read.
  app.post('/taxonomies/update', async (request, reply) => {
    requireSiteAdmin(await ctx.principal(request), 'update taxonomies');
    const result = await intel.update('taxonomies');
    logUpdate(request, 'taxonomies', result);
    return saved(reply, request, taxonomyUpdateMessage(result.changed, result.failed));
  });
}
