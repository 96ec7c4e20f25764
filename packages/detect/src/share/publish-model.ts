import { InputError, NotFoundError } from '@waggle/errors';
import type { MispClient } from '@waggle/client';
import type { MlModelObject } from './ml-model-object.js';

const eventIdPattern = /^[0-9]+$|^[0-9a-f-]{36}$/i;

/**
 * Reads a shared `ml-model` object from an event on a waggle (or MISP) server:
 * the one with `objectUuid`, or the event's most recent one. The attachment's
 * content comes with it (the server keeps attachment data).
 */
export async function fetchMlModelObject(client: MispClient, eventId: string, objectUuid?: string): Promise<unknown> {
  if (!eventIdPattern.test(eventId)) throw new InputError(`invalid event id ${JSON.stringify(eventId)}`, { field: 'event' });
  const view = (await client.request('GET', `/events/view/${encodeURIComponent(eventId)}`)) as { Event?: { Object?: unknown } } | null;
  const objects = (Array.isArray(view?.Event?.Object) ? view.Event.Object : []) as { name?: unknown; uuid?: unknown; deleted?: unknown; timestamp?: unknown }[];
  const models = objects.filter((o) => o.name === 'ml-model' && o.deleted !== true && o.deleted !== '1');
  const chosen = objectUuid === undefined
    ? models.sort((a, b) => Number(a.timestamp ?? 0) - Number(b.timestamp ?? 0)).at(-1)
    : models.find((o) => typeof o.uuid === 'string' && o.uuid.toLowerCase() === objectUuid.toLowerCase());
  if (chosen === undefined) throw new NotFoundError(objectUuid === undefined ? `event ${eventId} has no ml-model object` : `event ${eventId} has no ml-model object ${objectUuid}`);
  return chosen;
}

/** Adds an exported `ml-model` object to an event on a waggle (or MISP) server; returns the new object's UUID. */
export async function publishMlModelObject(client: MispClient, eventId: string, object: MlModelObject): Promise<string> {
  if (!eventIdPattern.test(eventId)) throw new InputError(`invalid event id ${JSON.stringify(eventId)}`, { field: 'event' });
  const answer = (await client.request('POST', `/objects/add/${encodeURIComponent(eventId)}`, { Object: object })) as { Object?: { uuid?: string } } | null;
  const uuid = answer?.Object?.uuid;
  if (typeof uuid !== 'string') throw new Error('the server did not return the created object');
  return uuid;
}
