import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliStore } from '../test-support/run-cli.js';

describe('waggle reputation', () => {
  const { home, run, remove } = cliStore('waggle-reputation-');
  afterAll(remove);

  it('rates an imported producer from the sightings of another organisation', async () => {
    const partner = { uuid: '5d5a1c2e-0000-4000-8000-00000000b0b0', name: 'PartnerCERT' };
    const producer = { uuid: '5d5a1c2e-0000-4000-8000-00000000a1a1', name: 'ProducerCSIRT' };
    const at = Math.floor(Date.now() / 1000) - 60;
    const event = { Event: {
      uuid: '5d5a1c2e-0000-4000-8000-0000000e0e01', info: 'Imported with sightings', date: '2026-11-30', distribution: '1', threat_level_id: '2', analysis: '2', published: true,
      Orgc: producer,
      Attribute: [
        { uuid: '5d5a1c2e-0000-4000-8000-0000000a0a01', type: 'ip-dst', category: 'Network activity', value: '198.51.100.44', to_ids: true,
          Sighting: [{ uuid: '5d5a1c2e-0000-4000-8000-00000005a001', type: '0', date_sighting: String(at), source: 'ids', Organisation: partner }] },
        { uuid: '5d5a1c2e-0000-4000-8000-0000000a0a02', type: 'domain', category: 'Network activity', value: 'bad.example', to_ids: true,
          Sighting: [{ uuid: '5d5a1c2e-0000-4000-8000-00000005a002', type: '1', date_sighting: String(at), source: 'ids', Organisation: partner }] },
      ],
    } };
    const file = join(home, 'event.json');
    writeFileSync(file, JSON.stringify(event));
    // The first command on a new store creates the admin; with nothing stored, the list is empty.
    expect((await run('reputation', '--json')).out.trim()).toBe('[]');
    await run('import', file);
    const one = JSON.parse((await run('reputation', 'ProducerCSIRT', '--json')).out) as { Reputation: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(one.Reputation.Organisation.name).toBe('ProducerCSIRT');
    expect(one.Reputation.evidence).toMatchObject({ sightings: 1, false_positives: 1, reporters: 1 });
    expect(one.Reputation.score).toBeCloseTo(0.5, 2);
    const table = (await run('reputation', '--half-life-days', '0')).out.trim().split('\n');
    expect(table.find((l) => l.startsWith('ProducerCSIRT\t'))).toMatch(/^ProducerCSIRT\t0\.500\t±0\.500\tseen 1\tfalse-positive 1\topinions 0\tfrom 1 orgs\t1 events, 2 attributes$/);
  });

  it('names the problem with a bad half-life or an unknown organisation', async () => {
    const bad = await run('reputation', '--half-life-days', 'soon');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/half-life-days/);
    const unknown = await run('reputation', 'NoSuchOrg');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/Invalid organisation/);
  });
});
