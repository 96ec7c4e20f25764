import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import type { Finding } from '@waggle/inventory';
import { assessHost } from './assess-host.js';
import { actorEvidence, actorOfTag, alertEvidence, evidenceFromMisp, mergeEvidence, sightingEvidence, techniquesOfTag } from './waggle-evidence.js';

// Answers shaped as waggle's server gives them (attributes/restSearch with includeEventTags,
// sightings/restSearch, events/restSearch); attribute JSON as core's attributeJson writes it.
const HONEYPOT_EVENT = { id: '7', uuid: '3f0c3c1e-5a0d-5b8e-9c1a-0d1f2e3a4b5c', info: 'Honeypot web-lure: activity from 198.51.100.9 (2026-12-01 10:00 UTC)', org_id: '1', orgc_id: '1', distribution: '0' };
const RISK_EVENT = { id: '9', uuid: 'a1a1a1a1-0000-5000-8000-000000000001', info: 'Host risk report: web01 (compromise probability 0.9)' };
const now = 1_780_000_000;

const vulnerabilityAnswer = {
  response: {
    Attribute: [
      {
        id: '41', event_id: '7', object_id: '0', category: 'External analysis', type: 'vulnerability', value: 'CVE-2024-6387', to_ids: false, uuid: 'b7e5a0f2-1111-5222-8333-444455556666',
        timestamp: String(now - 3600), distribution: '5', comment: 'exploit attempt recognised by the honeypot', deleted: false,
        Event: HONEYPOT_EVENT,
        Tag: [{ id: '3', name: 'cve:CVE-2024-6387', colour: '#0088cc' }, { id: '4', name: 'waggle:honeypot-sensor="web-lure"', inherited: 1 }],
      },
      {
        id: '42', event_id: '8', object_id: '0', category: 'External analysis', type: 'vulnerability', value: 'CVE-2023-38408', to_ids: false, uuid: 'c1c1c1c1-1111-5222-8333-444455556666',
        timestamp: String(now - 7200), distribution: '1', comment: 'advisory', deleted: false,
        Event: { id: '8', uuid: 'd2d2d2d2-1111-5222-8333-444455556666', info: 'OpenSSH advisory digest' }, Tag: [],
      },
      {
        id: '43', event_id: '9', object_id: '12', category: 'External analysis', type: 'vulnerability', value: 'CVE-2024-6387', to_ids: false, uuid: 'e3e3e3e3-1111-5222-8333-444455556666',
        timestamp: String(now - 60), distribution: '5', comment: '', deleted: false, Event: RISK_EVENT, Tag: [{ name: 'waggle:host-risk', inherited: 1 }],
      },
    ],
  },
};

const sightingsAnswer = {
  response: [
    { Sighting: { id: '1', attribute_id: '41', event_id: '7', org_id: '2', date_sighting: String(now - 600), uuid: 's-1', source: 'sensor-a', type: '0', Organisation: { id: '2', uuid: 'o', name: 'CIRCL' }, value: 'CVE-2024-6387' } },
    { Sighting: { id: '2', attribute_id: '41', event_id: '7', org_id: '2', date_sighting: String(now - 500), uuid: 's-2', source: '', type: '0', Organisation: { id: '2', uuid: 'o', name: 'CIRCL' }, value: 'CVE-2024-6387' } },
    { Sighting: { id: '3', attribute_id: '41', event_id: '7', org_id: '2', date_sighting: String(now - 400), uuid: 's-3', source: '', type: '1', value: 'CVE-2024-6387' } },
    { Sighting: { id: '4', attribute_id: '42', event_id: '8', org_id: '3', date_sighting: String(now - 90 * 86_400), uuid: 's-4', source: '', type: '0', value: 'CVE-2023-38408' } },
    { Sighting: { id: '5', attribute_id: '43', event_id: '9', org_id: '1', date_sighting: String(now - 30), uuid: 's-5', source: '', type: '0', value: 'CVE-2024-6387' } },
  ],
};

