import { describe, expect, it } from 'vitest';
import type { AttributeRecord } from '@waggle/core';
import { dnsWireFormat, escapeContent, nidsHeader, nidsRules } from './nids.js';

const attr = (type: string, value1: string, value2 = '', id = 7): AttributeRecord => ({ id, event_id: 3, type, value1, value2 }) as unknown as AttributeRecord;
const ctx = { tags: ['tlp:white', 'apt'], threatLevel: 2 };
const suricata = { format: 'suricata', sidBase: 4_000_000, baseUrl: 'https://misp.example' } as const;
const snort = { ...suricata, format: 'snort' } as const;

describe('NIDS rules (MISP NidsExport layout)', () => {
  it('writes IP rules with MISP msg, sid, priority and reference', () => {
    expect(nidsRules(attr('ip-dst', '203.0.113.5'), ctx, suricata)).toEqual([
      'alert ip $HOME_NET any -> 203.0.113.5 any (msg: "MISP e3 [tlp:white,apt] Outgoing To IP: 203.0.113.5"; classtype:trojan-activity; sid:4000071; rev:1; priority:2; reference:url,https://misp.example/events/view/3;) ',
    ]);
    expect(nidsRules(attr('ip-src|port', '198.51.100.1', '8080'), ctx, snort)[0]).toContain('alert ip 198.51.100.1 8080 -> $HOME_NET any (msg: "MISP e3 [tlp:white,apt] Incoming From IP: 198.51.100.1|8080";');
  });

  it('gives a domain DNS and HTTP rules, numbered one after the other', () => {
    const rules = nidsRules(attr('domain', 'evil.example'), ctx, suricata);
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatch(/^alert dns any any -> any 53 \(msg: "MISP e3 \[tlp:white,apt\] Domain: evil.example"; dns_query; content:"evil.example"; nocase; pcre: "\/\(\^\|\[\^A-Za-z0-9-\]\)evil\\.example\$\/i";/);
    expect(rules[1]).toContain('alert http $HOME_NET any -> $EXTERNAL_NET any');
    expect(rules.map((r) => /sid:(\d+);/.exec(r)?.[1])).toEqual(['4000071', '4000072']);
    const snortRules = nidsRules(attr('hostname', 'c2.evil.example'), ctx, snort);
    expect(snortRules).toHaveLength(3);
    expect(snortRules[0]).toContain(`content:"${dnsWireFormat('c2.evil.example', true)}"`);
    expect(dnsWireFormat('c2.evil.example', true)).toBe('|01||02|c2|04|evil|07|example|00|');
  });

  it('escapes what a rule cannot hold literally', () => {
    expect(escapeContent('a|b"c;d:e\\f0x1')).toBe('a|7c|b|22|c|3b|d|3a|e|5c|f|30 78|1');
    const ua = nidsRules(attr('user-agent', 'Evil; "UA"'), ctx, suricata)[0];
    expect(ua).toContain('content:"Evil|3b| |22|UA|22|"; fast_pattern; http_user_agent;');
  });

  it('turns URLs into protocol-aware rules', () => {
    expect(nidsRules(attr('url', 'http://evil.example/a/b?x=1'), ctx, suricata)[0]).toContain('alert http $HOME_NET any -> $EXTERNAL_NET $HTTP_PORTS (msg: "MISP e3 [tlp:white,apt] Outgoing URL: http|3a|//evil.example/a/b?x=1"; flow:to_server,established; content:"evil.example"; fast_pattern; nocase; http_header; content:"/a/b?x=1"; nocase; http_uri;');
    expect(nidsRules(attr('url', 'https://203.0.113.9:8443/x'), ctx, suricata)[0]).toContain('alert tcp $HOME_NET any -> 203.0.113.9 8443');
    expect(nidsRules(attr('url', 'https://login.evil.example/x'), ctx, suricata)[0]).toContain('alert tls $EXTERNAL_NET 443 -> $HOME_NET any');
    expect(nidsRules(attr('url', 'ssh://evil.example'), ctx, suricata)).toEqual([]);
    expect(nidsRules(attr('url', '/gate.php'), ctx, snort)[0]).toContain('content:"/gate.php"; nocase; http_uri;');
  });

  it('writes e-mail, composite and JA3 rules, and nothing for types an IDS cannot see', () => {
    expect(nidsRules(attr('email', 'x@evil.example'), ctx, snort)).toHaveLength(2);
    expect(nidsRules(attr('domain|ip', 'evil.example', '203.0.113.5'), ctx, suricata)).toHaveLength(4);
    expect(nidsRules(attr('ja3-fingerprint-md5', 'e7d705a3286e19ea42f587b344ee6865'), ctx, suricata)[0]).toContain('ja3.hash; content:"e7d705a3286e19ea42f587b344ee6865";');
    expect(nidsRules(attr('ja3-fingerprint-md5', 'e7d705a3286e19ea42f587b344ee6865'), ctx, snort)).toEqual([]);
    expect(nidsRules(attr('md5', 'd41d8cd98f00b204e9800998ecf8427e'), ctx, suricata)).toEqual([]);
  });

  it('puts MISP sid, msg, classtype and reference into a stored snort rule', () => {
    const [rule] = nidsRules(attr('snort', 'alert tcp any any -> any 80 (msg:"Evil beacon"; content:"beacon"; sid:99; rev:3;)'), ctx, snort);
    expect(rule).toBe('alert tcp any any -> any 80 (msg: "MISP e3 [tlp:white,apt] snort-rule | Evil beacon"; content:"beacon"; sid:4000071; rev:1; classtype:trojan-activity; reference:url,https://misp.example/events/view/3;)');
    expect(nidsRules(attr('snort', 'not a rule'), ctx, snort)).toEqual([]);
  });

  it('starts with the variables a sensor must define', () => {
    expect(nidsHeader('snort').split('\n')[0]).toBe('# MISP export of IDS rules - optimized for snort');
  });
});
