import { describe, expect, it } from 'vitest';
import { forStockMisp } from './for-stock-misp.js';

const ENVELOPE = 'waggle-abe:v1:{"v":1,"policy":"role:CERT","abe":"x","iv":"y","ct":"z"}';
const TOKEN = `waggle-bt:v1:${'ab'.repeat(32)}|${ENVELOPE}`;

describe('protected attributes pushed to a stock MISP', () => {
  const event = (): Record<string, unknown> => ({
    Event: {
      uuid: '5f0c5b3c-1111-4c3a-9a53-6c1a8d1e0001',
      info: ENVELOPE,
      Attribute: [
        { uuid: 'a1', type: 'ip-dst', category: 'Network activity', value: TOKEN, to_ids: true, Tag: [{ name: 'waggle:protected' }] },
        { uuid: 'a2', type: 'ip-dst', category: 'Network activity', value: '198.51.100.7' },
        { uuid: 'a3', type: 'text', category: 'Other', value: ENVELOPE },
        { uuid: 'a4', type: 'target-user', category: 'Targeting data', value: ENVELOPE },
      ],
      Object: [{ uuid: 'o1', name: 'domain-ip', Attribute: [{ uuid: 'a5', type: 'domain', object_relation: 'domain', category: 'Network activity', value: ENVELOPE }] }],
    },
  });

  it('sends typed protected values as text with their type in a tag, and leaves the rest alone', () => {
    const input = event();
    const out = forStockMisp(input) as { Event: { info: string; Attribute: Record<string, unknown>[]; Object: { Attribute: Record<string, unknown>[] }[] } };
    expect(input).toEqual(event());
    const [a1, a2, a3, a4] = out.Event.Attribute;
    expect(a1).toEqual({ uuid: 'a1', type: 'text', category: 'Network activity', value: TOKEN, to_ids: true, Tag: [{ name: 'waggle:protected' }, { name: 'waggle:protected-type="ip-dst"' }] });
    expect(a2).toEqual({ uuid: 'a2', type: 'ip-dst', category: 'Network activity', value: '198.51.100.7' });
    expect(a3).toMatchObject({ type: 'text', category: 'Other', value: ENVELOPE });
    expect(a3?.Tag).toBeUndefined();
    // MISP allows text in every category but "Targeting data".
    expect(a4).toMatchObject({ type: 'text', category: 'Other', Tag: [{ name: 'waggle:protected-type="target-user"' }] });
    expect(out.Event.Object[0]?.Attribute[0]).toMatchObject({ type: 'text', object_relation: 'domain', Tag: [{ name: 'waggle:protected-type="domain"' }] });
    expect(out.Event.info).toBe(ENVELOPE);
  });

  it('accepts a bare event and events without attributes', () => {
    expect(forStockMisp({ uuid: 'e', info: 'x' })).toEqual({ uuid: 'e', info: 'x' });
    const bare = forStockMisp({ uuid: 'e', Attribute: [{ type: 'md5', value: ENVELOPE, category: 'Payload delivery' }] }) as { Attribute: Record<string, unknown>[] };
    expect(bare.Attribute[0]).toMatchObject({ type: 'text', category: 'Payload delivery' });
  });
});