const agentEvent = {
  Event: {
    id: '11', uuid: 'f4f4f4f4-1111-5222-8333-444455556666', info: 'Host agent alerts on web01 (2026-12-01)', date: '2026-12-01', timestamp: String(now - 100), distribution: '0',
    Tag: [{ name: 'waggle:source="host-agent"' }, { name: 'waggle:host="web01"' }, { name: 'misp-galaxy:mitre-attack-pattern="Password Guessing - T1110.001"' }],
    Attribute: [
      { id: '50', type: 'text', value: '6 failed logins for root from 203.0.113.5 in 300 s', timestamp: String(now - 100), comment: 'ssh-brute-force (medium): 6 failed logins for root from 203.0.113.5 in 300 s', Tag: [{ name: 'waggle:agent-rule="ssh-brute-force"' }] },
      { id: '51', type: 'ip-src', value: '203.0.113.5', timestamp: String(now - 100), comment: 'ssh-brute-force (medium): 6 failed logins for root from 203.0.113.5 in 300 s', Tag: [{ name: 'waggle:agent-rule="ssh-brute-force"' }] },
      { id: '52', type: 'text', value: '5 failed logins for admin from 203.0.113.7 in 300 s', timestamp: String(now - 90), comment: 'ssh-brute-force (medium): 5 failed logins for admin from 203.0.113.7 in 300 s', Tag: [{ name: 'waggle:agent-rule="ssh-brute-force"' }] },
      { id: '53', type: 'text', value: 'accepted login for root from 203.0.113.5 after 6 failures', timestamp: String(now - 80), comment: 'login-after-failures (high): accepted login for root from 203.0.113.5 after 6 failures', Tag: [{ name: 'waggle:agent-rule="login-after-failures"' }] },
      { id: '54', type: 'text', value: 'package openssl changed', timestamp: String(now - 70), comment: 'package-changed (low): package openssl changed', Tag: [{ name: 'waggle:agent-rule="package-changed"' }] },
      { id: '55', type: 'text', value: 'old alert', timestamp: String(now - 40 * 86_400), comment: 'port-probe (low): old alert', Tag: [{ name: 'waggle:agent-rule="port-probe"' }] },
    ],
    Object: [],
  },
};
const idsEvent = {
  Event: {
    id: '12', uuid: 'a5a5a5a5-1111-5222-8333-444455556666', info: 'Suricata: ET EXPLOIT OpenSSH regreSSHion attempt', timestamp: String(now - 50),
    Tag: [{ name: 'waggle:host="web01"' }],
    Attribute: [{ id: '60', type: 'vulnerability', value: 'CVE-2024-6387', timestamp: String(now - 50), comment: '' }],
  },
};
const hostAnswer = { response: [agentEvent, idsEvent, { Event: { ...RISK_EVENT, Tag: [{ name: 'waggle:host-risk' }, { name: 'waggle:host="web01"' }], Attribute: [] } }] };

const sectorAnswer = {
  response: [
    {
      Event: {
        id: '20', uuid: 'b6b6b6b6-1111-5222-8333-444455556666', info: 'APT28 campaign against banks',
        Tag: [
          { name: 'misp-galaxy:sector="Finance"' }, { name: 'misp-galaxy:threat-actor="APT28"' },
          { name: 'misp-galaxy:mitre-attack-pattern="Exploit Public-Facing Application - T1190"' },
        ],
        Attribute: [{ type: 'vulnerability', value: 'CVE-2024-6387', Tag: [{ name: 'misp-galaxy:mitre-attack-pattern="Valid Accounts - T1078"' }] }],
      },
    },
    {
      Event: {
        id: '21', uuid: 'c7c7c7c7-1111-5222-8333-444455556666', info: 'Sofacy phishing wave',
        Tag: [{ name: 'misp-galaxy:sector="Finance"' }, { name: 'misp-galaxy:mitre-intrusion-set="APT28 - G0007"' }, { name: 'misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"' }],
        Attribute: [],
      },
    },
    { Event: { id: '22', uuid: 'd8d8d8d8-1111-5222-8333-444455556666', info: 'Fraud statistics', Tag: [{ name: 'misp-galaxy:sector="Finance"' }], Attribute: [] } },
    { Event: { id: '23', uuid: 'e9e9e9e9-1111-5222-8333-444455556666', info: 'Unrelated actor, other sector', Tag: [{ name: 'misp-galaxy:threat-actor="Lazarus Group"' }], Attribute: [] } },
  ],
};

