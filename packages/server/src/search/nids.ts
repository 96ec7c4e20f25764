import type { AttributeRecord } from '@waggle/core';

/** The two IDS rule dialects of MISP's NIDS export (`returnFormat: suricata | snort`). */
export type NidsFormat = 'suricata' | 'snort';

/** What a rule needs beside the attribute: tags (the attribute's, then its event's) and the event's threat level. */
export interface NidsContext {
  readonly tags: readonly string[];
  readonly threatLevel: number;
}

/** Settings of one export: the caller's first sid (MISP's per-user `nids_sid`) and where events are viewed. */
export interface NidsOptions {
  readonly format: NidsFormat;
  readonly sidBase: number;
  readonly baseUrl: string;
}

/** The comment block MISP's export starts with: the rule variables a sensor must define. */
export function nidsHeader(format: NidsFormat): string {
  return [
    `# MISP export of IDS rules - optimized for ${format}`,
    '#',
    '# These NIDS rules contain some variables that need to exist in your configuration.',
    '# Make sure you have set:',
    '#',
    '# $HOME_NET     - Your internal network range',
    '# $EXTERNAL_NET - The network considered as outside',
    '# $SMTP_SERVERS - All your internal SMTP servers',
    '# $HTTP_PORTS   - The ports used to contain HTTP traffic (not required with suricata export)',
    '# ',
  ].join('\n');
}

