import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { InputError, NotFoundError } from '@waggle/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFlows, loadFlowsArray } from './load-flows.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'waggle-flows-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function temp(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('CICFlowMeter preset', () => {
  it('reads CIC-IDS2017 (V3 names, leading spaces, Infinity/NaN, mis-decoded labels) and reports bad rows by line', async () => {
    const { flows, report } = await loadFlowsArray(fixture('cic-ids2017-sample.csv'));
    expect(report).toMatchObject({ format: 'cicflowmeter', rows: 10, flows: 7, badRows: 3 });
    expect(report.badRowSamples).toEqual([
      { line: 7, reason: 'empty row' },
      { line: 10, reason: 'forward packets: expected a finite number >= 0, got "twelve"' },
      { line: 11, reason: 'expected 85 fields, found 40' },
    ]);
    expect(report.nonFiniteValues).toBe(8);
    expect(flows[0]).toMatchObject({
      ts: Date.UTC(2017, 6, 6, 9, 1),
      srcIp: '192.168.10.5',
      srcPort: 52320,
      dstIp: '104.16.207.165',
      dstPort: 443,
      protocol: 'tcp',
      durationMs: 5216.703,
      fwdPackets: 12,
      bwdPackets: 14,
      fwdBytes: 1322,
      bwdBytes: 9871,
      flags: { fin: 1, syn: 0, rst: 0, psh: 1, ack: 1, urg: 0 },
      label: 0,
      attackType: 'benign',
      flowId: '104.16.207.165-192.168.10.5-443-52320-6',
    });
    expect(flows.map((f) => [f.label, f.attackType])).toEqual([
      [0, 'benign'], [0, 'benign'], [1, 'Web Attack - Brute Force'], [1, 'PortScan'], [1, 'PortScan'], [1, 'DDoS'], [0, 'benign'],
    ]);
    expect(flows[1]?.protocol).toBe('udp');
    // Unmapped numeric columns land in extra under their trimmed names, the repeated one suffixed.
    expect(flows[0]?.extra?.['Flow IAT Max']).toBe(5216703);
    expect(flows[0]?.extra?.['Fwd Header Length.1']).toBe(384);
    expect(flows[0]?.extra).not.toHaveProperty('Label');
    // Zero-duration flows: Flow Bytes/s is NaN or Infinity in the file and left out of extra.
    expect(flows[3]?.extra).not.toHaveProperty('Flow Bytes/s');
    expect(flows[3]?.extra).not.toHaveProperty('Flow Packets/s');
  });

  it('reads CSE-CIC-IDS2018 (V4 abbreviations, AM/PM times) and skips a repeated header row', async () => {
    const { flows, report } = await loadFlowsArray(fixture('cse-cic-ids2018-sample.csv'), { format: 'cicflowmeter' });
    expect(report).toMatchObject({ format: 'cicflowmeter', flows: 4, badRows: 1 });
    expect(report.badRowSamples[0]?.line).toBe(6);
    expect(flows[0]).toMatchObject({ dstPort: 22, fwdPackets: 22, bwdPackets: 20, fwdBytes: 1912, bwdBytes: 2665, label: 1, attackType: 'SSH-Bruteforce' });
    expect(flows[1]).toMatchObject({ label: 0, attackType: 'benign', protocol: 'udp' });
    expect(flows[2]?.ts).toBe(Date.UTC(2018, 1, 14, 14, 14, 32));
  });

  it('reads the MachineLearningCSV variant without addresses', async () => {
    const path = temp('ml.csv', ' Destination Port, Flow Duration, Total Fwd Packets, Total Backward Packets,Total Length of Fwd Packets, Total Length of Bwd Packets, Flow IAT Mean, Label\n80,1000,3,2,120,300,250.5,BENIGN\n22,2000,10,9,1900,2500,100,SSH-Patator\n');
    const { flows } = await loadFlowsArray(path);
    expect(flows[1]).toMatchObject({ srcIp: '', srcPort: 0, dstPort: 22, ts: 0, durationMs: 2, protocol: 'other', label: 1, attackType: 'SSH-Patator', extra: { 'Flow IAT Mean': 100 } });
  });
});

