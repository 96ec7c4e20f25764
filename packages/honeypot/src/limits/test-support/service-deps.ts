import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySink, type MemorySink } from '../../log/memory-sink.js';
import { DEFAULT_LIMITS, type Limits, type ServiceDeps } from '../../service.js';

/** Service dependencies for tests: memory sink, sequential session ids, a temporary quarantine. */
export function aServiceDeps(limits: Partial<Limits> = {}): ServiceDeps & { sink: MemorySink; quarantineDir: string } {
  let n = 0;
  return {
    sink: createMemorySink(),
    sensor: 'test-sensor',
    limits: { ...DEFAULT_LIMITS, ...limits },
    now: () => new Date(),
    sessionId: () => {
      n += 1;
      return n.toString(16).padStart(12, '0');
    },
    quarantineDir: mkdtempSync(join(tmpdir(), 'waggle-quarantine-')),
  };
}

/** A fresh temporary folder. */
export const aTempDir = (prefix = 'waggle-honeypot-'): string => mkdtempSync(join(tmpdir(), prefix));
