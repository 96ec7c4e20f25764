import { InputError } from '@waggle/errors';
import type { MispClient } from '@waggle/client';
import type { MlModelObject } from './ml-model-object.js';

/** Adds an exported `ml-model` object to an event on a waggle (or MISP) server; returns the new object's UUID. */
export async function publishMlModelObject(client: MispClient, eventId: string, object: MlModelObject): Promise<string> {
  if (!/^[0-9]+$|^[0-9a-f-]{36}$/i.test(eventId)) throw new InputError(`invalid event id ${JSON.stringify(eventId)}`, { field: 'event' });
  const answer = (await client.request('POST', `/objects/add/${encodeURIComponent(eventId)}`, { Object: object })) as { Object?: { uuid?: string } } | null;
  const uuid = answer?.Object?.uuid;
  if (typeof uuid !== 'string') throw new Error('the server did not return the created object');
  return uuid;
}
