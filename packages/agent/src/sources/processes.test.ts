import { spawn } from 'node:child_process';
import { copyFileSync, chmodSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuleEngine } from '../rules/rule-engine.js';
import { scanProcesses, suspiciousProcess } from './processes.js';

describe('process watch on real processes', () => {
  it('flags a program running from /tmp, and one whose file was deleted after it started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-proc-'));
    const bin = join(dir, 'kworker-upd');
    copyFileSync('/bin/sleep', bin);
    chmodSync(bin, 0o755);
    const child = spawn(bin, ['30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const pid = child.pid as number;
      const mine = () => scanProcesses().processes.find((p) => p.pid === pid);
      expect(mine()).toMatchObject({ name: 'kworker-upd', exe: bin, cmdline: `${bin} 30` });
      expect(suspiciousProcess(mine()!)).toContain('world-writable');
      unlinkSync(bin);
      expect(mine()?.exe).toBe(`${bin} (deleted)`);
      expect(suspiciousProcess(mine()!)).toContain('deleted file');
      const alerts = createRuleEngine().onProcesses(scanProcesses().processes.filter((p) => p.pid === pid), new Date());
      expect(alerts).toMatchObject([{ rule: 'suspicious-process', severity: 'high', path: bin }]);
      // Reported once per process.
      expect(createRuleEngine().onProcesses([], new Date())).toEqual([]);
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
    // This test's own process runs from /usr (or wherever node lives), which is not suspicious.
    expect(suspiciousProcess(scanProcesses().processes.find((p) => p.pid === process.pid)!)).toBeUndefined();
  });
});
