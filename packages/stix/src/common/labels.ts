/** The MISP metadata a label can carry (`misp:type="ip-dst"`), as misp-stix writes it. */
export type MispLabelKey = 'type' | 'category' | 'to_ids' | 'name' | 'meta-category' | 'galaxy-type' | 'galaxy-name';

const KEYS: ReadonlySet<string> = new Set<MispLabelKey>(['type', 'category', 'to_ids', 'name', 'meta-category', 'galaxy-type', 'galaxy-name']);
const LABEL = /^misp:([a-z_-]+)="(.*)"$/s;

/** `misp:<key>="<value>"`. */
export function mispLabel(key: MispLabelKey, value: string): string {
  return `misp:${key}="${value}"`;
}

/**
 * Splits labels into the MISP metadata this package writes and the rest,
 * which are tags. Other `misp:` machine tags (`misp:tool="..."`) stay tags.
 */
export function splitLabels(labels: unknown): { readonly meta: ReadonlyMap<MispLabelKey, string>; readonly tags: readonly string[] } {
  const meta = new Map<MispLabelKey, string>();
  const tags: string[] = [];
  if (!Array.isArray(labels)) return { meta, tags };
  for (const label of labels) {
    if (typeof label !== 'string') continue;
    const m = LABEL.exec(label);
    if (m !== null && KEYS.has(m[1] as string) && !meta.has(m[1] as MispLabelKey)) meta.set(m[1] as MispLabelKey, m[2] as string);
    else tags.push(label);
  }
  return { meta, tags };
}
