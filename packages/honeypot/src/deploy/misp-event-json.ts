/** The parts of a MISP event (JSON, as the REST API and the event stream carry it) the planner reads. */
export interface MispEventJson {
  id?: string | number;
  uuid?: string;
  info?: string;
  timestamp?: string | number;
  Tag?: MispTagJson[];
  Attribute?: MispAttributeJson[];
  Object?: MispObjectJson[];
  Galaxy?: { type?: string; GalaxyCluster?: { value?: string; tag_name?: string }[] }[];
}

/** A tag reference. */
export interface MispTagJson {
  name?: string;
}

/** An attribute. */
export interface MispAttributeJson {
  type?: string;
  value?: string;
  object_relation?: string | null;
  Tag?: MispTagJson[];
  Sighting?: unknown[];
}

/** An object with its attributes. */
export interface MispObjectJson {
  name?: string;
  Attribute?: MispAttributeJson[];
}

/** Accepts `{ Event: {...} }` (REST, stream) or a bare event. */
export function unwrapEvent(json: unknown): MispEventJson {
  if (typeof json !== 'object' || json === null) return {};
  const o = json as { Event?: unknown };
  return (typeof o.Event === 'object' && o.Event !== null ? o.Event : json) as MispEventJson;
}
