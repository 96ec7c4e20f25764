import { describe, expect, it } from 'vitest';
import { aFlow } from '../test-support/flow-fixtures.js';
import { lowScoreBenign } from './low-score.js';
import { parseFeedbackLines, toFeedbackLines } from './feedback.js';

describe('chunk sources', () => {
  it('lowScoreBenign keeps a seeded sample of flows under the score, relabelled benign', () => {
    const flows = Array.from({ length: 10 }, (_, i) => aFlow({ srcPort: 1000 + i, label: 1 }));
    const scores = [0.01, 0.9, 0.05, 0.5, 0.02, 0.99, 0.03, 0.2, 0.04, 0.06];
    const a = lowScoreBenign(flows, scores, { maxScore: 0.1, max: 4, seed: 3 });
    expect(a).toHaveLength(4);
    expect(a.every((f) => f.label === 0 && f.attackType === 'benign')).toBe(true);
    expect(a.every((f) => (scores[f.srcPort - 1000] as number) < 0.1)).toBe(true);
    expect(lowScoreBenign(flows, scores, { maxScore: 0.1, max: 4, seed: 3 })).toEqual(a);
  });

  it('feedback lines round-trip and every bad line is rejected with its number', () => {
    const flows = [aFlow({ label: 1, extra: { iat_mean: 3 } }), aFlow({ label: 0 })];
    expect(parseFeedbackLines(`${toFeedbackLines(flows)}\n\n`)).toEqual(flows);
    expect(() => parseFeedbackLines('')).toThrow(/holds no flows/);
    expect(() => parseFeedbackLines('{"srcIp":"a","dstIp":"b","label":1}\n{oops')).toThrow(/feedback line 2: not valid JSON/);
    expect(() => parseFeedbackLines('{"srcIp":"a","dstIp":"b"}')).toThrow(/line 1: label must be 0/);
    expect(() => parseFeedbackLines('{"srcIp":"a","dstIp":"b","label":1,"fwdBytes":-1}')).toThrow(/fwdBytes must be a non-negative number/);
    expect(() => parseFeedbackLines('{"srcIp":"a","dstIp":"b","label":1,"protocol":"sctp"}')).toThrow(/protocol must be one of/);
    expect(() => parseFeedbackLines('[1]')).toThrow(/expected a JSON object/);
  });
});
