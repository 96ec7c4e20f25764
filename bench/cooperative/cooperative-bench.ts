import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRuleSet, evaluateRules, findingToObject, objectToFinding, type Finding } from '@waggle/findings';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { formatTable, thousands } from '../lib/table.js';

const USAGE = `usage: npm run bench -- cooperative [--findings 50k] [--json <file>]
  --findings  synthetic findings encoded, decoded and judged (default 50k)
  --json      also write the figures as JSON to this file`;

const PROTOCOLS: Finding['protocol'][] = ['tcp', 'tcp', 'tcp', 'udp', 'icmp'];
const PORTS = [22, 23, 80, 443, 3389, 53, 123, 4444, 8080, 5432];

/** Deterministic, varied findings: brute force, scans, floods, pings, quiet flows. */
function syntheticFindings(n: number): Finding[] {
  const out: Finding[] = [];
  const t0 = Date.UTC(2026, 11, 2);
  for (let i = 0; i < n; i += 1) {
    const protocol = PROTOCOLS[i % PROTOCOLS.length] as Finding['protocol'];
    const scan = i % 7 === 0;
    const first = t0 + (i % 86_400) * 1000;
    const count = 1 + ((i * 7919) % 5000);
    out.push({
      srcIp: `203.0.${String((i >> 8) & 255)}.${String(i & 255)}`,
      dstIp: '192.0.2.10',
      ...(protocol === 'icmp' ? {} : { srcPort: 1024 + (i % 60_000), dstPort: PORTS[i % PORTS.length] as number }),
      ...(scan && protocol !== 'icmp' ? { dstPorts: Array.from({ length: 30 }, (_, k) => 1 + k) } : {}),
      protocol,
      firstSeen: new Date(first).toISOString(),
      lastSeen: new Date(first + (i % 5400) * 1000).toISOString(),
      signature: i % 3 === 0 ? 'ET INFO Session Traversal Utilities for NAT' : 'ET SCAN Suspicious inbound',
      count,
      attackType: { suricata: { version: '7.0.8', reference: `sid:${String(2_000_000 + (i % 1000))}`, attacks: [{ attack_type: 'scan', confidence: 0.5 + (i % 50) / 100 }] } },
    });
  }
  return out;
}

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** python3's json.loads + json.dumps over the same object JSON lines: what any MISP client pays at least. */
function pythonJsonRate(file: string): number | undefined {
  const script = 'import json,sys,time\nlines=open(sys.argv[1]).read().splitlines()\nt=time.perf_counter()\nfor l in lines: json.dumps(json.loads(l))\nprint(len(lines)/(time.perf_counter()-t))';
  const r = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  const v = Number(r.stdout.trim());
  return r.status === 0 && Number.isFinite(v) ? v : undefined;
}

/** The cooperative benchmark: finding codec round trips and rule-engine verdicts per second. */
export async function runCooperativeBench(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['help']));
  if (args.named.has('help')) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const raw = args.named.get('findings');
  const n = parseCount(typeof raw === 'string' ? raw : '50k', 'findings');
  const findings = syntheticFindings(n);
  const results: Record<string, number | null> = {};

  let start = process.hrtime.bigint();
  const objects = findings.map((f) => findingToObject(f, { detector: 'suricata' }));
  results['encode_per_s'] = n / seconds(start);
  const lines = objects.map((o) => JSON.stringify(o));
  start = process.hrtime.bigint();
  let mismatches = 0;
  for (let i = 0; i < n; i += 1) {
    const back = objectToFinding(JSON.parse(lines[i] as string));
    if (back.count !== findings[i]?.count) mismatches += 1;
  }
  results['decode_per_s'] = n / seconds(start);
  if (mismatches > 0) throw new Error(`${String(mismatches)} findings did not round-trip`);

  const rules = defaultRuleSet();
  start = process.hrtime.bigint();
  let judged = 0;
  let abstained = 0;
  for (const f of findings) {
    if (evaluateRules(rules, f, 'waggle-rules', rules.version) === undefined) abstained += 1;
    else judged += 1;
  }
  results['rules_per_s'] = n / seconds(start);
  results['rules_fired_share'] = judged / n;
  void abstained;

  const dir = mkdtempSync(join(tmpdir(), 'waggle-bench-coop-'));
  try {
    const file = join(dir, 'objects.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    results['python_json_per_s'] = pythonJsonRate(file) ?? null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const fmt = (v: number | null | undefined, digits = 0): string => (v === null || v === undefined ? 'n/a' : thousands(v, digits));
  process.stdout.write(`${describeMachine(machineInfo(process.cwd(), import.meta.resolve('@waggle/findings')))}\n\n`);
  process.stdout.write(
    `${formatTable(['measure', 'waggle', 'anchor'], [
      [`findingToObject, ${thousands(n)} findings (findings/s)`, fmt(results['encode_per_s']), '-'],
      ['JSON.parse + objectToFinding (findings/s)', fmt(results['decode_per_s']), `${fmt(results['python_json_per_s'])} (python3 json.loads+dumps, same objects)`],
      [`rule engine, ${String(rules.rules.length)} default rules (findings/s)`, fmt(results['rules_per_s']), '-'],
      ['share of findings with a verdict', fmt((results['rules_fired_share'] ?? 0) * 100, 1), '-'],
    ])}\n`,
  );
  const json = args.named.get('json');
  if (typeof json === 'string') writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  return 0;
}
