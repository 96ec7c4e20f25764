import { describe, expect, it } from 'vitest';
import { aServer, REMOTE_ORG } from '../test-support/builders.js';
import { prepareClusterForPull, prepareClusterForPush } from './galaxy-cluster-rules.js';

const cluster = (extra: Record<string, unknown> = {}) => ({
  id: '7', org_id: '1', orgc_id: '1', uuid: 'c1c1c1c1-1111-4111-8111-000000000001', value: 'X', published: true, default: false, distribution: '3',
  GalaxyClusterRelation: [{ referenced_galaxy_cluster_uuid: 'c1c1c1c1-1111-4111-8111-000000000002', distribution: '2' }, { referenced_galaxy_cluster_uuid: 'c1c1c1c1-1111-4111-8111-000000000003', distribution: '0' }],
  ...extra,
});

describe('prepareClusterForPush', () => {
  const server = aServer({ remoteOrgUuid: REMOTE_ORG.uuid });
  it('sends published custom clusters of distribution 2 and 3, 2 as 1, without local ids, locked', () => {
    const v = prepareClusterForPush(cluster({ distribution: '2' }), server);
    expect('cluster' in v && v.cluster).toMatchObject({ distribution: '1', locked: true });
    expect('cluster' in v && v.cluster.id).toBeUndefined();
    expect('cluster' in v && v.cluster.GalaxyClusterRelation).toEqual([expect.objectContaining({ distribution: '1' })]);
  });
  it('keeps unpublished, default, organisation-only, community-only and unknown-group clusters home', () => {
    for (const extra of [{ published: false }, { default: true }, { distribution: '0' }, { distribution: '1' }, { distribution: '4' }, { distribution: 'x' }]) {
      expect('skip' in prepareClusterForPush(cluster(extra), server), JSON.stringify(extra)).toBe(true);
    }
  });
});

describe('prepareClusterForPull', () => {
  it('downgrades 1 to 0 and 2 to 1 and locks, without touching the input', () => {
    const input = cluster({ distribution: '1' });
    const out = prepareClusterForPull(input);
    expect(out).toMatchObject({ distribution: '0', locked: true });
    expect(out.GalaxyClusterRelation).toEqual([expect.objectContaining({ distribution: '1' }), expect.objectContaining({ distribution: '0' })]);
    expect(input.distribution).toBe('1');
  });
});
