import { InputError } from '@waggle/errors';
import { eventFileName, isUuid } from '../shared/feed-files.js';
import { wholeNumber, type FeedTag } from '../shared/feed-manifest.js';
import type { FeedSource } from './feed-source.js';
import { parseJson } from './read-manifest.js';

/** An attribute as a feed carries it; fields other than type and value are passed through. */
export interface FeedAttribute {
  readonly type: string;
  readonly value: string;
  readonly uuid?: string;
  readonly [field: string]: unknown;
}

/** An object as a feed carries it, with its attributes. */
export interface FeedObject {
  readonly name: string;
  readonly Attribute: readonly FeedAttribute[];
  readonly [field: string]: unknown;
}

/** The `Event` of a feed file, checked: lists are always present (possibly empty). */
export interface FeedEventBody {
  readonly uuid: string;
  readonly info: string;
  readonly timestamp: number;
  readonly Attribute: readonly FeedAttribute[];
  readonly Object: readonly FeedObject[];
  readonly Tag: readonly FeedTag[];
  readonly [field: string]: unknown;
}

/** The content of one `<uuid>.json` feed file. */
export interface FeedEvent {
  readonly Event: FeedEventBody;
}

/**
 * Reads `<uuid>.json` from the feed and checks it: `{"Event": {...}}` whose
 * uuid matches the file name, with info, timestamp, and Attribute / Object /
 * Tag lists of the right shape. A broken file is an InputError naming the file
 * and the bad field.
 */
export async function fetchFeedEvent(source: FeedSource, uuid: string): Promise<FeedEvent> {
  const name = eventFileName(uuid);
  const where = source.describe(name);
  return validateFeedEvent(parseJson(await source.readText(name), where), uuid.toLowerCase(), where);
}

type Json = Record<string, unknown>;

/** Checks parsed feed event JSON (see {@link fetchFeedEvent}). */
export function validateFeedEvent(json: unknown, uuid: string, where: string): FeedEvent {
  const fail = (problem: string): never => {
    throw new InputError(`${where}: ${problem}`);
  };
  if (!isObject(json) || !isObject(json['Event'])) return fail('expected {"Event": {...}}.');
  const event = json['Event'];
  if (!isUuid(event['uuid'])) fail('Event.uuid is not a UUID.');
  if ((event['uuid'] as string).toLowerCase() !== uuid.toLowerCase()) fail(`Event.uuid ${String(event['uuid'])} does not match the file name.`);
  if (typeof event['info'] !== 'string') fail('Event.info must be a string.');
  const timestamp = wholeNumber(event['timestamp']);
  if (timestamp === undefined) return fail('Event.timestamp must be a whole number.');
  const attributes = (value: unknown, path: string): FeedAttribute[] =>
    list(value, path, fail).map((a, i) => {
      if (typeof a['type'] !== 'string') fail(`${path}[${i}].type must be a string.`);
      if (typeof a['value'] !== 'string') fail(`${path}[${i}].value must be a string.`);
      if (a['uuid'] !== undefined && !isUuid(a['uuid'])) fail(`${path}[${i}].uuid is not a UUID.`);
      return a as FeedAttribute;
    });
  const objects = list(event['Object'], 'Event.Object', fail).map((o, i): FeedObject => {
    if (typeof o['name'] !== 'string') fail(`Event.Object[${i}].name must be a string.`);
    return { ...o, name: o['name'] as string, Attribute: attributes(o['Attribute'], `Event.Object[${i}].Attribute`) };
  });
  const tags = list(event['Tag'], 'Event.Tag', fail).map((t, i) => {
    if (typeof t['name'] !== 'string') fail(`Event.Tag[${i}].name must be a string.`);
    return t as unknown as FeedTag;
  });
  return {
    Event: {
      ...event,
      uuid: (event['uuid'] as string).toLowerCase(),
      info: event['info'] as string,
      timestamp,
      Attribute: attributes(event['Attribute'], 'Event.Attribute'),
      Object: objects,
      Tag: tags,
    },
  };
}

function list(value: unknown, path: string, fail: (problem: string) => never): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail(`${path} must be a list.`);
  return value.map((item, i) => (isObject(item) ? item : fail(`${path}[${i}] must be an object.`)));
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
