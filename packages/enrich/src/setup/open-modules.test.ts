import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { scratchDir } from '../test-support/scratch.js';
import { openEnrichment } from './open-modules.js';

describe('openEnrichment', () => {
  const scratch = scratchDir({ 'kev.json': '{"nope": 1}', 'empty/readme.txt': 'no lists here', 'epss.csv': 'cve,epss,percentile\nCVE-2024-0001,0.5,0.5\n' });
  afterAll(scratch.remove);

  it('builds only the modules whose data is given', () => {
    expect(openEnrichment({}).registry.list()).toEqual([]);
    const opened = openEnrichment({ epssFile: `${scratch.dir}/epss.csv`, resolvers: ['127.0.0.1:5353'] });
    expect(opened.registry.list().map((m) => m.name)).toEqual(['reverse-dns', 'cve']);
  });

  it('reports every missing path at once', () => {
    const attempt = (): unknown => openEnrichment({ warninglistsDir: '/nonexistent/wl', osvPath: '/nonexistent/osv', ipFiles: { asnIpv4: '/nonexistent/asn.csv' } });
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow('warninglists folder /nonexistent/wl does not exist; OSV path /nonexistent/osv does not exist; IP database (asnIpv4) /nonexistent/asn.csv does not exist');
  });

  it('rejects unusable data files and folders', () => {
    expect(() => openEnrichment({ kevFile: `${scratch.dir}/kev.json` })).toThrow(/vulnerabilities/);
    expect(() => openEnrichment({ warninglistsDir: `${scratch.dir}/empty` })).toThrow(/no warninglist could be read/);
    expect(() => openEnrichment({ galaxiesDir: `${scratch.dir}/empty` })).toThrow(/no galaxy cluster could be read/);
    expect(() => openEnrichment({ resolvers: ['not-an-ip'] })).toThrow(/must be an IP address/);
  });
});