describe('UNSW-NB15 preset', () => {
  it('reads the headerless full CSV: hex and "-" ports, epoch Stime, attack_cat with stray spaces', async () => {
    const { flows, report } = await loadFlowsArray(fixture('UNSW-NB15_1-sample.csv'));
    expect(report).toMatchObject({ format: 'unsw-nb15', rows: 7, flows: 5, badRows: 2 });
    expect(report.badRowSamples).toEqual([
      { line: 6, reason: 'destination port: expected a port 0-65535, got "big"' },
      { line: 7, reason: 'expected 49 fields, found 4' },
    ]);
    expect(flows[0]).toMatchObject({ ts: 1421927414000, srcIp: '59.166.0.0', srcPort: 1390, dstPort: 53, protocol: 'udp', durationMs: 1.055, fwdPackets: 2, bwdPackets: 2, fwdBytes: 132, bwdBytes: 164, service: 'dns', state: 'CON', label: 0, attackType: 'benign' });
    expect(flows[3]).toMatchObject({ srcPort: 11, dstPort: 0, protocol: 'icmp', attackType: 'Reconnaissance' });
    expect(flows[2]?.attackType).toBe('Exploits');
    expect(flows[4]?.attackType).toBe('Fuzzers');
    expect(flows[0]?.extra).toMatchObject({ sttl: 31, Sload: 500473.9375, ct_srv_dst: 7 });
    expect(flows[0]?.extra).not.toHaveProperty('Ltime');
  });

  it('reads the training/testing set (no addresses) and keeps the row id out of the features', async () => {
    const { flows, report } = await loadFlowsArray(fixture('UNSW_NB15_training-set-sample.csv'), { format: 'unsw-nb15' });
    expect(report).toMatchObject({ flows: 5, badRows: 1, badRowSamples: [{ line: 7, reason: 'forward packets: expected a finite number >= 0, got "x"' }] });
    expect(flows.map((f) => f.attackType)).toEqual(['benign', 'benign', 'Generic', 'Exploits', 'Fuzzers']);
    expect(flows[1]).toMatchObject({ durationMs: 649.902, fwdPackets: 14, bwdPackets: 38, fwdBytes: 734, bwdBytes: 42014, state: 'FIN', srcIp: '', dstPort: 0 });
    expect(flows[4]?.service).toBe('http');
    expect(flows[0]?.extra).not.toHaveProperty('id');
    expect(flows[0]?.extra?.['rate']).toBe(74.08749);
    expect((await loadFlowsArray(fixture('UNSW_NB15_training-set-sample.csv'))).report.format).toBe('unsw-nb15');
  });
});

describe('NSL-KDD preset', () => {
  it('reads KDDTrain+ rows: service ports, flags as state, difficulty left out', async () => {
    const { flows, report } = await loadFlowsArray(fixture('KDDTrain+-sample.txt'));
    expect(report).toMatchObject({ format: 'nsl-kdd', rows: 9, flows: 7, badRows: 2 });
    expect(report.badRowSamples.map((b) => b.line)).toEqual([8, 9]);
    expect(flows[0]).toMatchObject({ protocol: 'tcp', service: 'ftp_data', dstPort: 20, state: 'SF', fwdBytes: 491, bwdBytes: 0, label: 0, attackType: 'benign' });
    expect(flows[4]).toMatchObject({ durationMs: 2000, dstPort: 23, label: 1, attackType: 'guess_passwd' });
    expect(flows[0]?.extra).toMatchObject({ count: 2, dst_host_count: 150, dst_host_srv_count: 25 });
    expect(flows[0]?.extra).not.toHaveProperty('difficulty');
    expect(flows.filter((f) => f.label === 1).map((f) => f.attackType)).toEqual(['neptune', 'guess_passwd', 'ipsweep', 'neptune']);
  });

  it("reads KDD Cup 99's 42-column rows with dotted labels from a stream", async () => {
    const row = (label: string): string => `0,tcp,http,SF,181,5450,${Array(35).fill('0').join(',')},${label}`;
    const { flows } = await loadFlowsArray(Readable.from([`${row('normal.')}\n${row('smurf.')}\n`]), { format: 'nsl-kdd' });
    expect(flows.map((f) => [f.label, f.attackType])).toEqual([[0, 'benign'], [1, 'smurf']]);
  });
});

