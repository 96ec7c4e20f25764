import { describe, expect, it } from 'vitest';
import type { Viewer } from '../ports/queries.js';
import type { Store } from '../ports/store.js';
import { createStreamFilter } from './stream-filter.js';

// Event messages carry the event's owner and distribution, so the filter never reads the store here.
const store: Store = {
  engine: 'none',
  read: () => Promise.reject(new Error('not expected')),
  write: () => Promise.reject(new Error('not expected')),
  close: () => Promise.resolve(),
};
const viewer = (orgId: number, siteAdmin = false): Viewer => ({ userId: orgId * 10, orgId, siteAdmin, sharingGroupIds: [] });
const message = () => ({
  action: 'edit',
  Event: {
    id: '7', uuid: 'e7', org_id: '1', orgc_id: '1', distribution: '3', sharing_group_id: '0', info: 'x',
    ShadowAttribute: [{ id: '1', type: 'domain', value: 'proposed.example' }],
    Attribute: [
      { id: '10', distribution: '5', value: 'a.example', ShadowAttribute: [{ id: '2', old_id: '10', value: 'b.example' }] },
      { id: '11', distribution: '0', value: 'internal.example', ShadowAttribute: [] },
    ],
  },
});

describe('stream filter', () => {
  const filter = createStreamFilter({ store });

  it('gives proposals to the owner organisation and site admins only', async () => {
    const owner = (await filter.visible(viewer(1), 'misp_json_event', message())) as ReturnType<typeof message>;
    expect(owner.Event.ShadowAttribute).toHaveLength(1);
    expect(owner.Event.Attribute[0]?.ShadowAttribute).toHaveLength(1);
    const admin = (await filter.visible(viewer(3, true), 'misp_json_event', message())) as ReturnType<typeof message>;
    expect(admin.Event.Attribute[0]?.ShadowAttribute).toHaveLength(1);
    const other = (await filter.visible(viewer(2), 'misp_json_event', message())) as ReturnType<typeof message>;
    expect(other.Event.ShadowAttribute).toEqual([]);
    expect(other.Event.Attribute.map((a) => [a.value, a.ShadowAttribute])).toEqual([['a.example', []]]);
    expect(JSON.stringify(other)).not.toMatch(/proposed\.example|b\.example|internal\.example/);
  });
});
