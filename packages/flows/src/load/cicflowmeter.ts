import { layoutFor, type LayoutSpec } from './layout.js';
import type { FlowPreset } from './preset.js';
import { createRowMapper } from './row-mapper.js';

/**
 * CICFlowMeter CSVs: CIC-IDS2017 (V3 names with leading spaces: ` Destination Port`,
 * ` Total Fwd Packets`, `Total Length of Fwd Packets`), CSE-CIC-IDS2018 (V4 abbreviations: `Dst Port`,
 * `Tot Fwd Pkts`, `TotLen Fwd Pkts`) and current CICFlowMeter output (`Total Fwd Packet`). Flow and
 * address columns are optional (the MachineLearningCSV files lack them).
 */
export const CICFLOWMETER_SPEC: LayoutSpec = {
  format: 'CICFlowMeter',
  required: [
    { names: ['dstport', 'destinationport'], name: 'Dst Port / Destination Port' },
    { names: ['flowduration'], name: 'Flow Duration' },
    { names: ['totfwdpkts', 'totalfwdpackets', 'totalfwdpacket'], name: 'Tot Fwd Pkts / Total Fwd Packets' },
    { names: ['totbwdpkts', 'totalbackwardpackets', 'totalbwdpackets', 'totalbwdpacket'], name: 'Tot Bwd Pkts / Total Backward Packets' },
    { names: ['totlenfwdpkts', 'totallengthoffwdpackets', 'totallengthoffwdpacket'], name: 'TotLen Fwd Pkts / Total Length of Fwd Packets' },
    { names: ['totlenbwdpkts', 'totallengthofbwdpackets', 'totallengthofbwdpacket'], name: 'TotLen Bwd Pkts / Total Length of Bwd Packets' },
  ],
  label: ['label'],
  labelName: 'Label',
};

/** The CICFlowMeter preset. */
export const cicFlowMeterPreset: FlowPreset = {
  format: 'cicflowmeter',
  bind(first) {
    return { format: 'cicflowmeter', width: first.length, headerRow: true, map: createRowMapper(layoutFor(first, CICFLOWMETER_SPEC)) };
  },
};
