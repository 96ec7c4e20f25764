import { randomUUID } from 'node:crypto';
import { InputError } from '@waggle/errors';
import { createBackend, createEnvelopes, createFame, fameCodec, serializeEnvelope, systemRandom } from '@waggle/abe';
import { readJsonFile, readPem } from './protect-keys.js';

/*
 * A shared detector's model attachment under a CP-ABE policy: the bundle bytes are
 * sealed in a signed envelope bound to the `model` attribute's UUID, and the
 * attachment's `data` carries the envelope (base64 of its JSON). Everything else of
 * the ml-model object (framework, metrics, feature schema, sha256 of the plain
 * bundle) stays readable, so consumers see what the model is before they can use it.
 */

/** The comment that marks a protected model attachment (followed by the canonical policy). */
export const PROTECTED_MODEL_MARK = 'waggle-abe:v1 protected model under';

type Json = Record<string, unknown>;

function modelAttribute(object: Json): Json {
  const inner = (typeof object.Object === 'object' && object.Object !== null ? object.Object : object) as Json;
  const list = Array.isArray(inner.Attribute) ? (inner.Attribute as Json[]) : [];
  const model = list.find((a) => a.object_relation === 'model');
  if (model === undefined || typeof model.data !== 'string') throw new InputError('the ml-model object has no model attachment', { field: 'object' });
  return model;
}

/** True when the object's model attachment is protected (its comment carries the mark). */
export function isProtectedModel(object: unknown): boolean {
  const model = modelAttribute(object as Json);
  return typeof model.comment === 'string' && model.comment.startsWith(PROTECTED_MODEL_MARK);
}

/** Seals the model attachment of an exported object in place (returns the same object). */
export async function protectModelObject<T>(object: T, o: { publicFile: string; policy: string; signKeyFile?: string | undefined }): Promise<T> {
  const model = modelAttribute(object as Json);
  const fame = createFame({ backend: await createBackend('mcl'), random: systemRandom });
  const publicKey = fameCodec(fame.backend).decodePublicKey(readJsonFile(o.publicFile, 'public'));
  const signingKey = o.signKeyFile === undefined ? undefined : readPem(o.signKeyFile, 'sign-key', 'private').key;
  const uuid = typeof model.uuid === 'string' ? model.uuid : randomUUID();
  const envelope = createEnvelopes({ fame, random: systemRandom }).seal({ publicKey, policy: o.policy, plaintext: new Uint8Array(Buffer.from(model.data as string, 'base64')), attributeUuid: uuid, signingKey });
  model.uuid = uuid;
  model.data = Buffer.from(serializeEnvelope(envelope)).toString('base64');
  model.comment = `${PROTECTED_MODEL_MARK} ${envelope.policy}`;
  return object;
}

/** Opens a protected model attachment in place with a CP-ABE user key; a key that does not satisfy the policy is refused. */
export async function unprotectModelObject<T>(object: T, o: { keyFile: string; verifyKeyFile?: string | undefined }): Promise<T> {
  const model = modelAttribute(object as Json);
  if (typeof model.uuid !== 'string') throw new InputError('the protected model attachment has no UUID to check its binding against', { field: 'object' });
  const fame = createFame({ backend: await createBackend('mcl'), random: systemRandom });
  const secretKey = fameCodec(fame.backend).decodeSecretKey(readJsonFile(o.keyFile, 'abe-key'));
  const verifyKey = o.verifyKeyFile === undefined ? undefined : readPem(o.verifyKeyFile, 'verify-key', 'public').key;
  const envelope = Buffer.from(model.data as string, 'base64').toString('utf8');
  const opened = createEnvelopes({ fame, random: systemRandom }).open({ envelope, secretKey, verifyKey, attributeUuid: model.uuid });
  model.data = Buffer.from(opened.plaintext).toString('base64');
  delete model.comment;
  return object;
}
