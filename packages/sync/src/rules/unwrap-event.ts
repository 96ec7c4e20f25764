import { isJsonObject, type MispEventJson } from '../model/misp-json.js';

/** The bare event from `{"Event": {…}}` or a bare event; undefined when there is no string uuid. */
export function unwrapEvent(json: unknown): MispEventJson | undefined {
  const inner = isJsonObject(json) && isJsonObject(json.Event) ? json.Event : json;
  if (!isJsonObject(inner) || typeof inner.uuid !== 'string' || inner.uuid === '') return undefined;
  return inner as MispEventJson;
}
