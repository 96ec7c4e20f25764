import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinTemplatesDir } from '@waggle/misp';
import { COWRIE_RELATION_TYPES, cowrieObject } from './cowrie-object.js';
import { parseCowrieLine, type CowrieRecord } from './cowrie-record.js';
import { createSessionAggregator } from './session-aggregator.js';
import { stableUuid } from './stable-uuid.js';
import { tailCowrieLog } from './tail-cowrie-log.js';
import { attackPatternTag, techniqueOfTag } from './attack-techniques.js';

const tmp = mkdtempSync(join(tmpdir(), 'hp-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cowrie object mapping', () => {
  it('uses exactly the relations and types of the MISP cowrie template', () => {
    const def = JSON.parse(readFileSync(join(builtinTemplatesDir(), 'cowrie', 'definition.json'), 'utf8')) as { attributes: Record<string, { 'misp-attribute': string }>; uuid: string; version: number };
    expect(Object.fromEntries(Object.entries(def.attributes).map(([k, v]) => [k, v['misp-attribute']]))).toEqual(COWRIE_RELATION_TYPES);
  });
});

describe('stable UUIDs', () => {
  it('are version 5, deterministic and distinct per input', () => {
    const a = stableUuid('s', '198.51.100.1', 0);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid('s', '198.51.100.1', 0)).toBe(a);
    expect(stableUuid('s', '198.51.100.1', 1)).not.toBe(a);
  });
});

describe('ATT&CK tags', () => {
  it('names techniques as the galaxy does and reads them back', () => {
    expect(attackPatternTag('T1110')).toBe('misp-galaxy:mitre-attack-pattern="Brute Force - T1110"');
    expect(techniqueOfTag('misp-galaxy:mitre-attack-pattern="Password Guessing - T1110.001"')).toBe('T1110.001');
    expect(techniqueOfTag('tlp:amber')).toBeUndefined();
  });
});

const rec = (eventid: string, session: string, ip: string, at: string, extra: Record<string, unknown> = {}): CowrieRecord => ({ eventid, session, src_ip: ip, timestamp: at, sensor: 's1', protocol: 'ssh', ...extra });

describe('session aggregation', () => {
  it('groups finished sessions per attacker and window, keeps open ones, drops bare connects', () => {
    const agg = createSessionAggregator({ windowMs: 3_600_000, idleMs: 600_000 });
    agg.add(rec('cowrie.session.connect', 'a', '198.51.100.1', '2026-12-02T10:10:00.000000Z'));
    agg.add(rec('cowrie.login.failed', 'a', '198.51.100.1', '2026-12-02T10:10:01.000000Z', { username: 'root', password: 'x' }));
    agg.add(rec('cowrie.session.closed', 'a', '198.51.100.1', '2026-12-02T10:10:02.000000Z'));
    agg.add(rec('cowrie.login.failed', 'b', '198.51.100.1', '2026-12-02T10:50:00.000000Z', { username: 'root', password: 'y' }));
    agg.add(rec('cowrie.session.closed', 'b', '198.51.100.1', '2026-12-02T10:50:01.000000Z'));
    agg.add(rec('cowrie.login.failed', 'c', '198.51.100.1', '2026-12-02T11:05:00.000000Z', { username: 'root', password: 'z' }));
    agg.add(rec('cowrie.session.connect', 'd', '198.51.100.2', '2026-12-02T10:00:00.000000Z'));
    agg.add(rec('cowrie.session.closed', 'd', '198.51.100.2', '2026-12-02T10:00:01.000000Z'));
    agg.add(rec('waggle.session.rejected', 'e', '198.51.100.3', '2026-12-02T10:00:01.000000Z'));
    const now = new Date('2026-12-02T11:06:00Z');
    const ready = agg.takeReady(now);
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({ src_ip: '198.51.100.1', window_start: '2026-12-02T10:00:00.000Z', window_end: '2026-12-02T11:00:00.000Z' });
    expect(ready[0]?.sessions.map((s) => s.session)).toEqual(['a', 'b']);
    expect(agg.pending()).toBe(1);
    expect(agg.takeReady(new Date('2026-12-02T11:20:00Z'))[0]?.sessions.map((s) => s.session)).toEqual(['c']);
    expect(() => createSessionAggregator({ windowMs: 0, idleMs: 1 })).toThrow(RangeError);
  });
});

describe('SSH exploit sessions', () => {
  it('carry the CVE and technique and are headed by the exploit, keeping the passwords tried', () => {
    const agg = createSessionAggregator({ windowMs: 3_600_000, idleMs: 600_000 });
    agg.add(rec('cowrie.session.connect', 'x', '198.51.100.4', '2026-12-02T10:00:00.000000Z'));
    agg.add(rec('cowrie.login.failed', 'x', '198.51.100.4', '2026-12-02T10:00:01.000000Z', { username: 'root', password: 'toor' }));
    agg.add(rec('waggle.ssh.exploit', 'x', '198.51.100.4', '2026-12-02T10:00:02.000000Z', { cve: 'CVE-2018-10933', technique: 'T1190', detector: 'libssh-userauth-success-from-client', evidence: ['client sent SSH_MSG_USERAUTH_SUCCESS (52)'] }));
    agg.add(rec('cowrie.session.closed', 'x', '198.51.100.4', '2026-12-02T10:00:03.000000Z'));
    const session = agg.takeReady(new Date('2026-12-02T11:00:00Z'))[0]?.sessions[0];
    if (session === undefined) throw new Error('no session');
    expect(session.cves).toEqual(['CVE-2018-10933']);
    expect(session.techniques).toEqual(expect.arrayContaining(['T1190', 'T1110.001']));
    const relations = Object.fromEntries(cowrieObject(session).Attribute.map((a) => [a.object_relation, a.value]));
    expect(relations).toMatchObject({ eventid: 'waggle.ssh.exploit', message: 'Exploit attempt CVE-2018-10933', username: 'root', password: 'toor', protocol: 'ssh' });
  });
});

describe('Cowrie log lines', () => {
  it('parses valid lines and ignores broken ones', () => {
    expect(parseCowrieLine('{"eventid":"cowrie.session.connect","timestamp":"2026-12-02T10:00:00.000000Z","session":"a","src_ip":"1.2.3.4"}')?.session).toBe('a');
    for (const bad of ['', 'not json', '{"eventid":1}', '{"eventid":"x","timestamp":"yesterday","session":"a","src_ip":"1"}', '[1]']) expect(parseCowrieLine(bad)).toBeUndefined();
  });
  it('tails a file: appended lines, cut lines completed later, and truncation', () => {
    const file = join(tmp, 'cowrie.json');
    const line = (s: string): string => `{"eventid":"cowrie.session.connect","timestamp":"2026-12-02T10:00:00.000000Z","session":"${s}","src_ip":"1.2.3.4"}`;
    writeFileSync(file, `${line('a')}\n${line('b').slice(0, 20)}`);
    const seen: string[] = [];
    const tail = tailCowrieLog(file, (r) => seen.push(r.session), { intervalMs: 0 });
    expect(tail.poll()).toBe(1);
    appendFileSync(file, `${line('b').slice(20)}\n`);
    expect(tail.poll()).toBe(1);
    writeFileSync(file, `${line('c')}\n`);
    tail.poll();
    expect(seen).toEqual(['a', 'b', 'c']);
    tail.stop();
  });
});
