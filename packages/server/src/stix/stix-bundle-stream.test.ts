import { describe, expect, it } from 'vitest';
import type { StixObject } from '@waggle/stix';
import { isSharedStixObject, stixBundleChunks } from './stix-bundle-stream.js';

const U = (n: number): string => `5a3c2fda-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('stixBundleChunks', () => {
  it('writes a valid bundle, each shared object once, event objects always', async () => {
    const identity: StixObject = { type: 'identity', id: `identity--${U(1)}`, modified: '2024-01-01T00:00:00.000Z' };
    const later: StixObject = { ...identity, modified: '2024-02-01T00:00:00.000Z' };
    const batches = async function* (): AsyncIterable<StixObject[]> {
      yield [identity, { type: 'report', id: `report--${U(2)}` }];
      yield [];
      yield [later, { type: 'indicator', id: `indicator--${U(3)}` }, { type: 'relationship', id: `relationship--${U(4)}`, source_ref: `intrusion-set--${U(5)}`, target_ref: `malware--${U(6)}` }];
      yield [{ type: 'relationship', id: `relationship--${U(4)}`, source_ref: `intrusion-set--${U(5)}`, target_ref: `malware--${U(6)}` }, { type: 'relationship', id: `relationship--${U(7)}`, source_ref: `indicator--${U(3)}`, target_ref: `malware--${U(6)}` }];
    };
    const text = (await collect(stixBundleChunks(`bundle--${U(9)}`, batches()))).join('');
    const bundle = JSON.parse(text) as { type: string; id: string; objects: StixObject[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toBe(`bundle--${U(9)}`);
    expect(bundle.objects.map((o) => o.id)).toEqual([`identity--${U(1)}`, `report--${U(2)}`, `indicator--${U(3)}`, `relationship--${U(4)}`, `relationship--${U(7)}`]);
  });

  it('writes an empty bundle for no events', async () => {
    const none = async function* (): AsyncIterable<StixObject[]> {};
    expect(JSON.parse((await collect(stixBundleChunks(`bundle--${U(9)}`, none()))).join(''))).toEqual({ type: 'bundle', id: `bundle--${U(9)}`, objects: [] });
  });

  it('streams: the head goes out before the first event is read, and each batch as it comes', async () => {
    let read = 0;
    const batches = async function* (): AsyncIterable<StixObject[]> {
      for (let i = 0; i < 3; i++) {
        read++;
        yield [{ type: 'indicator', id: `indicator--${U(10 + i)}` }];
      }
    };
    const it = stixBundleChunks(`bundle--${U(9)}`, batches())[Symbol.asyncIterator]();
    expect((await it.next()).value).toMatch(/^\{"type":"bundle"/);
    expect(read).toBe(0);
    await it.next();
    expect(read).toBe(1);
  });

  it('knows which objects events share', () => {
    expect(isSharedStixObject({ type: 'marking-definition', id: 'x' })).toBe(true);
    expect(isSharedStixObject({ type: 'indicator', id: 'x' })).toBe(false);
    expect(isSharedStixObject({ type: 'relationship', id: 'x', source_ref: `indicator--${U(1)}`, target_ref: `malware--${U(2)}` })).toBe(false);
  });
});