/** Bytes a rule's quoted content may not hold literally, written as hex (`|` first, so the others stay intact). */
export function escapeContent(value: string): string {
  return value.replace(/0x|[|";:\\]/g, (c) => ({ '|': '|7c|', '"': '|22|', ';': '|3b|', ':': '|3a|', '\\': '|5c|', '0x': '|30 78|' })[c] ?? c);
}

/** A DNS name as it travels in a query: `evil.com` → `|04|evil|03|com|00|`, with `|01|` first for a host. */
export function dnsWireFormat(name: string, host: boolean): string {
  const labels = name.split('.').map((label) => `|${Buffer.byteLength(label).toString(16).padStart(2, '0')}|${label}`);
  return `${host ? '|01|' : ''}${labels.join('')}|00|`;
}

/** A value inside a PCRE, with its metacharacters escaped. */
function pcreQuote(value: string): string {
  return value.replace(/[.\\+*?[^\]$(){}=!<>|:#/-]/g, (c) => `\\${c}`);
}

interface Rule {
  readonly proto: string;
  readonly src: string;
  readonly srcPort: string;
  readonly dst: string;
  readonly dstPort: string;
  readonly msg: string;
  readonly content?: string;
  readonly tag?: string;
}

const SESSION_TAG = 'tag:session,600,seconds;';

function ipAndPort(a: AttributeRecord): [string, string] {
  return a.type.endsWith('|port') ? [a.value1, a.value2 === '' ? 'any' : a.value2] : [a.value1, 'any'];
}

function ipRules(a: AttributeRecord, direction: 'dst' | 'src'): Rule[] {
  const [ip, port] = ipAndPort(a);
  const value = a.type.endsWith('|port') ? `${a.value1}|${a.value2}` : a.value1;
  return direction === 'dst'
    ? [{ proto: 'ip', src: '$HOME_NET', srcPort: 'any', dst: ip, dstPort: port, msg: `Outgoing To IP: ${value}` }]
    : [{ proto: 'ip', src: ip, srcPort: port, dst: '$HOME_NET', dstPort: 'any', msg: `Incoming From IP: ${value}` }];
}

function smtpRule(header: string, value: string, msg: string): Rule {
  const content = `flow:established,to_server; content:"${header}|3a|"; nocase; content:"${escapeContent(value)}"; fast_pattern; nocase; content:"|0D 0A 0D 0A|"; within:8192;`;
  return { proto: 'tcp', src: '$EXTERNAL_NET', srcPort: 'any', dst: '$SMTP_SERVERS', dstPort: '25', msg, content, tag: SESSION_TAG };
}

function nameRules(name: string, host: boolean, format: NidsFormat): Rule[] {
  const label = host ? 'Hostname' : 'Domain';
  const safe = escapeContent(name);
  // A host is the whole name; a domain may be preceded by subdomains.
  const before = host ? '(^|[^A-Za-z0-9-\\.])' : '(^|[^A-Za-z0-9-])';
  if (format === 'suricata') {
    return [
      { proto: 'dns', src: 'any', srcPort: 'any', dst: 'any', dstPort: '53', msg: `${label}: ${safe}`, content: `dns_query; content:"${safe}"; nocase; pcre: "/${before}${pcreQuote(name)}$/i";` },
      {
        proto: 'http', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: 'any', msg: `Outgoing HTTP ${label}: ${safe}`, tag: SESSION_TAG,
        content: host
          ? `flow:to_server,established; content: "Host|3a| ${safe}"; fast_pattern; nocase; http_header; pcre: "/${before}${pcreQuote(name)}[^A-Za-z0-9-\\.]/Hi";`
          : `flow:to_server,established; content: "Host|3a|"; nocase; http_header; content:"${safe}"; fast_pattern; nocase; http_header; pcre: "/${before}${pcreQuote(name)}[^A-Za-z0-9-\\.]/Hi";`,
      },
    ];
  }
  const dns = `content:"|01 00 00 01 00 00 00 00 00 01|"; depth:10; offset:2; content:"${dnsWireFormat(safe, host)}"; fast_pattern; nocase;`;
  return [
    { proto: 'udp', src: 'any', srcPort: 'any', dst: 'any', dstPort: '53', msg: `${label}: ${safe}`, content: dns },
    { proto: 'tcp', src: 'any', srcPort: 'any', dst: 'any', dstPort: '53', msg: `${label}: ${safe}`, content: `${dns} flow:established;` },
    {
      proto: 'tcp', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: '$HTTP_PORTS', msg: `Outgoing HTTP ${label}: ${safe}`, tag: SESSION_TAG,
      content: host
        ? `flow:to_server,established; content: "Host|3a| ${safe}"; nocase; http_header; pcre: "/${before}${pcreQuote(name)}[^A-Za-z0-9-\\.]/H";`
        : `flow:to_server,established; content: "Host|3a|"; nocase; http_header; content:"${safe}"; fast_pattern; nocase; http_header; pcre: "/${before}${pcreQuote(name)}[^A-Za-z0-9-\\.]/H";`,
    },
  ];
}

const PORT_OF: Readonly<Record<string, string>> = { http: '$HTTP_PORTS', https: '443', ssh: '22', ftp: '[20,21]' };

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(':') && /^\[?[0-9a-f:.]+\]?$/i.test(host));
}

function urlRules(value: string, format: NidsFormat): Rule[] {
  const msgValue = escapeContent(value);
  if (format === 'snort') {
    return [{ proto: 'tcp', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: '$HTTP_PORTS', msg: `Outgoing HTTP URL: ${msgValue}`, content: `flow:to_server,established; content:"${msgValue}"; nocase; http_uri;`, tag: SESSION_TAG }];
  }
  let url: URL | undefined;
  try {
    url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  const msg = `Outgoing URL: ${msgValue}`;
  const scheme = url?.protocol.replace(/:$/, '');
  const host = url === undefined ? '' : escapeContent(url.hostname.replace(/^\[|\]$/g, ''));
  const port = url === undefined || url.port === '' ? (PORT_OF[scheme ?? ''] ?? 'any') : url.port;
  if (url !== undefined && scheme === 'http') {
    const path = `${url.pathname}${url.search}`;
    const content = path === '/' && !value.endsWith('/')
      ? `flow:to_server,established; content:"${host}"; nocase; http_header;`
      : `flow:to_server,established; content:"${host}"; fast_pattern; nocase; http_header; content:"${escapeContent(path)}"; nocase; http_uri;`;
    return [{ proto: 'http', src: '$HOME_NET', srcPort: 'any', dst: isIp(host) ? host : '$EXTERNAL_NET', dstPort: port, msg, content, tag: SESSION_TAG }];
  }
  if (url !== undefined && scheme === 'https') {
    return isIp(host)
      ? [{ proto: 'tcp', src: '$HOME_NET', srcPort: 'any', dst: host, dstPort: port, msg, content: 'flow:to_server; app-layer-protocol:tls;', tag: SESSION_TAG }]
      : [{ proto: 'tls', src: '$EXTERNAL_NET', srcPort: port, dst: '$HOME_NET', dstPort: 'any', msg, content: `tls_cert_subject; content:"${host}"; nocase; pcre:"/${pcreQuote(url.hostname)}$/";`, tag: SESSION_TAG }];
  }
  if (url !== undefined && (scheme === 'ssh' || scheme === 'ftp')) {
    // Only an address gives a usable rule; a name needs a domain or hostname attribute.
    if (!isIp(host)) return [];
    return [{ proto: 'tcp', src: '$HOME_NET', srcPort: 'any', dst: host, dstPort: scheme === 'ssh' ? (url.port === '' ? '$SSH_PORTS' : url.port) : port, msg, content: `flow:to_server; app-layer-protocol:${scheme};` }];
  }
  return [{ proto: 'http', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: 'any', msg, content: `flow:to_server,established; content:"${msgValue}"; fast_pattern; nocase; http_uri;`, tag: SESSION_TAG }];
}

function userAgentRules(value: string, format: NidsFormat): Rule[] {
  const safe = escapeContent(value);
  return format === 'suricata'
    ? [{ proto: 'http', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: 'any', msg: `Outgoing User-Agent: ${safe}`, content: `flow:to_server,established; content:"${safe}"; fast_pattern; http_user_agent;`, tag: SESSION_TAG }]
    : [{ proto: 'tcp', src: '$HOME_NET', srcPort: 'any', dst: '$EXTERNAL_NET', dstPort: '$HTTP_PORTS', msg: `Outgoing User-Agent: ${safe}`, content: `flow:to_server,established; content:"${safe}"; http_header;`, tag: SESSION_TAG }];
}

function ja3Rules(value: string, server: boolean): Rule[] {
  return [{
    proto: 'tls', src: server ? '$EXTERNAL_NET' : '$HOME_NET', srcPort: 'any', dst: server ? '$HOME_NET' : '$EXTERNAL_NET', dstPort: 'any',
    msg: `${server ? 'JA3S' : 'JA3'} Hash: ${value}`, content: `${server ? 'ja3s.hash' : 'ja3.hash'}; content:"${value}";`,
  }];
}

/** The rules one attribute gives (none for types an IDS cannot match on the wire). */
function rulesFor(a: AttributeRecord, format: NidsFormat): Rule[] {
  switch (a.type) {
    case 'ip-dst':
    case 'ip-dst|port':
      return ipRules(a, 'dst');
    case 'ip-src':
    case 'ip-src|port':
      return ipRules(a, 'src');
    case 'email':
      return [smtpRule('MAIL FROM', a.value1, `Source Email Address: ${escapeContent(a.value1)}`), smtpRule('RCPT TO', a.value1, `Destination Email Address: ${escapeContent(a.value1)}`)];
    case 'email-src':
      return [smtpRule('MAIL FROM', a.value1, `Source Email Address: ${escapeContent(a.value1)}`)];
    case 'email-dst':
      return [smtpRule('RCPT TO', a.value1, `Destination Email Address: ${escapeContent(a.value1)}`)];
    case 'email-subject':
      return [smtpRule('Subject', a.value1, 'Bad Email Subject')];
    case 'email-attachment': {
      const content = `flow:established,to_server; content:"Content-Disposition|3a| attachment|3b| filename|3d 22|"; content:"${escapeContent(a.value1)}|22|"; fast_pattern; content:"|0D 0A 0D 0A|"; within:8192;`;
      return [{ proto: 'tcp', src: '$EXTERNAL_NET', srcPort: 'any', dst: '$SMTP_SERVERS', dstPort: '25', msg: 'Bad Email Attachment', content, tag: SESSION_TAG }];
    }
    case 'domain':
      return nameRules(a.value1, false, format);
    case 'hostname':
      return nameRules(a.value1, true, format);
    case 'domain|ip':
      return [
        ...nameRules(a.value1, false, format),
        { proto: 'ip', src: '$HOME_NET', srcPort: 'any', dst: a.value2, dstPort: 'any', msg: `Outgoing To IP: ${a.value2}` },
        { proto: 'ip', src: a.value2, srcPort: 'any', dst: '$HOME_NET', dstPort: 'any', msg: `Incoming From IP: ${a.value2}` },
      ];
    case 'url':
      return urlRules(a.value1, format);
    case 'user-agent':
      return userAgentRules(a.value1, format);
    case 'ja3-fingerprint-md5':
      return format === 'suricata' ? ja3Rules(a.value1, false) : [];
    case 'ja3s-fingerprint-md5':
      return format === 'suricata' ? ja3Rules(a.value1, true) : [];
    default:
      return [];
  }
}

/** A `snort` attribute (a whole rule) with MISP's sid, rev, classtype, msg and reference put in. */
function storedRule(a: AttributeRecord, sid: number, msgPrefix: string, reference: string): string | undefined {
  let rule = a.value1.replace(/[\r\n]+/g, ' ').trim();
  if (!/\(.*;\s*\)\s*$/.test(rule)) return undefined;
  const missing: string[] = [];
  const put = (re: RegExp, text: string): void => {
    if (re.test(rule)) rule = rule.replace(re, text);
    else missing.push(text);
  };
  put(/sid\s*:\s*[0-9]+\s*;/g, `sid:${String(sid)};`);
  put(/rev\s*:\s*[0-9]+\s*;/g, 'rev:1;');
  put(/classtype:[a-zA-Z_-]+;/g, 'classtype:trojan-activity;');
  const msg = /msg\s*:\s*"(.*?)"\s*;/.exec(rule);
  if (msg !== null) rule = rule.replace(/msg\s*:\s*"(.*?)"\s*;/g, (_m, text: string) => `msg: "${msgPrefix} snort-rule | ${text}";`);
  else missing.push(`msg: "${msgPrefix} snort-rule";`);
  put(/reference\s*:\s*.+?;/g, `${reference};`);
  return missing.length === 0 ? rule : rule.replace(/;\s*\)\s*$/, `; ${missing.join(' ')})`);
}

/**
 * MISP's NIDS export for one attribute: Suricata or Snort rules in MISP's layout, with sid
 * `sidBase + 10 × attribute id + 1` onwards (room for the rules of one attribute), priority =
 * the event's threat level, msg `MISP e<event> [<tags>] …` and a reference to the event view.
 */
export function nidsRules(a: AttributeRecord, context: NidsContext, options: NidsOptions): string[] {
  const msgPrefix = `MISP e${String(a.event_id)} [${context.tags.join(',')}]`;
  const reference = `reference:url,${options.baseUrl}/events/view/${String(a.event_id)}`;
  let sid = options.sidBase + a.id * 10 + 1;
  if (a.type === 'snort') {
    const rule = storedRule(a, sid, msgPrefix, reference);
    return rule === undefined ? [] : [rule];
  }
  return rulesFor(a, options.format).map((r) => {
    const body = [`msg: "${msgPrefix} ${r.msg}";`, r.content ?? '', r.tag ?? '', `classtype:trojan-activity; sid:${String(sid++)}; rev:1; priority:${String(context.threatLevel)}; ${reference};`]
      .filter((part) => part !== '')
      .join(' ');
    return `alert ${r.proto} ${r.src} ${r.srcPort} -> ${r.dst} ${r.dstPort} (${body}) `;
  });
}
