/** A node of the emulated file system. */
export type FsNode =
  | { kind: 'dir'; mode: number; mtime: Date; children: Map<string, FsNode> }
  | { kind: 'file'; mode: number; mtime: Date; content: string };

/**
 * An in-memory file system, one per session: attackers can write, delete and create freely
 * and nothing reaches the host's disk. Total written bytes are capped.
 */
export interface FakeFs {
  /** Absolute, normalised path of `path` seen from `cwd` (`..`, `.`, `~` handled). */
  resolve(cwd: string, path: string, home?: string): string;
  get(path: string): FsNode | undefined;
  readFile(path: string): string | undefined;
  /** Writes or appends a file; false when the parent is missing or the byte cap is reached. */
  writeFile(path: string, content: string, append?: boolean): boolean;
  mkdir(path: string, parents?: boolean): boolean;
  remove(path: string, recursive?: boolean): boolean;
  chmod(path: string, mode: number): boolean;
  list(path: string): [string, FsNode][] | undefined;
}

/** Text files and folders seeded into every session's file system. */
export type FsSeed = Record<string, string | null>;

/** Creates a session file system from a seed: `null` values are folders, strings are file contents. */
export function createFakeFs(seed: FsSeed, mtime: Date, maxBytes = 1_048_576): FakeFs {
  const root: FsNode = { kind: 'dir', mode: 0o755, mtime, children: new Map() };
  let written = 0;

  const split = (path: string): string[] => path.split('/').filter((p) => p.length > 0);
  const get = (path: string): FsNode | undefined => {
    let node: FsNode = root;
    for (const part of split(path)) {
      if (node.kind !== 'dir') return undefined;
      const next = node.children.get(part);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  };
  const parentOf = (path: string): { dir: FsNode | undefined; name: string } => {
    const parts = split(path);
    const name = parts.pop() ?? '';
    return { dir: get(`/${parts.join('/')}`), name };
  };
  const mkdir = (path: string, parents = false): boolean => {
    const parts = split(path);
    let node: FsNode = root;
    for (let i = 0; i < parts.length; i += 1) {
      const part = parts[i] as string;
      if (node.kind !== 'dir') return false;
      let next = node.children.get(part);
      if (next === undefined) {
        if (!parents && i < parts.length - 1) return false;
        next = { kind: 'dir', mode: 0o755, mtime, children: new Map() };
        node.children.set(part, next);
      } else if (i === parts.length - 1 && !parents) {
        return false;
      }
      node = next;
    }
    return node.kind === 'dir';
  };

  for (const [path, content] of Object.entries(seed)) {
    if (content === null) {
      mkdir(path, true);
      continue;
    }
    const parts = split(path);
    parts.pop();
    mkdir(`/${parts.join('/')}`, true);
    const { dir, name } = parentOf(path);
    if (dir?.kind === 'dir') dir.children.set(name, { kind: 'file', mode: 0o644, mtime, content });
  }

  return {
    resolve(cwd, path, home = '/root') {
      const expanded = path === '~' ? home : path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
      const base = expanded.startsWith('/') ? [] : split(cwd);
      for (const part of split(expanded)) {
        if (part === '.') continue;
        if (part === '..') base.pop();
        else base.push(part);
      }
      return `/${base.join('/')}`;
    },
    get,
    readFile(path) {
      const node = get(path);
      return node?.kind === 'file' ? node.content : undefined;
    },
    writeFile(path, content, append = false) {
      const { dir, name } = parentOf(path);
      if (dir?.kind !== 'dir' || name === '') return false;
      const existing = dir.children.get(name);
      if (existing?.kind === 'dir') return false;
      if (written + content.length > maxBytes) return false;
      written += content.length;
      const previous = append && existing?.kind === 'file' ? existing.content : '';
      dir.children.set(name, { kind: 'file', mode: existing?.mode ?? 0o644, mtime: new Date(), content: previous + content });
      return true;
    },
    mkdir,
    remove(path, recursive = false) {
      const { dir, name } = parentOf(path);
      if (dir?.kind !== 'dir') return false;
      const node = dir.children.get(name);
      if (node === undefined) return false;
      if (node.kind === 'dir' && !recursive) return false;
      dir.children.delete(name);
      return true;
    },
    chmod(path, mode) {
      const node = get(path);
      if (node === undefined) return false;
      node.mode = mode;
      return true;
    },
    list(path) {
      const node = get(path);
      if (node === undefined) return undefined;
      if (node.kind === 'file') return [[split(path).pop() ?? path, node]];
      return [...node.children.entries()].sort(([a], [b]) => a.localeCompare(b));
    },
  };
}
