import { describe, expect, it } from 'vitest';
import { createTemplateRegistry } from './template-registry.js';
import { aTemplate } from './test-support/a-template.js';

const UUID_A = '11111111-1111-4111-8111-111111111111';
const UUID_B = '22222222-2222-4222-8222-222222222222';

describe('createTemplateRegistry', () => {
  it('finds a template by uuid in any case and by exact name', () => {
    const template = aTemplate({ uuid: UUID_A.toUpperCase(), name: 'flow' });
    const registry = createTemplateRegistry([template]);
    expect(registry.get(UUID_A)).toBe(template);
    expect(registry.get(UUID_A.toUpperCase())).toBe(template);
    expect(registry.get('flow')).toBe(template);
    expect(registry.get('Flow')).toBeUndefined();
    expect(registry.get('nothing')).toBeUndefined();
    expect(registry.size).toBe(1);
  });

  it('keeps the newer version whichever order they arrive in', () => {
    const v1 = aTemplate({ uuid: UUID_A, version: 1 });
    const v3 = aTemplate({ uuid: UUID_A, version: 3 });
    const up = createTemplateRegistry();
    expect(up.add(v1)).toBe(true);
    expect(up.add(v3)).toBe(true);
    const down = createTemplateRegistry();
    expect(down.add(v3)).toBe(true);
    expect(down.add(v1)).toBe(false);
    for (const registry of [up, down]) {
      expect(registry.get(UUID_A)).toBe(v3);
      expect(registry.get(v3.name)).toBe(v3);
      expect(registry.size).toBe(1);
    }
  });

  it('keeps the first of two equal versions', () => {
    const first = aTemplate({ uuid: UUID_A, description: 'first' });
    const second = aTemplate({ uuid: UUID_A, description: 'second' });
    const registry = createTemplateRegistry([first]);
    expect(registry.add(second)).toBe(false);
    expect(registry.get(UUID_A)).toBe(first);
  });

  it('keeps templates with different uuids apart, the name going to the highest version', () => {
    const low = aTemplate({ uuid: UUID_A, name: 'same', version: 2 });
    const high = aTemplate({ uuid: UUID_B, name: 'same', version: 5 });
    for (const order of [[low, high], [high, low]]) {
      const registry = createTemplateRegistry(order);
      expect(registry.size).toBe(2);
      expect(registry.get('same')).toBe(high);
      expect(registry.get(UUID_A)).toBe(low);
    }
  });

  it('moves the name when a newer revision renames a template', () => {
    const old = aTemplate({ uuid: UUID_A, name: 'old-name', version: 1 });
    const renamed = aTemplate({ uuid: UUID_A, name: 'new-name', version: 2 });
    const registry = createTemplateRegistry([old, renamed]);
    expect(registry.get('new-name')).toBe(renamed);
    expect(registry.get('old-name')).toBeUndefined();
  });

  it('lists templates sorted by name', () => {
    const b = aTemplate({ uuid: UUID_A, name: 'b' });
    const a = aTemplate({ uuid: UUID_B, name: 'a' });
    expect(createTemplateRegistry([b, a]).list()).toEqual([a, b]);
  });
});
