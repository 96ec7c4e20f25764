import { describe, expect, it } from 'vitest';
import { MISP_TOPICS, isTopic } from './topics.js';

describe('isTopic', () => {
  it("accepts MISP's ZeroMQ topics", () => {
    expect(MISP_TOPICS).toContain('misp_json');
    expect(MISP_TOPICS).toContain('misp_json_self');
    for (const topic of MISP_TOPICS) expect(isTopic(topic)).toBe(true);
  });

  it('accepts waggle_ topics that fit in one NATS subject token', () => {
    expect(isTopic('waggle_honeypot_hit')).toBe(true);
    expect(isTopic('waggle_risk2')).toBe(true);
  });

  it.each(['', 'misp_json_unknown', 'waggle_', 'waggle_a.b', 'waggle_*', 'waggle_>', 'waggle_a b', 'Waggle_x', 'waggle_X', 42, null])(
    'rejects %j',
    (value) => {
      expect(isTopic(value)).toBe(false);
    },
  );
});
