import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '@waggle/errors';
import type { NumberedLine } from '../lines/read-lines.js';
import { followFile } from './follow-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ids-follow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('following a growing log', () => {
  it('picks up appended lines, waits for a line to be complete', () => {
    const path = join(dir, 'grow.log');
    writeFileSync(path, 'a\nb\n');
    const seen: NumberedLine[] = [];
    const f = followFile(path, (l) => seen.push(l), { intervalMs: 0 });
    expect(f.poll()).toBe(2);
    appendFileSync(path, 'c\r\nd-part');
    expect(f.poll()).toBe(1);
    appendFileSync(path, 'ial\n');
    f.poll();
    expect(seen).toEqual([{ line: 1, text: 'a' }, { line: 2, text: 'b' }, { line: 3, text: 'c' }, { line: 4, text: 'd-partial' }]);
    f.stop();
  });

  it('starts at the end when asked', () => {
    const path = join(dir, 'end.log');
    writeFileSync(path, 'old\n');
    const seen: string[] = [];
    const f = followFile(path, (l) => seen.push(l.text), { intervalMs: 0, fromStart: false });
    appendFileSync(path, 'new\n');
    f.poll();
    f.stop();
    expect(seen).toEqual(['new']);
  });

  it('rereads a truncated file from the start (copytruncate)', () => {
    const path = join(dir, 'trunc.log');
    writeFileSync(path, 'one\ntwo\nthree\n');
    const seen: NumberedLine[] = [];
    const f = followFile(path, (l) => seen.push(l), { intervalMs: 0 });
    f.poll();
    truncateSync(path, 0);
    appendFileSync(path, 'x\n');
    f.poll();
    expect(seen.slice(3)).toEqual([{ line: 1, text: 'x' }]);
    expect(f.restarts).toBe(1);
    f.stop();
  });

  it('finishes the old file and follows the new one after rotation by rename', () => {
    const path = join(dir, 'rot.log');
    writeFileSync(path, 'r1\n');
    const seen: string[] = [];
    const f = followFile(path, (l) => seen.push(l.text), { intervalMs: 0 });
    f.poll();
    appendFileSync(path, 'r2\n');
    renameSync(path, `${path}.1`);
    expect(f.poll()).toBe(1); // the rest of the old file; the new one does not exist yet
    writeFileSync(path, 'n1\nn2\n');
    f.poll();
    expect(seen).toEqual(['r1', 'r2', 'n1', 'n2']);
    expect(f.restarts).toBe(1);
    f.stop();
  });

  it('emits an unterminated last line on stop, so it is counted, not lost', () => {
    const path = join(dir, 'partial.log');
    writeFileSync(path, 'whole\n{"trunc');
    const seen: string[] = [];
    const f = followFile(path, (l) => seen.push(l.text), { intervalMs: 0 });
    f.poll();
    expect(seen).toEqual(['whole']);
    f.stop();
    expect(seen).toEqual(['whole', '{"trunc']);
    expect(f.poll()).toBe(0);
  });

  it('fails clearly on a missing file', () => {
    expect(() => followFile(join(dir, 'missing.log'), () => undefined, { intervalMs: 0 })).toThrow(NotFoundError);
  });
});
