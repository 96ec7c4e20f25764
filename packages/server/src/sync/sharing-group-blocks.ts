import type { MispJson, Principal, SharingGroupService } from '@waggle/core';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Embeds `SharingGroup` blocks (with organisations and servers) on an event
 * and on its distribution-4 elements, as MISP sends them, so the push rules
 * can decide membership. Returns the bare event (no `Event` wrapper).
 */
export async function embedSharingGroups(sharingGroups: SharingGroupService, actor: Principal, json: MispJson): Promise<Json> {
  const ev = isObj(json.Event) ? json.Event : json;
  const elements: Json[] = [ev];
  for (const a of (ev.Attribute as Json[] | undefined) ?? []) elements.push(a);
  for (const o of (ev.Object as Json[] | undefined) ?? []) {
    elements.push(o);
    for (const a of (o.Attribute as Json[] | undefined) ?? []) elements.push(a);
  }
  const wanted = new Set(elements.filter((e) => String(e.distribution) === '4').map((e) => Number(e.sharing_group_id)));
  const blocks = new Map<number, Json>();
  for (const id of wanted) {
    if (id === 0) continue;
    const view = (await sharingGroups.view(actor, id)) as Json;
    const head = isObj(view.SharingGroup) ? view.SharingGroup : {};
    blocks.set(id, { ...head, Organisation: view.Organisation, SharingGroupOrg: view.SharingGroupOrg, SharingGroupServer: view.SharingGroupServer });
  }
  for (const e of elements) {
    if (String(e.distribution) !== '4') continue;
    const block = blocks.get(Number(e.sharing_group_id));
    if (block !== undefined) e.SharingGroup = block;
  }
  return ev;
}
