import { InputError } from '@waggle/errors';
import { normaliseColumn } from './columns.js';
import { layoutFor, type LayoutSpec } from './layout.js';
import type { FlowPreset } from './preset.js';
import { createRowMapper, type RowMapper } from './row-mapper.js';

/** The 41 NSL-KDD / KDD Cup 99 features, then the label and (NSL-KDD only) the difficulty level. */
export const NSL_KDD_COLUMNS: readonly string[] = [
  'duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land', 'wrong_fragment', 'urgent', 'hot',
  'num_failed_logins', 'logged_in', 'num_compromised', 'root_shell', 'su_attempted', 'num_root', 'num_file_creations',
  'num_shells', 'num_access_files', 'num_outbound_cmds', 'is_host_login', 'is_guest_login', 'count', 'srv_count',
  'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate', 'same_srv_rate', 'diff_srv_rate',
  'srv_diff_host_rate', 'dst_host_count', 'dst_host_srv_count', 'dst_host_same_srv_rate', 'dst_host_diff_srv_rate',
  'dst_host_same_src_port_rate', 'dst_host_srv_diff_host_rate', 'dst_host_serror_rate', 'dst_host_srv_serror_rate',
  'dst_host_rerror_rate', 'dst_host_srv_rerror_rate', 'label', 'difficulty',
];

/**
 * Well-known ports of the NSL-KDD service names, so port-based features work on this dataset too.
 * Services without a fixed port (`private`, `other`, the ICMP `eco_i`/`ecr_i`/`tim_i`/`urp_i`) map to 0.
 */
export const NSL_KDD_SERVICE_PORTS: Readonly<Record<string, number>> = {
  ftp_data: 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, time: 37, name: 42, whois: 43, domain: 53, domain_u: 53,
  mtp: 57, tftp_u: 69, gopher: 70, finger: 79, http: 80, link: 87, supdup: 95, hostnames: 101, iso_tsap: 102,
  csnet_ns: 105, pop_2: 109, pop_3: 110, sunrpc: 111, auth: 113, uucp_path: 117, nntp: 119, ntp_u: 123,
  netbios_ns: 137, netbios_dgm: 138, netbios_ssn: 139, imap4: 143, sql_net: 150, bgp: 179, Z39_50: 210, ldap: 389,
  https: 443, exec: 512, login: 513, shell: 514, printer: 515, efs: 520, courier: 530, uucp: 540, klogin: 543,
  kshell: 544, remote_job: 71, rje: 77, discard: 9, echo: 7, daytime: 13, netstat: 15, systat: 11, vmnet: 175,
  http_443: 443, http_8001: 8001, http_2784: 2784, aol: 5190, harvest: 2860, IRC: 194, X11: 6000, pm_dump: 0,
  urh_i: 0, red_i: 0, tim_i: 0, urp_i: 0, eco_i: 0, ecr_i: 0, private: 0, other: 0, ctf: 84,
};

const SPEC: LayoutSpec = {
  format: 'NSL-KDD',
  required: [
    { names: ['duration'], name: 'duration' },
    { names: ['protocoltype'], name: 'protocol_type' },
    { names: ['srcbytes'], name: 'src_bytes' },
    { names: ['dstbytes'], name: 'dst_bytes' },
  ],
  label: ['label'],
  labelName: 'label',
  exclude: ['difficulty'],
};

const PROTOCOLS = new Set(['tcp', 'udp', 'icmp']);

/** Whether a record looks like a headerless NSL-KDD/KDD'99 row (42 or 43 fields, tcp/udp/icmp second). */
export function isNslKddRow(first: readonly string[]): boolean {
  return (first.length === 42 || first.length === 43) && PROTOCOLS.has((first[1] ?? '').trim().toLowerCase());
}

function withServicePort(map: RowMapper): RowMapper {
  return (fields, counters) => {
    const flow = map(fields, counters);
    return { ...flow, dstPort: NSL_KDD_SERVICE_PORTS[flow.service ?? ''] ?? 0 };
  };
}

/** The NSL-KDD preset (`KDDTrain+.txt`, `KDDTest+.txt`; also KDD Cup 99's 42-column files, labels like `normal.`). */
export const nslKddPreset: FlowPreset = {
  format: 'nsl-kdd',
  bind(first) {
    if (normaliseColumn(first[0] ?? '') === 'duration' && first.length >= 42) {
      return { format: 'nsl-kdd', width: first.length, headerRow: true, map: withServicePort(createRowMapper(layoutFor(first, SPEC))) };
    }
    if (!isNslKddRow(first)) {
      throw new InputError(
        `not an NSL-KDD file: expected 43 (or 42) comma-separated fields with tcp, udp or icmp second, found ${first.length} fields`,
        { field: 'columns', missing: ['protocol_type'] },
      );
    }
    const header = NSL_KDD_COLUMNS.slice(0, first.length);
    return { format: 'nsl-kdd', width: first.length, headerRow: false, map: withServicePort(createRowMapper(layoutFor(header, SPEC))) };
  },
};
