import type { FastifyReply, FastifyRequest } from 'fastify';
import { InputError } from '@waggle/errors';
import { attributeValue, type AttributeRecord } from '@waggle/core';
import { bodyOf, isPolicyRecipient, paramsOf, type RouteContext } from '../http/context.js';
import { DEFAULT_CSV_COLUMNS, csvField, csvRow } from './csv.js';
import { attributesWithoutData, eventsWithoutData } from './attachment-data.js';
import { parseSearch, type SearchOutputOptions } from './parse-filters.js';
import { jsonArray, sendStream } from './stream.js';
import { rateLimitHeaders } from '../http/search-rate-limit.js';
import { warninglistStage } from './warninglist-stage.js';
import { sendStixSearch } from '../stix/stix-search.js';
import { nidsHeader, nidsRules, type NidsOptions } from './nids.js';

type Scope = 'events' | 'attributes' | 'objects';

const FORMATS = new Set(['json', 'csv', 'text', 'txt', 'stix2', 'suricata', 'snort']);

async function* csvLines(ctx: RouteContext, batches: AsyncIterable<AttributeRecord[]>, out: SearchOutputOptions): AsyncIterable<string> {
  const columns = out.requestedAttributes ?? DEFAULT_CSV_COLUMNS;
  if (!out.headerless) yield `${columns.map(csvField).join(',')}\n`;
  for await (const batch of batches) {
    const context = await ctx.services.attributes.exportContext(batch);
    let chunk = '';
    for (const a of batch) {
      const c = context.get(a.id);
      chunk += `${csvRow(a, { tags: (c?.tags ?? []).join(','), ...(c?.object !== undefined ? { object: c.object } : {}) }, columns)}\n`;
    }
    yield chunk;
  }
}

/** MISP's text export: each value once, one a line, in the order first found. */
async function* textLines(batches: AsyncIterable<AttributeRecord[]>): AsyncIterable<string> {
  const seen = new Set<string>();
  for await (const batch of batches) {
    let chunk = '';
    for (const a of batch) {
      const value = attributeValue(a);
      if (seen.has(value)) continue;
      seen.add(value);
      chunk += `${value}\n`;
    }
    if (chunk !== '') yield chunk;
  }
}

/** MISP's NIDS export: the header, then each attribute's rules. */
async function* nidsLines(ctx: RouteContext, batches: AsyncIterable<AttributeRecord[]>, options: NidsOptions): AsyncIterable<string> {
  yield `${nidsHeader(options.format)}\n`;
  for await (const batch of batches) {
    const context = await ctx.services.attributes.idsContext(batch);
    let chunk = '';
    for (const a of batch) {
      const c = context.get(a.id);
      if (c !== undefined) for (const rule of nidsRules(a, c, options)) chunk += `${rule}\n`;
    }
    if (chunk !== '') yield chunk;
  }
}

async function* eventBatches(it: AsyncIterable<Record<string, unknown>>): AsyncIterable<unknown[]> {
  for await (const e of it) yield [{ Event: e }];
}

/** restSearch for events, attributes and objects, in json, csv or text, streamed. */
export async function sendSearch(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply, scope: Scope): Promise<FastifyReply> {
  const p = await ctx.principal(request);
  const params = paramsOf(request);
  // The caller's default_restsearch_parameters user setting fills in filters the request does not give.
  const body = { ...(await ctx.services.admin.userSettings.restSearchDefaults(p)), ...params, ...bodyOf(request) };
  if (params.format !== undefined) body.returnFormat = params.format;
  const parsed = parseSearch(body, Math.floor(Date.now() / 1000), scope);
  const { output } = parsed;
  // MISP's restSearch reads a scalar `deleted: 1` as "soft-deleted only" ([0, 1] is both): attributes by
  // `set_filter_deleted`, events by fetchEvent's conditions on their attributes and objects.
  const filters = scope !== 'objects' && parsed.filters.deleted === 'both' && !Array.isArray(body.deleted) ? { ...parsed.filters, deleted: true } : parsed.filters;
  if (!FORMATS.has(output.returnFormat)) {
    throw new InputError(`returnFormat "${output.returnFormat}" is not supported; use json, csv, text, stix2, suricata or snort`, { field: 'returnFormat' });
  }
  // MISP limits events and attributes restSearch per user for roles that enforce it.
  if (scope !== 'objects') {
    const allowance = ctx.searchRateLimit.take(p);
    if (allowance !== undefined) void reply.headers(rateLimitHeaders(allowance));
  }
  const { attributes, events, objects } = ctx.services;
  if (output.returnFormat === 'stix2') return sendStixSearch(ctx.services, p, filters, scope, reply);
  const wl = await warninglistStage(ctx, output);
  if (output.returnFormat === 'csv') {
    return sendStream(reply, 'text/csv; charset=utf-8', csvLines(ctx, wl.records(attributes.searchRecords(p, filters)), output));
  }
  if (output.returnFormat === 'text' || output.returnFormat === 'txt') {
    return sendStream(reply, 'text/plain; charset=utf-8', textLines(wl.records(attributes.searchRecords(p, filters))));
  }
  if (output.returnFormat === 'suricata' || output.returnFormat === 'snort') {
    // MISP numbers the rules from the caller's nids_sid and links them to the event view on its base URL.
    const host = request.headers.host ?? '127.0.0.1';
    const options = { format: output.returnFormat, sidBase: p.user.nids_sid, baseUrl: `${request.protocol}://${host}` } as const;
    return sendStream(reply, 'text/plain; charset=utf-8', nidsLines(ctx, wl.records(attributes.searchRecords(p, filters)), options));
  }
  if (scope === 'attributes') {
    const batches = attributes.search(p, filters, {
      includeCorrelations: output.includeCorrelations,
      includeEventUuid: output.includeEventUuid,
      includeEventTags: output.includeEventTags,
      includeSightings: output.includeSightings,
    });
    const shown = output.withAttachments ? batches : attributesWithoutData(batches);
    return sendStream(reply, 'application/json; charset=utf-8', jsonArray('{"response":{"Attribute":[', wl.attributes(shown), ']}}'));
  }
  if (scope === 'objects') {
    const list = (await objects.search(p, filters)).map((o) => ({ Object: o }));
    return reply.send({ response: list });
  }
  // Recipients of an anonymisation policy get no analyst data (free text), as in event views.
  const analystData = output.includeAnalystData && !isPolicyRecipient(ctx, p);
  // `deleted` brings the soft-deleted attributes and objects into the events: with live ones for [0, 1],
  // alone for 1 (core's events.search keeps only those), as in MISP.
  const includeDeleted = filters.deleted === 'both' || filters.deleted === true;
  const it = events.search(p, filters, { metadata: output.metadata, includeCorrelations: output.includeCorrelations, includeSightings: output.includeSightings, includeAnalystData: analystData, includeDeleted });
  const shown = output.withAttachments ? it : eventsWithoutData(it);
  return sendStream(reply, 'application/json; charset=utf-8', jsonArray('{"response":[', eventBatches(wl.events(shown)), ']}'));
}