describe('sightingEvidence', () => {
  it('counts type-0 sightings and exploitation reports per CVE, each named, ignoring host risk reports and old sightings', () => {
    const r = sightingEvidence(vulnerabilityAnswer, { cves: ['CVE-2024-6387', 'CVE-2023-38408'], since: now - 30 * 86_400, sightingsAnswer, ignoreEventUuids: [RISK_EVENT.uuid] });
    expect(r.items).toEqual([
      {
        cve: 'CVE-2024-6387',
        count: 3,
        sources: [
          `2× sighting on CVE-2024-6387 in event "${HONEYPOT_EVENT.info}" (${HONEYPOT_EVENT.uuid}) by CIRCL`,
          `exploitation of CVE-2024-6387 reported in event "${HONEYPOT_EVENT.info}" (${HONEYPOT_EVENT.uuid}) (tag waggle:honeypot-sensor="web-lure")`,
        ],
      },
    ]);
    expect(r.notes).toEqual(['1 vulnerability attribute(s) in host risk reports ignored (a report is not evidence)', '1 sighting(s) or exploitation report(s) older than the evidence window ignored']);
  });

  it('reads sightings inlined in the attributes (MISP includeSightings) and says when none were inlined', () => {
    const inline = { response: { Attribute: [{ ...vulnerabilityAnswer.response.Attribute[1], Sighting: [{ uuid: 'x', type: '0', date_sighting: String(now), Organisation: { name: 'ORG-B' } }, { uuid: 'y', type: '2', date_sighting: String(now) }] }] } };
    const r = sightingEvidence(inline, { cves: ['CVE-2023-38408'] });
    expect(r.items).toEqual([{ cve: 'CVE-2023-38408', count: 1, sources: ['sighting on CVE-2023-38408 in event "OpenSSH advisory digest" (d2d2d2d2-1111-5222-8333-444455556666) by ORG-B'] }]);
    expect(sightingEvidence(vulnerabilityAnswer, { cves: ['CVE-2024-6387'], since: now }).items).toEqual([]);
    expect(sightingEvidence(vulnerabilityAnswer, { cves: ['CVE-2023-38408'] }).notes).toContain('the server inlined no sightings in its attribute search; exploitation sightings may be missing');
  });

  it('ignores attributes for other CVEs and rejects what is not a MISP answer', () => {
    expect(sightingEvidence(vulnerabilityAnswer, { cves: ['CVE-2000-0001'], sightingsAnswer }).items).toEqual([]);
    expect(() => sightingEvidence({ Event: {} }, { cves: [] })).toThrow(InputError);
    expect(() => sightingEvidence({ response: { Attribute: [] } }, { cves: [], sightingsAnswer: 'nope' })).toThrow(/sightings\/restSearch: expected/);
  });
});

describe('alertEvidence', () => {
  it('counts agent alerts by rule and severity, IDS events by signature and CVE, within the window', () => {
    const r = alertEvidence(hostAnswer, { host: 'web01', since: now - 30 * 86_400, ignoreEventUuids: [RISK_EVENT.uuid] });
    const agent = `event "Host agent alerts on web01 (2026-12-01)" (${agentEvent.Event.uuid})`;
    expect(r.items).toEqual([
      { signature: 'login-after-failures (high)', count: 1, sources: [agent] },
      { signature: 'ssh-brute-force (medium)', count: 2, sources: [agent] },
      { signature: 'Suricata: ET EXPLOIT OpenSSH regreSSHion attempt', cve: 'CVE-2024-6387', count: 1, sources: [`event "Suricata: ET EXPLOIT OpenSSH regreSSHion attempt" (${idsEvent.Event.uuid})`] },
    ]);
    expect(r.notes).toEqual(['1 package-change alert(s) on web01 left out: routine administration, not an intrusion']);
  });

  it('ignores events not tagged with this host', () => {
    const r = alertEvidence(hostAnswer, { host: 'db02' });
    expect(r.items).toEqual([]);
    expect(r.notes).toEqual(['2 event(s) in the answer do not carry waggle:host="db02" and were ignored']);
    expect(() => alertEvidence({ response: 'x' }, { host: 'a' })).toThrow(/events\/restSearch: expected/);
  });
});

