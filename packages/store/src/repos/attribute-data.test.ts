import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { AttributeRecord, Repositories } from '@waggle/core';
import { createRepositories } from '../sql-store.js';
import { forEachEngine } from '../test-support/engines.js';
import { insertTestEvent } from '../test-support/events.js';

async function anEventWith(repos: Repositories, types: readonly string[]): Promise<{ eventId: number; attributes: AttributeRecord[] }> {
  const event = await insertTestEvent(repos, 'attachments');
  const attributes = await repos.insertAttributes(types.map((type, i) => ({
    uuid: randomUUID(), event_id: event.id, object_id: 0, object_relation: null, category: 'Payload delivery', type, value1: `f${i}.bin`, value2: '',
    to_ids: false, distribution: 5, sharing_group_id: 0, comment: '', timestamp: 1, deleted: false, disable_correlation: false, first_seen: null, last_seen: null,
  })));
  return { eventId: event.id, attributes };
}

const ids = (as: readonly AttributeRecord[]): number[] => as.map((a) => a.id);

forEachEngine('attributeDataRepository', (getCtx) => {
  const repos = () => createRepositories(getCtx());

  it('stores, replaces and lists content by attribute id in one call', async () => {
    const { attributes } = await anEventWith(repos(), ['attachment', 'attachment', 'malware-sample']);
    const [a, b, c] = ids(attributes) as [number, number, number];
    await repos().putAttributeData([{ attribute_id: a, data: 'QUJD' }, { attribute_id: c, data: 'WFla' }]);
    expect(await repos().listAttributeData([a, b, c])).toEqual(new Map([[a, 'QUJD'], [c, 'WFla']]));
    await repos().putAttributeData([{ attribute_id: a, data: 'REVG' }]);
    expect(await repos().listAttributeData([a])).toEqual(new Map([[a, 'REVG']]));
    expect(await repos().listAttributeData([])).toEqual(new Map());
    await repos().deleteAttributeData([c]);
    expect(await repos().listAttributeData([a, b, c])).toEqual(new Map([[a, 'REVG']]));
  });

  it('removes the content with a hard-deleted attribute and with its event', async () => {
    const first = await anEventWith(repos(), ['attachment', 'attachment']);
    const [a, b] = ids(first.attributes) as [number, number];
    const second = await anEventWith(repos(), ['malware-sample']);
    const [c] = ids(second.attributes) as [number];
    await repos().putAttributeData([{ attribute_id: a, data: 'QQ==' }, { attribute_id: b, data: 'Qg==' }, { attribute_id: c, data: 'Qw==' }]);
    await repos().deleteAttribute(a);
    expect(await repos().listAttributeData([a, b, c])).toEqual(new Map([[b, 'Qg=='], [c, 'Qw==']]));
    await repos().deleteEvent(first.eventId);
    expect(await repos().listAttributeData([a, b, c])).toEqual(new Map([[c, 'Qw==']]));
  });
});
