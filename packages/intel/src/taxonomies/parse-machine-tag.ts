/** The parts of a machine tag: `namespace:predicate` or `namespace:predicate="value"`. */
export interface MachineTag {
  readonly namespace: string;
  readonly predicate: string;
  readonly value?: string;
}

// MISP's own pattern (Taxonomy::splitTagToComponents): a tag that does not fit
// it is a plain tag for every taxonomy rule, even if a taxonomy defines it.
const MACHINE_TAG = /^([^:="]+):([^:="]+)(?:="([^"]+)")?$/;

/** Splits a machine tag the way MISP does; undefined for plain tags (e.g. `tlp:ex:chr`, `malware`). */
export function parseMachineTag(name: string): MachineTag | undefined {
  const match = MACHINE_TAG.exec(name);
  if (match === null) return undefined;
  const [, namespace = '', predicate = '', value] = match;
  return value === undefined ? { namespace, predicate } : { namespace, predicate, value };
}
