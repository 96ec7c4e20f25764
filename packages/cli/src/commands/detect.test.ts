import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHoneypotFlows } from '@waggle/flows';
import { disposeEnsemble, loadDetector, readRegistry, scoreFlows, scoreWithModel, tensorflow } from '@waggle/detect';
import { runCli } from '../test-support/run-cli.js';
import { freePort } from '../../../server/src/test-support/listening-server.js';

let root: string;
let model: string;
const small = ['--epochs', '2', '--chunk-size', '1500'];

/** Cowrie JSON lines as the honeypot package writes them: SSH brute-force sessions. */
function cowrieLog(sessions: number, offset: number): string {
  const lines: string[] = [];
  for (let s = 0; s < sessions; s += 1) {
    const session = `s${offset + s}`;
    const base = { session, src_ip: `198.51.100.${(offset + s) % 250}`, src_port: 40000 + s, dst_ip: '10.0.5.2', dst_port: 22, sensor: 'hp1', protocol: 'ssh' };
    const at = (sec: number): string => new Date(Date.UTC(2026, 11, 2, 10, s, sec)).toISOString();
    lines.push(JSON.stringify({ ...base, eventid: 'cowrie.session.connect', timestamp: at(0) }));
    lines.push(JSON.stringify({ ...base, eventid: 'cowrie.client.version', timestamp: at(1), version: 'SSH-2.0-Go' }));
    for (let i = 0; i < 6 + (s % 5); i += 1) lines.push(JSON.stringify({ ...base, eventid: 'cowrie.login.failed', timestamp: at(2 + i), username: 'root', password: `pw${i}` }));
    lines.push(JSON.stringify({ ...base, eventid: 'cowrie.session.closed', timestamp: at(20), duration: 20 }));
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'waggle-cli-detect-'));
  model = join(root, 'model');
  const r = await runCli('detect', 'train', '--format', 'synthetic', '--count', '3000', '--seed', '3', ...small, '--out', model, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('waggle detect', () => {
  it('train --json reports the version, bases and validation metrics', async () => {
    const reg = await readRegistry(model);
    expect(reg.current).toBe(1);
    expect(reg.versions[0]?.bases).toBe(2);
    expect(reg.versions[0]?.chunks[0]).toMatchObject({ source: 'synthetic', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('evaluate --json prints one object with precision, recall, f1, roc_auc, pr_auc', async () => {
    const r = await runCli('detect', 'evaluate', '--model', model, '--format', 'synthetic', '--count', '1500', '--seed', '77', '--json');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out) as Record<string, number>;
    for (const k of ['precision', 'recall', 'f1', 'roc_auc', 'pr_auc']) expect(typeof m[k]).toBe('number');
    expect(m.roc_auc).toBeGreaterThanOrEqual(0.9);
    const human = await runCli('detect', 'evaluate', '--model', model, '--format', 'synthetic', '--count', '500', '--seed', '78');
    expect(human.out).toMatch(/precision .* ROC-AUC .* PR-AUC/);
  });

  it('score --json turns flows over the threshold into aggregated findings', async () => {
    const r = await runCli('detect', 'score', '--model', model, '--format', 'synthetic', '--count', '1000', '--seed', '5', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { flagged: number; findings: { count: number; attackType: Record<string, { version: string; attacks: { confidence: number }[] }> }[] };
    expect(out.flagged).toBeGreaterThan(0);
    expect(out.findings.reduce((n, f) => n + f.count, 0)).toBe(out.flagged);
    expect(out.findings.length).toBeLessThanOrEqual(out.flagged);
    expect(out.findings[0]?.attackType['waggle-ensemble']?.version).toBe('1');
    expect(out.findings[0]?.attackType['waggle-ensemble']?.attacks[0]?.confidence).toBeGreaterThanOrEqual(0.75);
  });

  it('update --honeypot-log adds a chunk and the new version scores those attacks higher', async () => {
    const dir = join(root, 'hp-model');
    await runCli('detect', 'train', '--format', 'synthetic', '--count', '3000', '--seed', '3', ...small, '--out', dir);
    await writeFile(join(root, 'cowrie.json'), cowrieLog(60, 0));
    await writeFile(join(root, 'cowrie-later.json'), cowrieLog(30, 500));
    const r = await runCli('detect', 'update', '--model', dir, '--honeypot-log', join(root, 'cowrie.json'), '--json');
    expect(r.err).toBe('');
    const out = JSON.parse(r.out) as { version: number; bases: number; chunk: { source: string; rows: number; attacks: number } };
    expect(out).toMatchObject({ version: 2, bases: 3, chunk: { source: 'honeypot', rows: 60, attacks: 60 } });
    const later = (await readHoneypotFlows(join(root, 'cowrie-later.json'))).flows;
    const tf = await tensorflow();
    const mean = async (version: number): Promise<number> => {
      const { state } = await loadDetector(tf, dir, version);
      const s = await scoreFlows(tf, state.ensemble, later);
      disposeEnsemble(state.ensemble);
      return s.reduce((a, b) => a + b, 0) / s.length;
    };
    expect(await mean(2)).toBeGreaterThan(await mean(1));
  });

  it('update --feedback consumes counter-evidence JSON lines; export → import scores identically', async () => {
    const dir = join(root, 'fb-model');
    await runCli('detect', 'train', '--format', 'synthetic', '--count', '2000', '--seed', '4', ...small, '--out', dir);
    const flow = { ts: 0, srcIp: '10.9.9.9', srcPort: 5555, dstIp: '10.0.0.1', dstPort: 8443, protocol: 'tcp', durationMs: 50, fwdPackets: 3, bwdPackets: 0, fwdBytes: 180, bwdBytes: 0 };
    await writeFile(join(root, 'feedback.jsonl'), Array.from({ length: 20 }, (_, i) => JSON.stringify({ ...flow, srcPort: 5000 + i, label: 1 })).join('\n'));
    const u = await runCli('detect', 'update', '--model', dir, '--feedback', join(root, 'feedback.jsonl'));
    expect(u.code).toBe(0);
    expect(u.out).toMatch(/v2: \+1 base net on 20 flows from feedback/);
    const object = join(root, 'model.object.json');
    expect((await runCli('detect', 'export', '--model', dir, '--out', object)).code).toBe(0);
    expect(JSON.parse(await readFile(object, 'utf8'))).toMatchObject({ name: 'ml-model' });
    const imported = join(root, 'imported');
    const i = await runCli('detect', 'import', object, '--out', imported);
    expect(i.err).toMatch(/imported model v2/);
    const { flows } = { flows: (await import('@waggle/flows')).generateFlows({ seed: 12, count: 400 }) };
    expect(Array.from((await scoreWithModel(imported, flows)).scores)).toEqual(Array.from((await scoreWithModel(dir, flows)).scores));
  });

  it('rejects bad input with clear errors and writes nothing', async () => {
    const bad = async (...args: string[]): Promise<string> => {
      const r = await runCli(...args);
      expect(r.code).not.toBe(0);
      expect(r.out).toBe('');
      return r.err;
    };
    expect(await bad('detect', 'train', '--format', 'pcap', '--data', 'x', '--out', join(root, 'u'))).toMatch(/unknown format "pcap"/);
    await writeFile(join(root, 'nolabel.csv'), 'src_ip,dst_ip,duration\n1.1.1.1,2.2.2.2,5\n');
    expect(await bad('detect', 'train', '--format', 'csv', '--label-column', 'verdict', '--data', join(root, 'nolabel.csv'), '--out', join(root, 'u'))).toMatch(/verdict/i);
    await writeFile(join(root, 'empty.csv'), '');
    expect(await bad('detect', 'train', '--format', 'csv', '--data', join(root, 'empty.csv'), '--out', join(root, 'u'))).toMatch(/empty/);
    await writeFile(join(root, 'corrupt-registry.json'), '');
    expect(await bad('detect', 'evaluate', '--model', join(root, 'no-such-model'), '--format', 'synthetic', '--count', '20', '--json')).toMatch(/no model in/);
    expect(await bad('detect', 'train', '--format', 'synthetic', '--count', '50', '--out', model)).toMatch(/already holds a model/);
    expect(await bad('detect', 'update', '--model', model, '--feedback', 'a', '--honeypot-log', 'b')).toMatch(/exactly one chunk source/);
    await writeFile(join(root, 'bad-feedback.jsonl'), '{"srcIp":"1.1.1.1","dstIp":"2.2.2.2","label":7}\n');
    expect(await bad('detect', 'update', '--model', model, '--feedback', join(root, 'bad-feedback.jsonl'))).toMatch(/feedback line 1: label must be 0/);
    expect((await readRegistry(model)).current).toBe(1);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(root, 'corrupt'), { recursive: true });
    await writeFile(join(root, 'corrupt', 'registry.json'), '{"format":"waggle-detect-registry/1","current":1,"versions":[{"version":1,"dir":"v1"}]}');
    expect(await bad('detect', 'score', '--model', join(root, 'corrupt'), '--format', 'synthetic', '--count', '20')).toMatch(/corrupt model directory/);
    expect(await bad('detect', 'import', join(root, 'nolabel.csv'), '--out', join(root, 'u2'))).toMatch(/not JSON/);
    expect(await bad('detect', 'score', '--model', model, '--format', 'synthetic', '--count', '20', '--report')).toMatch(/--report needs --url/);
  });

  it('serve wants a key off loopback, checks it, and stops on SIGINT', async () => {
    const refused = await runCli('detect', 'serve', '--model', model, '--host', '0.0.0.0', '--port', '0');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/refusing to serve on 0\.0\.0\.0 without an API key/);
    const short = join(root, 'short.key');
    await writeFile(short, 'abc\n');
    const weak = await runCli('detect', 'serve', '--model', model, '--key-file', short, '--port', '0');
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/at least 16 characters/);
    const keyFile = join(root, 'detect.key');
    await writeFile(keyFile, 'cli-scoring-key-0123456789\n');
    const port = await freePort();
    const running = runCli('detect', 'serve', '--model', model, '--key-file', keyFile, '--port', String(port));
    const base = `http://127.0.0.1:${String(port)}`;
    let health: number | undefined;
    for (let i = 0; i < 400 && health !== 200; i++) {
      health = await fetch(`${base}/health`).then((r) => r.status, () => undefined);
      if (health !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    const without = await fetch(`${base}/model`);
    const withKey = await fetch(`${base}/model`, { headers: { authorization: 'Bearer cli-scoring-key-0123456789' } });
    process.emit('SIGINT');
    const r = await running;
    expect(health).toBe(200);
    expect(without.status).toBe(401);
    expect(withKey.status).toBe(200);
    expect(((await withKey.json()) as { version: number }).version).toBeGreaterThanOrEqual(1);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/serving .* on http:\/\/127\.0\.0\.1:\d+ .*; API key required/);
  }, 60_000);
});
