import { createPrng, deriveSeed, type Prng } from '../core/prng.js';
import { CONTEXT_TAGS, TLP_TAGS, pickType } from '../core/type-mix.js';

const uuid = (r: Prng): string => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${r.pick(['8', '9', 'a', 'b'])}${r.hex(3)}-${r.hex(12)}`;

function tlp(r: Prng): string {
  let x = r.next();
  for (const t of TLP_TAGS) {
    x -= t.share;
    if (x < 0) return t.name;
  }
  return 'tlp:green';
}

/**
 * One synthetic event in the JSON shape `events/view` returns: the core
 * benchmark's type mix (network indicators and hashes first), ~70 % to_ids,
 * a TLP tag and 0-3 context tags (galaxies, taxonomies), every tenth
 * attribute grouped into a file object. Event `index` has its own PRNG
 * stream, so events are the same whatever the count.
 */
export function syntheticEvent(seed: number, index: number, attributes: number): { Event: Record<string, unknown> } {
  const r = createPrng(deriveSeed(seed, index));
  const time = 1_700_000_000 + index * 600;
  const flat: Record<string, unknown>[] = [];
  const objects: Record<string, unknown>[] = [];
  for (let i = 0; i < attributes; i++) {
    const spec = pickType(r);
    const attribute = { uuid: uuid(r), type: spec.type, category: undefined, value: spec.make(r), to_ids: r.chance(0.7), comment: r.chance(0.1) ? 'seen in sandbox' : '', timestamp: String(time + i), Tag: r.chance(0.05) ? [{ name: 'tlp:amber' }] : [] };
    if (i % 10 === 9) {
      objects.push({ uuid: uuid(r), name: 'file', 'meta-category': 'file', timestamp: String(time + i), Attribute: [
        { ...attribute, type: 'filename', value: `${r.hex(6)}.exe`, object_relation: 'filename' },
        { ...attribute, uuid: uuid(r), type: 'sha256', value: r.hex(64), object_relation: 'sha256' },
      ] });
    } else flat.push(attribute);
  }
  const tags = [{ name: tlp(r) }, ...Array.from({ length: r.int(0, 3) }, () => ({ name: r.pick(CONTEXT_TAGS) }))];
  return {
    Event: {
      uuid: uuid(r), info: `synthetic event ${index}`, date: '2023-11-14', timestamp: String(time), published: true, publish_timestamp: String(time + 300),
      distribution: '1', threat_level_id: '2', analysis: '2', Orgc: { uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f', name: 'BENCH' },
      Tag: [...new Map(tags.map((t) => [t.name, t])).values()], Attribute: flat, Object: objects, Galaxy: [],
    },
  };
}
