/**
 * The flow-model fields a dataset column can map to, and the column names (normalised: lower case,
 * letters and digits only) each is known under in CICFlowMeter (V3 and V4 naming), UNSW-NB15,
 * NSL-KDD, Zeek and NetFlow-style CSVs.
 */
export type ColumnField =
  | 'flowId'
  | 'ts'
  | 'srcIp'
  | 'srcPort'
  | 'dstIp'
  | 'dstPort'
  | 'protocol'
  | 'durationUs'
  | 'durationMs'
  | 'durationS'
  | 'fwdPackets'
  | 'bwdPackets'
  | 'fwdBytes'
  | 'bwdBytes'
  | 'syn'
  | 'ack'
  | 'fin'
  | 'rst'
  | 'psh'
  | 'urg'
  | 'service'
  | 'state'
  | 'attackType';

/** Known names per field. Order does not matter: a header matches at most one name per field. */
export const COLUMN_ALIASES: Readonly<Record<ColumnField, readonly string[]>> = {
  flowId: ['flowid', 'uid'],
  ts: ['timestamp', 'ts', 'time', 'starttime', 'stime'],
  srcIp: ['srcip', 'sourceip', 'srcaddr', 'saddr', 'idorigh', 'sourceaddress'],
  srcPort: ['srcport', 'sourceport', 'sport', 'idorigp'],
  dstIp: ['dstip', 'destinationip', 'dstaddr', 'daddr', 'idresph', 'destinationaddress'],
  dstPort: ['dstport', 'destinationport', 'dsport', 'dport', 'idrespp'],
  protocol: ['protocol', 'proto', 'protocoltype'],
  durationUs: ['flowduration'],
  durationMs: ['durationms'],
  durationS: ['duration', 'dur'],
  fwdPackets: ['totfwdpkts', 'totalfwdpackets', 'totalfwdpacket', 'fwdpackets', 'spkts', 'origpkts', 'srcpkts'],
  bwdPackets: ['totbwdpkts', 'totalbackwardpackets', 'totalbwdpackets', 'totalbwdpacket', 'bwdpackets', 'dpkts', 'resppkts', 'dstpkts'],
  fwdBytes: ['totlenfwdpkts', 'totallengthoffwdpackets', 'totallengthoffwdpacket', 'fwdbytes', 'sbytes', 'srcbytes', 'origbytes'],
  bwdBytes: ['totlenbwdpkts', 'totallengthofbwdpackets', 'totallengthofbwdpacket', 'bwdbytes', 'dbytes', 'dstbytes', 'respbytes'],
  syn: ['synflagcount', 'synflagcnt'],
  ack: ['ackflagcount', 'ackflagcnt'],
  fin: ['finflagcount', 'finflagcnt'],
  rst: ['rstflagcount', 'rstflagcnt'],
  psh: ['pshflagcount', 'pshflagcnt'],
  urg: ['urgflagcount', 'urgflagcnt'],
  service: ['service'],
  state: ['state', 'connstate', 'flag'],
  attackType: ['attackcat', 'attacktype', 'attackclass', 'category'],
};

/** Normalises a header cell for matching: `" Tot Fwd Pkts"` → `totfwdpkts`, `id.orig_h` → `idorigh`. */
export function normaliseColumn(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Where each known field sits in a header. */
export type ColumnIndex = Partial<Record<ColumnField, number>>;

/** Finds every known field in a header; the first column with a matching name wins. */
export function indexColumns(header: readonly string[]): ColumnIndex {
  const byName = new Map<string, number>();
  header.forEach((cell, i) => {
    const key = normaliseColumn(cell);
    if (!byName.has(key)) byName.set(key, i);
  });
  const index: ColumnIndex = {};
  for (const field of Object.keys(COLUMN_ALIASES) as ColumnField[]) {
    for (const alias of COLUMN_ALIASES[field]) {
      const at = byName.get(alias);
      if (at !== undefined) {
        index[field] = at;
        break;
      }
    }
  }
  return index;
}

/** Header cells trimmed, repeated names suffixed `.1`, `.2` (as pandas does; CIC-IDS2017 repeats `Fwd Header Length`). */
export function uniqueNames(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((cell) => {
    const name = cell.trim();
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}.${count}`;
  });
}
