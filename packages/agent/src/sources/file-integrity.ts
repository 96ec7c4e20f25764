import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** What is recorded of one file. */
export interface FileRecord {
  readonly path: string;
  readonly kind: 'file' | 'dir' | 'symlink' | 'other';
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** SHA-256 of the content (regular files up to the size limit). */
  readonly sha256?: string;
}

/** A baseline: path → record. */
export type Baseline = Record<string, FileRecord>;

/** One difference between two scans. */
export interface FileChange {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'modified';
  /** For `modified`: which properties changed (content, mode, owner, kind). */
  readonly fields: string[];
  readonly before?: FileRecord;
  readonly after?: FileRecord;
}

/** Limits that keep a scan bounded on a large tree. */
export interface ScanOptions {
  readonly maxFiles?: number;
  readonly maxHashBytes?: number;
  readonly maxDepth?: number;
}

/** A scan's records and what could not be read. */
export interface ScanResult {
  readonly baseline: Baseline;
  readonly problems: string[];
  readonly truncated: boolean;
}

function kindOf(st: Stats): FileRecord['kind'] {
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  return 'other';
}

/**
 * Records the watched paths (files, or folders walked recursively without
 * following symbolic links): type, permission bits (setuid included), owner,
 * size and content hash. Unreadable entries are listed as problems, not fatal.
 */
export function scanPaths(paths: readonly string[], options: ScanOptions = {}): ScanResult {
  const maxFiles = options.maxFiles ?? 100_000;
  const maxHash = options.maxHashBytes ?? 16 * 1024 * 1024;
  const maxDepth = options.maxDepth ?? 12;
  const baseline: Baseline = {};
  const problems: string[] = [];
  let count = 0;
  let truncated = false;

  function visit(path: string, depth: number): void {
    if (count >= maxFiles) {
      truncated = true;
      return;
    }
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${path}: ${(e as Error).message}`);
      return;
    }
    count += 1;
    const kind = kindOf(st);
    let sha256: string | undefined;
    if (kind === 'file' && st.size <= maxHash) {
      try {
        sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
      } catch (e) {
        problems.push(`${path}: ${(e as Error).message}`);
      }
    }
    baseline[path] = { path, kind, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: st.size, ...(sha256 !== undefined ? { sha256 } : {}) };
    if (kind === 'dir' && depth < maxDepth) {
      let names: string[];
      try {
        names = readdirSync(path).sort();
      } catch (e) {
        problems.push(`${path}: ${(e as Error).message}`);
        return;
      }
      for (const n of names) visit(join(path, n), depth + 1);
    }
  }

  for (const p of paths) visit(p, 0);
  return { baseline, problems, truncated };
}

/** Differences from `before` to `after`, sorted by path. */
export function diffBaselines(before: Baseline, after: Baseline): FileChange[] {
  const out: FileChange[] = [];
  for (const [path, a] of Object.entries(after)) {
    const b = before[path];
    if (b === undefined) {
      out.push({ path, change: 'added', fields: [], after: a });
      continue;
    }
    const fields: string[] = [];
    if (a.kind !== b.kind) fields.push('kind');
    if (a.sha256 !== b.sha256 || (a.sha256 === undefined && a.size !== b.size)) fields.push('content');
    if (a.mode !== b.mode) fields.push('mode');
    if (a.uid !== b.uid || a.gid !== b.gid) fields.push('owner');
    if (fields.length > 0) out.push({ path, change: 'modified', fields, before: b, after: a });
  }
  for (const [path, b] of Object.entries(before)) if (after[path] === undefined) out.push({ path, change: 'removed', fields: [], before: b });
  return out.sort((x, y) => x.path.localeCompare(y.path));
}
