import type { FastifyReply, FastifyRequest } from 'fastify';
import { InputError } from '@waggle/errors';
import { attributeValue, type AttributeRecord } from '@waggle/core';
import { bodyOf, isPolicyRecipient, paramsOf, type RouteContext } from '../http/context.js';
import { DEFAULT_CSV_COLUMNS, csvField, csvRow } from './csv.js';
import { parseSearch, type SearchOutputOptions } from './parse-filters.js';
import { jsonArray, sendStream } from './stream.js';
import { rateLimitHeaders } from '../http/search-rate-limit.js';
import { warninglistStage } from './warninglist-stage.js';
import { sendStixSearch } from '../stix/stix-search.js';

type Scope = 'events' | 'attributes' | 'objects';

const FORMATS = new Set(['json', 'csv', 'text', 'txt', 'stix2']);

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

async function* eventBatches(it: AsyncIterable<Record<string, unknown>>): AsyncIterable<unknown[]> {
  for await (const e of it) yield [{ Event: e }];
}

/** restSearch for events, attributes and objects, in json, csv or text, streamed. */
export async function sendSearch(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply, scope: Scope): Promise<FastifyReply> {
  const p = await ctx.principal(request);
  const params = paramsOf(request);
  const body = { ...params, ...bodyOf(request) };
  if (params.format !== undefined) body.returnFormat = params.format;
  const parsed = parseSearch(body, Math.floor(Date.now() / 1000), scope);
  const { output } = parsed;
  // MISP's attributes/restSearch reads a scalar `deleted: 1` as "soft-deleted only" ([0, 1] is both);
  // events keep the events/view meaning (1 = live and deleted).
  const filters = scope === 'attributes' && parsed.filters.deleted === 'both' && !Array.isArray(body.deleted) ? { ...parsed.filters, deleted: true } : parsed.filters;
  if (!FORMATS.has(output.returnFormat)) {
    throw new InputError(`returnFormat "${output.returnFormat}" is not supported; use json, csv, text or stix2`, { field: 'returnFormat' });
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
  if (scope === 'attributes') {
    const batches = attributes.search(p, filters, {
      includeCorrelations: output.includeCorrelations,
      includeEventUuid: output.includeEventUuid,
      includeEventTags: output.includeEventTags,
      includeSightings: output.includeSightings,
    });
    return sendStream(reply, 'application/json; charset=utf-8', jsonArray('{"response":{"Attribute":[', wl.attributes(batches), ']}}'));
  }
  if (scope === 'objects') {
    const list = (await objects.search(p, filters)).map((o) => ({ Object: o }));
    return reply.send({ response: list });
  }
  // Recipients of an anonymisation policy get no analyst data (free text), as in event views.
  const analystData = output.includeAnalystData && !isPolicyRecipient(ctx, p);
  // `deleted` (1 or [0, 1]) also brings the soft-deleted attributes and objects into the events, as in MISP.
  const includeDeleted = filters.deleted === 'both' || filters.deleted === true;
  const it = events.search(p, filters, { metadata: output.metadata, includeCorrelations: output.includeCorrelations, includeSightings: output.includeSightings, includeAnalystData: analystData, includeDeleted });
  return sendStream(reply, 'application/json; charset=utf-8', jsonArray('{"response":[', eventBatches(wl.events(it)), ']}'));
}
