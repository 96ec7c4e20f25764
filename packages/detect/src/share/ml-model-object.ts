import { InputError } from '@waggle/errors';
import { readManifest, type VersionFiles, type VersionManifest } from '../registry/state-files.js';
import { bundleBytes, sha256Hex, unbundle } from './model-bundle.js';

/** UUID and version of the MISP `ml-model` object template. */
export const ML_MODEL_TEMPLATE = { uuid: '5a70de61-56c7-43a1-af7c-6b61a3c535c1', version: '1' } as const;

/** One attribute of the exported object (MISP JSON). */
export interface MlModelAttribute {
  readonly object_relation: string;
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly data?: string;
  readonly to_ids: boolean;
  readonly disable_correlation: boolean;
}

/** A MISP `ml-model` object carrying a detector version. */
export interface MlModelObject {
  readonly name: 'ml-model';
  readonly 'meta-category': 'detection';
  readonly description: string;
  readonly template_uuid: string;
  readonly template_version: string;
  readonly Attribute: readonly MlModelAttribute[];
}

const attr = (relation: string, type: string, value: string, extra: Partial<MlModelAttribute> = {}): MlModelAttribute => ({
  object_relation: relation, type, category: type === 'attachment' || type === 'sha256' ? 'Payload delivery' : 'Other', value, to_ids: false, disable_correlation: relation !== 'sha256', ...extra,
});

/**
 * The shared bundle never carries training rows: the held-out and replay rows are the
 * producer's (scaled) traffic. The consumer gets empty sets, which scoring does not use
 * and which a later `update` on the consumer's side fills with its own data.
 */
function withoutTrainingRows(files: VersionFiles, manifest: VersionManifest): Map<string, Uint8Array> {
  const out = new Map(files);
  out.set('validation.bin', new Uint8Array(0));
  out.set('replay.bin', new Uint8Array(0));
  out.set('manifest.json', new TextEncoder().encode(`${JSON.stringify({ ...manifest, validationRows: 0, replayRows: 0 }, null, 1)}\n`));
  return out;
}

function trainingDescription(m: VersionManifest): string {
  return m.chunks.map((c) => `chunk ${c.id}: ${c.source}, ${c.rows} flows (${c.attacks} attacks), sha256 ${c.sha256}`).join('; ');
}

/**
 * Exports a version as a MISP `ml-model` object: the bundle as an `attachment`
 * (base64 in `data`), its sha256, framework `tensorflow.js`, the validation metrics,
 * one `features` attribute per input feature, and the data the version saw.
 */
export function exportMlModelObject(files: VersionFiles, name: string): MlModelObject {
  const manifest = readManifest(files);
  const bytes = bundleBytes(withoutTrainingRows(files, manifest));
  const schema = manifest.schema as { names?: readonly string[] };
  const o = manifest.metrics.overall;
  return {
    name: 'ml-model',
    'meta-category': 'detection',
    description: 'A trained machine-learning detection model shared as an indicator.',
    template_uuid: ML_MODEL_TEMPLATE.uuid,
    template_version: ML_MODEL_TEMPLATE.version,
    Attribute: [
      attr('name', 'text', name),
      attr('version', 'text', String(manifest.version)),
      attr('framework', 'text', 'tensorflow.js'),
      attr('created', 'datetime', manifest.created),
      attr('sha256', 'sha256', sha256Hex(bytes)),
      attr('model', 'attachment', `${name}-v${manifest.version}.waggle-model.json`, { data: Buffer.from(bytes).toString('base64') }),
      attr('metrics', 'text', JSON.stringify({ precision: o.precision, recall: o.recall, f1: o.f1, roc_auc: o.rocAuc, pr_auc: o.prAuc, threshold: manifest.metrics.threshold })),
      attr('training-data-description', 'text', trainingDescription(manifest)),
      ...(schema.names ?? []).map((f) => attr('features', 'text', f)),
    ],
  };
}

/**
 * Reads a shared `ml-model` object (bare, or wrapped as `{Object: …}`): checks the
 * framework, decodes the attachment, verifies its sha256 and returns the version files.
 */
export function importMlModelObject(value: unknown): Map<string, Uint8Array> {
  const wrapped = value as { Object?: unknown } | null;
  const o = (wrapped !== null && typeof wrapped === 'object' && 'Object' in wrapped ? wrapped.Object : value) as Partial<MlModelObject> | null;
  if (o === null || typeof o !== 'object' || o.name !== 'ml-model' || !Array.isArray(o.Attribute)) throw new InputError('not a MISP ml-model object');
  const one = (relation: string): MlModelAttribute | undefined => o.Attribute?.find((a) => a.object_relation === relation);
  const framework = one('framework')?.value;
  if (framework !== 'tensorflow.js') throw new InputError(`unsupported model framework ${JSON.stringify(framework)} (waggle runs tensorflow.js models)`);
  const model = one('model');
  const sha = one('sha256')?.value;
  if (model?.data === undefined || typeof model.data !== 'string') throw new InputError('the ml-model object has no model attachment');
  if (typeof sha !== 'string') throw new InputError('the ml-model object has no sha256');
  const bytes = new Uint8Array(Buffer.from(model.data, 'base64'));
  const actual = sha256Hex(bytes);
  if (actual !== sha.toLowerCase()) throw new InputError(`model attachment sha256 mismatch: object says ${sha}, attachment is ${actual}`);
  const files = unbundle(bytes);
  readManifest(files);
  return files;
}
