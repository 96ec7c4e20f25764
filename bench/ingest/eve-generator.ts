import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** What a generated EVE file holds. */
export interface GeneratedEve {
  readonly lines: number;
  readonly bytes: number;
  readonly alerts: number;
  readonly flows: number;
}

const SIGS = [
  [2001219, 'ET SCAN Potential SSH Scan', 'Attempted Information Leak', 2],
  [2024364, 'ET WEB_SERVER Possible SQL Injection Attempt UNION SELECT', 'Web Application Attack', 1],
  [2010937, 'ET SCAN Suspicious inbound to mySQL port 3306', 'Potentially Bad Traffic', 2],
  [2027865, 'ET INFO Observed DNS Query to .cloud TLD', 'Potentially Bad Traffic', 3],
  [2030358, 'ET MALWARE Cobalt Strike Beacon Observed', 'A Network Trojan was detected', 1],
] as const;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Writes `lines` EVE records with the mix of a busy sensor: 10 % alerts from
 * 200 attackers, 40 % flows (a 10,000-port scan among them), 20 % dns, 15 %
 * http, 10 % tls, 4 % fileinfo, 1 % anomaly. Deterministic (no randomness).
 */
export async function writeEveFile(path: string, lines: number): Promise<GeneratedEve> {
  const out = createWriteStream(path);
  let bytes = 0;
  let alerts = 0;
  let flows = 0;
  let scanPort = 1;
  const base = Date.UTC(2026, 11, 2, 10, 0, 0);
  for (let i = 0; i < lines; i += 1) {
    const t = new Date(base + i * 5);
    const ts = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${String(t.getUTCMilliseconds()).padStart(3, '0')}000+0000`;
    const flowId = (1234567890123456789n + BigInt(i)).toString();
    const slot = i % 100;
    const client = `10.${String((i >> 16) & 255)}.${String((i >> 8) & 255)}.${String(i & 255)}`;
    let rec: string;
    if (slot < 10) {
      const [sid, sig, cat, sev] = SIGS[i % SIGS.length] as (typeof SIGS)[number];
      rec = `{"timestamp":"${ts}","flow_id":${flowId},"in_iface":"eth0","event_type":"alert","src_ip":"203.0.113.${String(i % 200)}","src_port":${String(40000 + (i % 20000))},"dest_ip":"192.0.2.${String(i % 16)}","dest_port":${String([22, 80, 3306, 53, 443][i % 5])},"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":${String(sid)},"rev":3,"signature":"${sig}","category":"${cat}","severity":${String(sev)}},"app_proto":"http"}`;
      alerts += 1;
    } else if (slot < 50) {
      const scan = slot < 20 && scanPort <= 10_000;
      const src = scan ? '198.51.100.66' : client;
      const port = scan ? scanPort++ : [80, 443, 53, 22][i % 4];
      const answered = scan ? 0 : 5;
      rec = `{"timestamp":"${ts}","flow_id":${flowId},"event_type":"flow","src_ip":"${src}","src_port":${String(30000 + (i % 30000))},"dest_ip":"${scan ? '192.0.2.10' : `192.0.2.${String(i % 16)}`}","dest_port":${String(port)},"proto":"TCP","app_proto":"failed","flow":{"pkts_toserver":${scan ? '1' : '6'},"pkts_toclient":${String(answered)},"bytes_toserver":${scan ? '60' : '520'},"bytes_toclient":${String(answered * 300)},"start":"${ts}","end":"${ts}","age":0,"state":"${scan ? 'new' : 'closed'}","reason":"timeout","alerted":false},"tcp":{"tcp_flags":"1b","syn":true${scan ? '' : ',"ack":true,"fin":true'}}}`;
      flows += 1;
    } else if (slot < 70) {
      rec = `{"timestamp":"${ts}","flow_id":${flowId},"event_type":"dns","src_ip":"${client}","src_port":53535,"dest_ip":"192.0.2.53","dest_port":53,"proto":"UDP","dns":{"version":2,"type":"query","id":${String(i & 65535)},"rrname":"host${String(i % 5000)}.example.org","rrtype":"A","tx_id":0}}`;
    } else if (slot < 85) {
      rec = `{"timestamp":"${ts}","flow_id":${flowId},"event_type":"http","src_ip":"${client}","src_port":40000,"dest_ip":"198.51.100.80","dest_port":80,"proto":"TCP","tx_id":0,"http":{"hostname":"www.example.org","url":"/page/${String(i % 997)}","http_user_agent":"Mozilla/5.0 (X11; Linux x86_64)","http_content_type":"text/html","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":${String(1000 + (i % 5000))}}}`;
    } else if (slot < 95) {
      rec = `{"timestamp":"${ts}","flow_id":${flowId},"event_type":"tls","src_ip":"${client}","src_port":40001,"dest_ip":"198.51.100.81","dest_port":443,"proto":"TCP","tls":{"subject":"CN=example.org","issuerdn":"CN=R3, O=Let's Encrypt, C=US","serial":"04:AB","fingerprint":"aa:bb:cc","sni":"example.org","version":"TLS 1.3","notbefore":"2026-10-01T00:00:00","notafter":"2026-12-30T00:00:00","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865","string":"771,4865-4866,0-23,29,0"}}}`;
    } else if (slot < 99) {
      rec = `{"timestamp":"${ts}","flow_id":${flowId},"event_type":"fileinfo","src_ip":"198.51.100.80","src_port":80,"dest_ip":"${client}","dest_port":40000,"proto":"TCP","app_proto":"http","fileinfo":{"filename":"/page/${String(i % 997)}","gaps":false,"state":"CLOSED","sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","stored":false,"size":1256,"tx_id":0}}`;
    } else {
      rec = `{"timestamp":"${ts}","event_type":"anomaly","src_ip":"${client}","src_port":0,"dest_ip":"192.0.2.10","dest_port":0,"proto":"TCP","anomaly":{"type":"decode","event":"decoder.ipv4.trunc_pkt"}}`;
    }
    const line = `${rec}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { lines, bytes, alerts, flows };
}