describe('generic CSV preset', () => {
  it('maps known column names, puts other numbers in extra and uses the named label column', async () => {
    const { flows, report } = await loadFlowsArray(fixture('generic-labelled.csv'), { format: 'csv', labelColumn: 'verdict' });
    expect(report).toMatchObject({ format: 'csv', flows: 4, badRows: 1, badRowSamples: [{ line: 6, reason: 'label: empty' }] });
    expect(flows[0]).toMatchObject({ ts: Date.parse('2026-11-30T10:00:00Z'), srcIp: '10.0.0.5', dstPort: 443, durationMs: 812.5, fwdBytes: 1200, bwdPackets: 40, label: 0, extra: { mean_iat: 20.3 } });
    expect(flows.map((f) => [f.label, f.attackType])).toEqual([[0, 'benign'], [1, 'ssh-bruteforce'], [0, 'benign'], [1, 'attack']]);
    expect(flows[3]?.protocol).toBe('tcp');
  });

  it('names a missing label column', async () => {
    await expect(loadFlowsArray(fixture('generic-labelled.csv'), { format: 'csv' })).rejects.toThrow(/missing column label/);
    await expect(loadFlowsArray(fixture('generic-labelled.csv'), { format: 'csv', labelColumn: 'class' })).rejects.toThrow(/missing column class/);
  });
});

describe('loader errors', () => {
  it('names the missing columns when a file does not fit the chosen preset, before yielding anything', async () => {
    const loader = loadFlows(fixture('UNSW_NB15_training-set-sample.csv'), { format: 'cicflowmeter' });
    const seen: unknown[] = [];
    const run = async (): Promise<void> => {
      for await (const flow of loader) seen.push(flow);
    };
    const error = await run().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      'not a CICFlowMeter file: missing columns Dst Port / Destination Port, Flow Duration, Tot Fwd Pkts / Total Fwd Packets, Tot Bwd Pkts / Total Backward Packets, TotLen Fwd Pkts / Total Length of Fwd Packets, TotLen Bwd Pkts / Total Length of Bwd Packets',
    );
    expect((error as InputError).details['missing']).toHaveLength(6);
    expect(seen).toEqual([]);
  });

  it('says what each preset missed when none fits', async () => {
    const path = temp('nothing.csv', 'a,b,c\n1,2,3\n');
    await expect(loadFlowsArray(path)).rejects.toThrow(/matches no flow preset: not a CICFlowMeter file: missing columns .*Flow Duration.*; not a UNSW-NB15 file.*; not an NSL-KDD file.*; not a labelled CSV file: missing column label/);
  });

  it('rejects missing, empty and directory inputs and a second iteration', async () => {
    await expect(loadFlowsArray(join(dir, 'absent.csv'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadFlowsArray(temp('empty.csv', ''))).rejects.toThrow(/empty/);
    await expect(loadFlowsArray(dir)).rejects.toBeInstanceOf(InputError);
    const loader = loadFlows(fixture('generic-labelled.csv'), { labelColumn: 'verdict' });
    for await (const _ of loader) break;
    expect(() => loader[Symbol.asyncIterator]()).toThrow(/iterated once/);
  });

  it('counts rows with broken quoting and goes on', async () => {
    const path = temp('quotes.csv', 'dst_port,fwd_bytes,label\n80,100,benign\n81,"2"00",attack\n82,300,attack\n');
    const { flows, report } = await loadFlowsArray(path);
    expect(flows.map((f) => f.dstPort)).toEqual([80, 82]);
    expect(report.badRows).toBe(1);
    expect(report.badRowSamples[0]?.line).toBe(3);
  });

  it('streams a large file and keeps only the first bad rows', async () => {
    const lines = ['dst_port,fwd_bytes,label'];
    for (let i = 0; i < 12000; i += 1) lines.push(i % 1000 === 0 ? `${i % 65536},oops,attack` : `${i % 65536},${i},${i % 10 === 0 ? 'attack' : 'benign'}`);
    const path = temp('big.csv', `${lines.join('\n')}\n`);
    const loader = loadFlows(path, { keepBadRows: 5 });
    let attacks = 0;
    let count = 0;
    for await (const flow of loader) {
      count += 1;
      attacks += flow.label ?? 0;
    }
    expect(count).toBe(11988);
    expect(attacks).toBe(1188);
    expect(loader.report()).toMatchObject({ rows: 12000, flows: 11988, badRows: 12 });
    expect(loader.report().badRowSamples.map((b) => b.line)).toEqual([2, 1002, 2002, 3002, 4002]);
  });
});
