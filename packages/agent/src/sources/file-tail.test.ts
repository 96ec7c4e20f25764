import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tailFile, type TailStatus } from './file-tail.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tailFile', () => {
  it('delivers appended lines, waits for partial lines, follows rotation and truncation', () => {
    const path = join(dir, 'auth.log');
    writeFileSync(path, 'old line\n');
    const lines: string[] = [];
    const statuses: TailStatus['state'][] = [];
    const t = tailFile(path, (l) => lines.push(l), { onStatus: (s) => statuses.push(s.state) });
    t.poll();
    expect(lines).toEqual([]); // starts at the end by default
    appendFileSync(path, 'one\ntw');
    t.poll();
    expect(lines).toEqual(['one']);
    appendFileSync(path, 'o\n');
    t.poll();
    expect(lines).toEqual(['one', 'two']);
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'after rotation\n');
    t.poll();
    expect(lines).toEqual(['one', 'two', 'after rotation']);
    writeFileSync(path, 'x\n');
    t.poll();
    expect(lines.at(-1)).toBe('x');
    expect(statuses).toEqual(expect.arrayContaining(['following', 'rotated', 'truncated']));
  });

  it('reports a missing file once, not fatally, and reads it from the start when it appears', () => {
    const path = join(dir, 'later.log');
    const lines: string[] = [];
    const statuses: string[] = [];
    const t = tailFile(path, (l) => lines.push(l), { onStatus: (s) => statuses.push(s.state) });
    t.poll();
    t.poll();
    expect(statuses).toEqual(['missing']);
    writeFileSync(path, 'first\n');
    t.poll();
    expect(lines).toEqual(['first']);
  });

  it('reports an unreadable file', () => {
    if (process.getuid?.() === 0) return; // root reads everything; the state is still exercised by the missing-file case
    const path = join(dir, 'secret.log');
    writeFileSync(path, 'x\n');
    chmodSync(path, 0o000);
    const statuses: string[] = [];
    const t = tailFile(path, () => undefined, { fromEnd: false, onStatus: (s) => statuses.push(s.state) });
    t.poll();
    expect(statuses).toEqual(['unreadable']);
  });

  it('cuts over-long lines', () => {
    const path = join(dir, 'long.log');
    writeFileSync(path, '');
    const lines: string[] = [];
    const t = tailFile(path, (l) => lines.push(l), { maxLineBytes: 10 });
    t.poll();
    appendFileSync(path, `${'a'.repeat(50)}\nshort\n`);
    t.poll();
    expect(lines).toEqual(['a'.repeat(10), 'short']);
  });
});
