import { InputError } from '@waggle/errors';
import { normaliseColumn } from './columns.js';
import { layoutFor, type LayoutSpec } from './layout.js';
import type { FlowPreset } from './preset.js';
import { createRowMapper } from './row-mapper.js';

/** The 49 columns of UNSW-NB15_1..4.csv, which have no header (names from UNSW-NB15_features.csv). */
export const UNSW_NB15_COLUMNS: readonly string[] = [
  'srcip', 'sport', 'dstip', 'dsport', 'proto', 'state', 'dur', 'sbytes', 'dbytes', 'sttl', 'dttl', 'sloss', 'dloss',
  'service', 'Sload', 'Dload', 'Spkts', 'Dpkts', 'swin', 'dwin', 'stcpb', 'dtcpb', 'smeansz', 'dmeansz', 'trans_depth',
  'res_bdy_len', 'Sjit', 'Djit', 'Stime', 'Ltime', 'Sintpkt', 'Dintpkt', 'tcprtt', 'synack', 'ackdat', 'is_sm_ips_ports',
  'ct_state_ttl', 'ct_flw_http_mthd', 'is_ftp_login', 'ct_ftp_cmd', 'ct_srv_src', 'ct_srv_dst', 'ct_dst_ltm', 'ct_src_ltm',
  'ct_src_dport_ltm', 'ct_dst_sport_ltm', 'ct_dst_src_ltm', 'attack_cat', 'Label',
];

/**
 * UNSW-NB15: the full CSVs (`srcip,sport,dstip,dsport,proto,state,dur,sbytes,dbytes,…,attack_cat,Label`,
 * with or without that header) and the training/testing sets (`id,dur,proto,service,state,spkts,dpkts,
 * sbytes,dbytes,…,attack_cat,label`, no addresses or ports). `dur` is in seconds; `Stime` (epoch
 * seconds) is the flow start; `id` and `Ltime` are not features and are left out of `extra`.
 */
export const UNSW_NB15_SPEC: LayoutSpec = {
  format: 'UNSW-NB15',
  required: [
    { names: ['dur'], name: 'dur' },
    { names: ['sbytes'], name: 'sbytes' },
    { names: ['dbytes'], name: 'dbytes' },
  ],
  label: ['label'],
  labelName: 'label',
  exclude: ['id', 'ltime'],
};

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Whether a record is a headerless UNSW-NB15 row (49 fields, an address first). */
export function isHeaderlessUnsw(first: readonly string[]): boolean {
  return first.length === UNSW_NB15_COLUMNS.length && (IPV4.test(first[0]?.trim() ?? '') || (first[0] ?? '').includes(':'));
}

/** The UNSW-NB15 preset. */
export const unswNb15Preset: FlowPreset = {
  format: 'unsw-nb15',
  bind(first) {
    const names = new Set(first.map(normaliseColumn));
    if (names.has('sbytes') || names.has('dur')) {
      return { format: 'unsw-nb15', width: first.length, headerRow: true, map: createRowMapper(layoutFor(first, UNSW_NB15_SPEC)) };
    }
    if (!isHeaderlessUnsw(first)) {
      throw new InputError(
        `not a UNSW-NB15 file: no header with dur, sbytes, dbytes, label and not a ${UNSW_NB15_COLUMNS.length}-column headerless row (found ${first.length} fields)`,
        { field: 'columns', missing: ['dur', 'sbytes', 'dbytes', 'label'] },
      );
    }
    const map = createRowMapper(layoutFor(UNSW_NB15_COLUMNS, UNSW_NB15_SPEC));
    return { format: 'unsw-nb15', width: UNSW_NB15_COLUMNS.length, headerRow: false, map };
  },
};
