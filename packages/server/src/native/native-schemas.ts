import { ANALYSIS_STATES, THREAT_LEVELS } from './native-json.js';

/**
 * JSON Schemas of the native API: fastify validates requests with them and
 * `@fastify/swagger` turns them into the OpenAPI document, so the document
 * cannot drift from what the server accepts and answers.
 */

const nullable = (type: string): { type: string[] } => ({ type: [type, 'null'] });

const organisation = {
  type: 'object',
  required: ['id', 'uuid', 'name'],
  properties: { id: { type: 'integer' }, uuid: { type: 'string' }, name: { type: 'string' } },
} as const;

export const attributeSchema = {
  $id: 'NativeAttribute',
  type: 'object',
  required: ['id', 'uuid', 'event_id', 'type', 'category', 'value', 'to_ids', 'distribution', 'deleted', 'updated_at', 'tags'],
  properties: {
    id: { type: 'integer' },
    uuid: { type: 'string', format: 'uuid' },
    event_id: { type: 'integer' },
    object_id: nullable('integer'),
    object_relation: nullable('string'),
    type: { type: 'string', description: 'MISP attribute type, e.g. ip-dst' },
    category: { type: 'string' },
    value: { type: 'string' },
    to_ids: { type: 'boolean' },
    distribution: { type: 'integer', minimum: 0, maximum: 5 },
    sharing_group_id: nullable('integer'),
    comment: { type: 'string' },
    deleted: { type: 'boolean' },
    first_seen: nullable('string'),
    last_seen: nullable('string'),
    updated_at: { type: 'string', format: 'date-time' },
    tags: { type: 'array', items: { type: 'string' } },
  },
} as const;

const summaryProperties = {
  id: { type: 'integer' },
  uuid: { type: 'string', format: 'uuid' },
  info: { type: 'string' },
  date: { type: 'string', format: 'date' },
  threat_level: { type: 'string', enum: [...THREAT_LEVELS] },
  analysis: { type: 'string', enum: [...ANALYSIS_STATES] },
  distribution: { type: 'integer', minimum: 0, maximum: 4 },
  sharing_group_id: nullable('integer'),
  published: { type: 'boolean' },
  published_at: nullable('string'),
  updated_at: { type: 'string', format: 'date-time' },
  attribute_count: { type: 'integer' },
  org: organisation,
  creator_org: organisation,
  tags: { type: 'array', items: { type: 'string' } },
} as const;

export const eventSummarySchema = {
  $id: 'NativeEventSummary',
  type: 'object',
  required: ['id', 'uuid', 'info', 'date', 'threat_level', 'analysis', 'distribution', 'published', 'updated_at', 'org', 'creator_org', 'tags'],
  properties: summaryProperties,
} as const;

export const eventSchema = {
  $id: 'NativeEvent',
  type: 'object',
  required: [...eventSummarySchema.required, 'attributes', 'objects', 'galaxy_clusters', 'related_events'],
  properties: {
    ...summaryProperties,
    attributes: { type: 'array', items: { $ref: 'NativeAttribute#' } },
    objects: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          uuid: { type: 'string' },
          name: { type: 'string' },
          meta_category: { type: 'string' },
          template_uuid: nullable('string'),
          distribution: { type: 'integer' },
          comment: { type: 'string' },
          deleted: { type: 'boolean' },
          updated_at: { type: 'string', format: 'date-time' },
          attributes: { type: 'array', items: { $ref: 'NativeAttribute#' } },
          references: {
            type: 'array',
            items: { type: 'object', properties: { uuid: { type: 'string' }, referenced_uuid: { type: 'string' }, relationship_type: { type: 'string' }, comment: { type: 'string' } } },
          },
        },
      },
    },
    galaxy_clusters: {
      type: 'array',
      items: { type: 'object', properties: { galaxy: { type: 'string' }, value: { type: 'string' }, uuid: { type: 'string' }, tag: { type: 'string' } } },
    },
    related_events: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'integer' }, uuid: { type: 'string' }, info: { type: 'string' }, date: { type: 'string' }, creator_org: { type: 'string' } } },
    },
  },
} as const;

export const errorSchema = {
  $id: 'NativeError',
  type: 'object',
  required: ['message', 'code'],
  properties: {
    name: { type: 'string' },
    message: { type: 'string' },
    code: { type: 'string', enum: ['invalid_input', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'too_large', 'unavailable', 'internal'] },
    field: { type: 'string', description: 'the offending input field, when there is one' },
    url: { type: 'string' },
  },
} as const;

const attributeInputProperties = {
  type: { type: 'string', minLength: 1, maxLength: 100 },
  value: { type: 'string' },
  category: { type: 'string' },
  to_ids: { type: 'boolean' },
  comment: { type: 'string' },
  distribution: { type: 'integer', minimum: 0, maximum: 5 },
  sharing_group_id: { type: 'integer', minimum: 1 },
  first_seen: { type: 'string' },
  last_seen: { type: 'string' },
  disable_correlation: { type: 'boolean' },
  tags: { type: 'array', items: { type: 'string', minLength: 1 } },
} as const;

export const attributeInputSchema = {
  $id: 'NativeAttributeInput',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'value'],
  properties: attributeInputProperties,
} as const;

export const eventInputSchema = {
  $id: 'NativeEventInput',
  type: 'object',
  additionalProperties: false,
  required: ['info'],
  properties: {
    info: { type: 'string', minLength: 1 },
    date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    threat_level: { type: 'string', enum: [...THREAT_LEVELS] },
    analysis: { type: 'string', enum: [...ANALYSIS_STATES] },
    distribution: { type: 'integer', minimum: 0, maximum: 4 },
    sharing_group_id: { type: 'integer', minimum: 1 },
    published: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string', minLength: 1 } },
    attributes: { type: 'array', items: { $ref: 'NativeAttributeInput#' } },
    objects: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'attributes'],
        properties: {
          name: { type: 'string', minLength: 1 },
          comment: { type: 'string' },
          distribution: { type: 'integer', minimum: 0, maximum: 5 },
          sharing_group_id: { type: 'integer', minimum: 1 },
          attributes: {
            type: 'array',
            items: { type: 'object', additionalProperties: false, required: ['relation', 'type', 'value'], properties: { relation: { type: 'string', minLength: 1 }, ...attributeInputProperties } },
          },
        },
      },
    },
  },
} as const;

/** Every shared schema, added to the app once so routes can `$ref` them. */
export const NATIVE_SCHEMAS = [attributeSchema, eventSummarySchema, eventSchema, errorSchema, attributeInputSchema, eventInputSchema] as const;

/** A page of results. */
export function pageOf(itemRef: string): object {
  return {
    type: 'object',
    required: ['items', 'page', 'limit', 'next_page'],
    properties: {
      items: { type: 'array', items: { $ref: `${itemRef}#` } },
      page: { type: 'integer' },
      limit: { type: 'integer' },
      next_page: { ...nullable('integer'), description: 'the page to ask for next, or null on the last page' },
    },
  };
}

/** The error answers every route can give. */
export const errorResponses = {
  400: { $ref: 'NativeError#' },
  403: { $ref: 'NativeError#' },
  404: { $ref: 'NativeError#' },
} as const;
