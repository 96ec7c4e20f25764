import type { GalaxyClusterService, MispJson, Principal } from '@waggle/core';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);

/**
 * Adds organisations' own clusters to the `Galaxy` arrays of an event view,
 * beside the data-set ones: each `misp-galaxy:` tag that names a custom
 * cluster the viewer may see brings that cluster, grouped by galaxy, with the
 * tag's id and locality (as MISP shows every cluster).
 */
export async function addCustomClusterGalaxies(clusters: GalaxyClusterService, p: Principal, event: Json): Promise<void> {
  const elements = [event, ...list(event.Attribute), ...list(event.Object).flatMap((o) => list(o.Attribute))];
  const names = new Set<string>();
  for (const e of elements) for (const t of list(e.Tag)) if (typeof t.name === 'string' && t.name.startsWith('misp-galaxy:')) names.add(t.name);
  if (names.size === 0) return;
  const byTag = new Map<string, MispJson>();
  for (const row of await clusters.forTags(p, [...names])) {
    const c = row.GalaxyCluster as MispJson;
    byTag.set(String(c.tag_name), c);
  }
  if (byTag.size === 0) return;
  for (const e of elements) {
    const groups = list(e.Galaxy);
    for (const t of list(e.Tag)) {
      const c = byTag.get(String(t.name));
      if (c === undefined) continue;
      const galaxy = c.Galaxy as { uuid: string; type: string };
      let group = groups.find((g) => g.type === galaxy.type);
      if (group === undefined) {
        group = { id: null, uuid: galaxy.uuid, name: galaxy.type, type: galaxy.type, description: '', namespace: 'misp', GalaxyCluster: [] };
        groups.push(group);
      }
      const already = list(group.GalaxyCluster).some((x) => x.tag_name === c.tag_name);
      if (!already) (group.GalaxyCluster as Json[]).push({ ...c, tag_id: String(t.id ?? ''), local: t.local === 1 || t.local === true, relationship_type: false });
    }
    if (groups.length > 0) e.Galaxy = groups;
  }
}