describe('actorEvidence', () => {
  it('merges an actor across events (threat-actor and intrusion-set tags), with techniques, CVEs and sources', () => {
    const r = actorEvidence(sectorAnswer, { sector: 'Finance' });
    expect(r.items).toEqual([
      {
        name: 'APT28',
        techniques: ['T1078', 'T1190', 'T1566', 'T1566.001'],
        cves: ['CVE-2024-6387'],
        sources: [`APT28 in event "APT28 campaign against banks" (${sectorAnswer.response[0]?.Event.uuid ?? ''})`, `APT28 in event "Sofacy phishing wave" (${sectorAnswer.response[1]?.Event.uuid ?? ''})`],
      },
    ]);
    expect(r.notes).toEqual(['1 event(s) tagged with sector Finance name no threat actor (no threat-actor or intrusion-set galaxy tag)']);
    expect(actorEvidence(sectorAnswer, { sector: 'Energy' }).items).toEqual([]);
  });

  it('reads actor and technique tags', () => {
    expect(actorOfTag('misp-galaxy:mitre-intrusion-set="APT28 - G0007"')).toBe('APT28');
    expect(actorOfTag('misp-galaxy:threat-actor="Sandworm"')).toBe('Sandworm');
    expect(actorOfTag('misp-galaxy:sector="Finance"')).toBeUndefined();
    expect(techniquesOfTag('misp-galaxy:mitre-attack-pattern="Exploitation for Privilege Escalation - T1068"')).toEqual(['T1068']);
    expect(techniquesOfTag('misp-galaxy:mitre-attack-pattern="Password Guessing - T1110.001"')).toEqual(['T1110.001', 'T1110']);
    expect(techniquesOfTag('misp-galaxy:threat-actor="T1190"')).toEqual([]);
  });
});

describe('evidence from waggle in the host model', () => {
  const finding = (cve: string, pkg: string): Finding => ({ package: pkg, source: pkg, installedVersion: '1.0-1', ecosystem: 'Debian:12', vulnerabilityId: `DSA-${cve}`, aliases: [cve], cves: [cve], fixedVersion: '1.0-2', severity: [] });
  const findings = [finding('CVE-2024-6387', 'openssh-server'), finding('CVE-2023-38408', 'openssh-client')];
  const cves = ['CVE-2024-6387', 'CVE-2023-38408'];

  it('raises the figure and names every sighting, alert and actor in the factors', () => {
    const { evidence, notes } = evidenceFromMisp(
      { vulnerabilityAttributes: vulnerabilityAnswer, sightings: sightingsAnswer, hostEvents: hostAnswer, sectorEvents: sectorAnswer },
      { host: 'web01', cves, sector: 'Finance', since: now - 30 * 86_400, ignoreEventUuids: [RISK_EVENT.uuid] },
    );
    expect(notes.length).toBeGreaterThan(0);
    const base = assessHost({ findings, kev: new Map(), epss: new Map(), exposure: [{ port: 22, address: '0.0.0.0', protocol: 'tcp', package: 'openssh-server' }] });
    const withEvidence = assessHost({ findings, kev: new Map(), epss: new Map(), exposure: [{ port: 22, address: '0.0.0.0', protocol: 'tcp', package: 'openssh-server' }], evidence });
    expect(withEvidence.probability).toBeGreaterThan(base.probability);
    const ssh = withEvidence.vulnerabilities.find((v) => v.id === 'CVE-2024-6387');
    const reasons = ssh?.factors.map((f) => `${f.name}: ${f.reason}`) ?? [];
    expect(reasons.find((r) => r.startsWith('sighting:'))).toMatch(/3 exploitation sighting\(s\).*2× sighting on CVE-2024-6387 in event "Honeypot web-lure/);
    expect(reasons.find((r) => r.startsWith('alert:'))).toMatch(/1 intrusion alert\(s\) on this host name CVE-2024-6387.*Suricata/);
    expect(reasons.find((r) => r.startsWith('actor-cve:'))).toMatch(/exploited by APT28.*APT28 campaign against banks/);
    expect(reasons.find((r) => r.startsWith('actor-technique:'))).toMatch(/APT28 use T1190/);
    // The client-side library is local: no host-alert update, but the alerts exist.
    const client = withEvidence.vulnerabilities.find((v) => v.id === 'CVE-2023-38408');
    expect(client?.factors.map((f) => f.name)).not.toContain('sighting');
    for (const v of withEvidence.vulnerabilities) expect(v.factors.reduce((a, f) => a * f.multiplier, 1)).toBeCloseTo(v.probability, 12);
  });

  it('merges evidence from a file with the server evidence', () => {
    const merged = mergeEvidence(
      { sightings: [{ cve: 'CVE-1', count: 1 }], actors: [{ name: 'APT28', techniques: ['T1190'], sources: ['file'] }] },
      { alerts: [{ signature: 'x' }], actors: [{ name: 'apt28', techniques: ['T1068'], cves: ['CVE-1'] }, { name: 'FIN7', techniques: [] }] },
    );
    expect(merged).toEqual({
      sightings: [{ cve: 'CVE-1', count: 1 }],
      alerts: [{ signature: 'x' }],
      actors: [{ name: 'APT28', techniques: ['T1190', 'T1068'], cves: ['CVE-1'], sources: ['file'] }, { name: 'FIN7', techniques: [] }],
    });
  });
});
