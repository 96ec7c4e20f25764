import { InputError, NotFoundError } from '@waggle/errors';
import type { MispClient } from '@waggle/client';
import { readFindingObject, type FindingObject } from '../object/object-to-finding.js';

/** The tag put on a finding's `verified` attribute for each verdict. */
export const VERDICT_TAGS = { truePositive: 'waggle:verdict="true-positive"', falsePositive: 'waggle:verdict="false-positive"' } as const;

/** Who decided and why. */
export interface VerdictOptions {
  readonly analyst: string;
  readonly comment?: string;
}

/** The verdict as stored. */
export interface VerdictResult {
  readonly objectUuid: string;
  readonly eventId: string;
  readonly verified: boolean;
  /** UUID of the object's `verified` attribute, which carries the tag and the comment. */
  readonly attributeUuid: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks an object reference (UUID or numeric id) before it goes into a URL. */
export function validateObjectRef(ref: string): string {
  if (typeof ref !== 'string' || !(UUID.test(ref) || /^\d{1,18}$/.test(ref))) throw new InputError(`finding must be an object UUID or numeric id (got ${JSON.stringify(ref)})`, { field: 'object' });
  return ref;
}

/** Reads a finding object from the server; `NotFoundError` when absent, `InputError` when not a security-event. */
export async function fetchFindingObject(client: MispClient, ref: string): Promise<FindingObject> {
  return readFindingObject(await client.request('GET', `/objects/view/${validateObjectRef(ref)}`));
}

function verdictComment(verified: boolean, options: VerdictOptions): string {
  const analyst = options.analyst.trim();
  if (analyst === '' || analyst.length > 128 || /[\r\n]/.test(analyst)) throw new InputError('analyst must be a one-line name of 1-128 characters', { field: 'analyst' });
  if (options.comment !== undefined && options.comment.length > 4000) throw new InputError('comment is longer than 4000 characters', { field: 'comment' });
  const comment = options.comment?.trim() ?? '';
  return `${verified ? 'true-positive' : 'false-positive'} by ${analyst}${comment === '' ? '' : `: ${comment}`}`;
}

/**
 * Records an analyst's verdict on a finding (object UUID or id): sets the
 * object's `verified` attribute to "1" (true positive) or "0" (false
 * positive), adding it when missing, with `"<verdict> by <analyst>: <comment>"`
 * as its comment, tags that attribute `waggle:verdict="true-positive"` or
 * `"false-positive"` and removes the opposite tag, so a changed mind leaves one
 * verdict. Everything is checked before the first write. Setting the same
 * verdict twice is harmless.
 */
export async function setVerdict(client: MispClient, ref: string, verified: boolean, options: VerdictOptions): Promise<VerdictResult> {
  validateObjectRef(ref);
  if (typeof verified !== 'boolean') throw new InputError('verified must be true or false', { field: 'verified' });
  const comment = verdictComment(verified, options);
  const found = await fetchFindingObject(client, ref);
  const value = verified ? '1' : '0';
  let attribute = found.attributes.get('verified')?.[0];
  if (attribute?.id !== undefined) {
    await client.request('POST', `/attributes/edit/${attribute.id}`, { value, comment });
  } else {
    const edited = await client.request('POST', `/objects/edit/${String(found.objectId)}`, { Attribute: [{ object_relation: 'verified', type: 'boolean', category: 'Other', value, comment, to_ids: false, disable_correlation: true }] });
    attribute = readFindingObject(edited).attributes.get('verified')?.[0];
  }
  const attributeUuid = attribute?.uuid;
  if (attributeUuid === undefined || found.objectUuid === undefined || found.eventId === undefined) throw new NotFoundError(`the verified attribute of finding ${ref} could not be read back`);
  const [add, remove] = verified ? [VERDICT_TAGS.truePositive, VERDICT_TAGS.falsePositive] : [VERDICT_TAGS.falsePositive, VERDICT_TAGS.truePositive];
  await client.request('POST', '/tags/attach_tag_to_object', { uuid: attributeUuid, tag: add });
  try {
    await client.request('POST', '/tags/remove_tag_from_object', { uuid: attributeUuid, tag: remove });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  return { objectUuid: found.objectUuid, eventId: found.eventId, verified, attributeUuid };
}
