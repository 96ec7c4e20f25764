import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import { runCli } from '../test-support/run-cli.js';

type J = Record<string, unknown>;
let root: string;
let model: string;
let srv: ListeningServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'waggle-cli-detect-report-'));
  model = join(root, 'model');
  expect((await runCli('detect', 'train', '--format', 'synthetic', '--count', '2000', '--seed', '8', '--epochs', '3', '--chunk-size', '2000', '--out', model)).code).toBe(0);
  srv = await startListeningServer();
}, 120_000);
afterAll(async () => {
  await srv.close();
  await rm(root, { recursive: true, force: true });
});

describe('waggle detect against a waggle server', () => {
  it('score --report writes the findings as security-event objects, once', async () => {
    const args = ['detect', 'score', '--model', model, '--format', 'synthetic', '--count', '800', '--seed', '21', '--threshold', '0.5', '--report', '--url', srv.url, '--key', srv.server.adminKey, '--json'];
    const run = await runCli(...args);
    expect(run.err).toBe('');
    const first = JSON.parse(run.out) as { findings: unknown[]; reported: { objects: number } };
    expect(first.findings.length).toBeGreaterThan(0);
    expect(first.reported.objects).toBe(first.findings.length);
    const again = JSON.parse((await runCli(...args)).out) as { reported: { objects: number; unchanged: number } };
    expect(again.reported).toMatchObject({ objects: 0, unchanged: first.findings.length });
    const found = (await srv.server.call('POST', '/events/restSearch', { eventinfo: '%waggle-ensemble%' })).json as { response?: J[] } | J[];
    expect(JSON.stringify(found)).toContain('security-event');
    expect(JSON.stringify(found)).toContain('waggle-ensemble');
  });

  it('export --publish adds the ml-model object to an event', async () => {
    const event = ((await srv.server.call('POST', '/events/add', { info: 'shared detector' })).json as { Event: { id: string } }).Event;
    const out = join(root, 'object.json');
    const r = await runCli('detect', 'export', '--model', model, '--out', out, '--publish', '--url', srv.url, '--key', srv.server.adminKey, '--event', String(event.id));
    expect(r.err).toMatch(/published as object/);
    expect(r.code).toBe(0);
    const view = (await srv.server.call('GET', `/events/view/${String(event.id)}`)).json as { Event: { Object: { name: string; Attribute: { object_relation: string; value: string }[] }[] } };
    const object = view.Event.Object.find((o) => o.name === 'ml-model');
    const sha = object?.Attribute.find((a) => a.object_relation === 'sha256')?.value;
    const local = JSON.parse(await readFile(out, 'utf8')) as { Attribute: { object_relation: string; value: string }[] };
    expect(sha).toBe(local.Attribute.find((a) => a.object_relation === 'sha256')?.value);

    // Another instance installs the model from the server (the attachment's content travels with
    // the object) and scores exactly as the producer's model does.
    const copy = join(root, 'from-server');
    const imported = await runCli('detect', 'import', '--url', srv.url, '--key', srv.server.adminKey, '--event', String(event.id), '--out', copy);
    expect(imported.err).toMatch(/imported model v1/);
    const scores = async (dir: string): Promise<string> => (await runCli('detect', 'score', '--model', dir, '--format', 'synthetic', '--count', '300', '--seed', '5', '--json')).out;
    expect(await scores(copy)).toBe(await scores(model));
    const none = ((await srv.server.call('POST', '/events/add', { info: 'no model here' })).json as { Event: { id: string } }).Event;
    const missing = await runCli('detect', 'import', '--url', srv.url, '--key', srv.server.adminKey, '--event', String(none.id), '--out', join(root, 'none'));
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/has no ml-model object/);
    const both = await runCli('detect', 'import', 'object.json', '--url', srv.url, '--out', join(root, 'both'));
    expect(both.err).toMatch(/either an object file or --url/);
  });

  it('shares a model whose attachment only holders of a satisfying CP-ABE key can install', async () => {
    const abe = join(root, 'abe');
    expect((await runCli('abe', 'setup', '--out', abe)).code).toBe(0);
    expect((await runCli('abe', 'signing-key', '--out', abe)).code).toBe(0);
    const keyOf = async (name: string, attributes: string): Promise<string> => {
      const file = join(abe, `${name}.json`);
      expect((await runCli('abe', 'keygen', '--master', join(abe, 'abe-master.json'), '--attributes', attributes, '--out', file)).code).toBe(0);
      return file;
    };
    const energy = await keyOf('energy', 'sector:energy,country:BE');
    const finance = await keyOf('finance', 'sector:finance');
    const event = ((await srv.server.call('POST', '/events/add', { info: 'protected detector' })).json as { Event: { id: string } }).Event;
    const out = join(root, 'protected.json');
    const exported = await runCli('detect', 'export', '--model', model, '--out', out, '--policy', 'sector:energy OR role:CERT', '--public', join(abe, 'abe-public.json'), '--sign-key', join(abe, 'signing-key.pem'), '--publish', '--url', srv.url, '--key', srv.server.adminKey, '--event', String(event.id));
    expect(exported.code).toBe(0);
    // What the server stores is the envelope, not the bundle.
    const plain = JSON.parse(await readFile(join(root, 'object.json'), 'utf8')) as { Attribute: { object_relation: string; data?: string }[] };
    const bundle = plain.Attribute.find((a) => a.object_relation === 'model')?.data ?? '';
    const stored = JSON.stringify((await srv.server.call('GET', `/events/view/${String(event.id)}`)).json);
    expect(stored).toContain('waggle-abe:v1 protected model under');
    expect(stored).not.toContain(bundle.slice(0, 200));

    const from = ['detect', 'import', '--url', srv.url, '--key', srv.server.adminKey, '--event', String(event.id)];
    const refused = await runCli(...from, '--out', join(root, 'p-none'));
    expect(refused.err).toMatch(/protected by a CP-ABE policy; give --abe-key/);
    const wrongKey = await runCli(...from, '--abe-key', finance, '--out', join(root, 'p-finance'));
    expect(wrongKey.code).not.toBe(0);
    const opened = await runCli(...from, '--abe-key', energy, '--verify-key', join(abe, 'verify-key.pem'), '--out', join(root, 'p-energy'));
    expect(opened.err).toMatch(/imported model v1/);
    const scores = async (dir: string): Promise<string> => (await runCli('detect', 'score', '--model', dir, '--format', 'synthetic', '--count', '200', '--seed', '6', '--json')).out;
    expect(await scores(join(root, 'p-energy'))).toBe(await scores(model));
    // From the file too, and a policy without its public parameters is refused.
    expect((await runCli('detect', 'import', out, '--abe-key', energy, '--out', join(root, 'p-file'))).code).toBe(0);
    expect((await runCli('detect', 'export', '--model', model, '--out', join(root, 'x.json'), '--policy', 'sector:energy')).err).toMatch(/--policy and --public go together/);
  });
});
