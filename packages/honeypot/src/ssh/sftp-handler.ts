import { basename } from 'node:path';
import ssh2, { type Attributes, type SFTPWrapper } from 'ssh2';
import { collectUpload, type QuarantinedFile, type UploadCollector } from '../log/quarantine.js';
import type { FakeFs } from '../shell/fake-fs.js';

const { OPEN_MODE, STATUS_CODE } = ssh2.utils.sftp;

/** What the SFTP emulation needs from its session. */
export interface SftpDeps {
  fs: FakeFs;
  home: string;
  quarantineDir: string | undefined;
  maxUploadBytes: number;
  /** Most handles open at once (bounds memory held by uploads in flight). */
  maxHandles?: number;
  /** Called once per finished upload with its original path. */
  onUpload(path: string, file: QuarantinedFile): void;
}

type Handle =
  | { kind: 'write'; path: string; upload: UploadCollector }
  | { kind: 'read'; path: string; data: Buffer }
  | { kind: 'dir'; path: string; sent: boolean };

function attrsFor(fs: FakeFs, path: string): Attributes | undefined {
  const node = fs.get(path);
  if (node === undefined) return undefined;
  const type = node.kind === 'dir' ? 0o040000 : 0o100000;
  const t = Math.floor(node.mtime.getTime() / 1000);
  const size = node.kind === 'file' ? Buffer.byteLength(node.content, 'latin1') : 4096;
  return { mode: type | node.mode, uid: 0, gid: 0, size, atime: t, mtime: t };
}

/**
 * Serves SFTP from the session's fake file system. Uploaded files are collected (capped), stored
 * in quarantine by SHA-256 and logged; the fake file system gets an entry so `ls` shows it, but
 * nothing uploaded is ever executed or written anywhere else.
 */
export function serveSftp(sftp: SFTPWrapper, deps: SftpDeps): void {
  const handles = new Map<number, Handle>();
  const maxHandles = deps.maxHandles ?? 8;
  let nextHandle = 1;
  const resolve = (p: string): string => deps.fs.resolve(deps.home, p === '' ? '.' : p, deps.home);
  const open = (h: Handle): Buffer | undefined => {
    if (handles.size >= maxHandles) return undefined;
    const id = nextHandle;
    nextHandle += 1;
    handles.set(id, h);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id);
    return buf;
  };
  const lookup = (handle: Buffer): [number, Handle | undefined] => {
    const id = handle.length === 4 ? handle.readUInt32BE(0) : -1;
    return [id, handles.get(id)];
  };
  const finishWrite = (h: Extract<Handle, { kind: 'write' }>): void => {
    const file = h.upload.finish();
    deps.fs.writeFile(h.path, '');
    deps.onUpload(h.path, file);
  };

  sftp.on('REALPATH', (id, path) => {
    const full = resolve(path);
    sftp.name(id, [{ filename: full, longname: full, attrs: attrsFor(deps.fs, full) ?? ({} as Attributes) }]);
  });
  const stat = (id: number, path: string): void => {
    const attrs = attrsFor(deps.fs, resolve(path));
    if (attrs === undefined) sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
    else sftp.attrs(id, attrs);
  };
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('OPEN', (id, filename, flags) => {
    const path = resolve(filename);
    let handle: Buffer | undefined;
    if (flags & OPEN_MODE.WRITE) {
      const parent = deps.fs.get(deps.fs.resolve(path, '..'));
      if (parent?.kind !== 'dir') return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
      handle = open({ kind: 'write', path, upload: collectUpload(deps.quarantineDir, deps.maxUploadBytes) });
    } else {
      const content = deps.fs.readFile(path);
      if (content === undefined) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
      handle = open({ kind: 'read', path, data: Buffer.from(content, 'latin1') });
    }
    return handle === undefined ? sftp.status(id, STATUS_CODE.FAILURE) : sftp.handle(id, handle);
  });
  sftp.on('WRITE', (id, handle, offset, data) => {
    const [, h] = lookup(handle);
    if (h?.kind !== 'write') return sftp.status(id, STATUS_CODE.FAILURE);
    h.upload.write(offset, data);
    return sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('READ', (id, handle, offset, len) => {
    const [, h] = lookup(handle);
    if (h?.kind !== 'read') return sftp.status(id, STATUS_CODE.FAILURE);
    if (offset >= h.data.length) return sftp.status(id, STATUS_CODE.EOF);
    return sftp.data(id, h.data.subarray(offset, offset + Math.min(len, 32_768)));
  });
  sftp.on('FSTAT', (id, handle) => {
    const [, h] = lookup(handle);
    if (h === undefined) return sftp.status(id, STATUS_CODE.FAILURE);
    if (h.kind === 'write') return sftp.attrs(id, { mode: 0o100644, uid: 0, gid: 0, size: h.upload.size, atime: 0, mtime: 0 });
    return sftp.attrs(id, attrsFor(deps.fs, h.path) ?? ({} as Attributes));
  });
  sftp.on('CLOSE', (id, handle) => {
    const [key, h] = lookup(handle);
    if (h === undefined) return sftp.status(id, STATUS_CODE.FAILURE);
    handles.delete(key);
    if (h.kind === 'write') {
      try {
        finishWrite(h);
      } catch {
        return sftp.status(id, STATUS_CODE.FAILURE);
      }
    }
    return sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('OPENDIR', (id, path) => {
    const full = resolve(path);
    if (deps.fs.get(full)?.kind !== 'dir') return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
    const handle = open({ kind: 'dir', path: full, sent: false });
    return handle === undefined ? sftp.status(id, STATUS_CODE.FAILURE) : sftp.handle(id, handle);
  });
  sftp.on('READDIR', (id, handle) => {
    const [, h] = lookup(handle);
    if (h?.kind !== 'dir') return sftp.status(id, STATUS_CODE.FAILURE);
    if (h.sent) return sftp.status(id, STATUS_CODE.EOF);
    h.sent = true;
    const entries = (deps.fs.list(h.path) ?? []).map(([name]) => {
      const attrs = attrsFor(deps.fs, `${h.path === '/' ? '' : h.path}/${name}`) ?? ({} as Attributes);
      return { filename: name, longname: name, attrs };
    });
    return sftp.name(id, entries);
  });
  sftp.on('MKDIR', (id, path) => sftp.status(id, deps.fs.mkdir(resolve(path)) ? STATUS_CODE.OK : STATUS_CODE.FAILURE));
  sftp.on('RMDIR', (id, path) => sftp.status(id, deps.fs.remove(resolve(path), true) ? STATUS_CODE.OK : STATUS_CODE.NO_SUCH_FILE));
  sftp.on('REMOVE', (id, path) => sftp.status(id, deps.fs.remove(resolve(path)) ? STATUS_CODE.OK : STATUS_CODE.NO_SUCH_FILE));
  sftp.on('RENAME', (id, from, to) => {
    const content = deps.fs.readFile(resolve(from));
    if (content === undefined) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
    deps.fs.remove(resolve(from));
    deps.fs.writeFile(resolve(to), content);
    return sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('SETSTAT', (id, path) => sftp.status(id, deps.fs.get(resolve(path)) ? STATUS_CODE.OK : STATUS_CODE.NO_SUCH_FILE));
  sftp.on('FSETSTAT', (id) => sftp.status(id, STATUS_CODE.OK));
  sftp.on('READLINK', (id) => sftp.status(id, STATUS_CODE.NO_SUCH_FILE));
  sftp.on('SYMLINK', (id) => sftp.status(id, STATUS_CODE.PERMISSION_DENIED));
  // The client's EOF ends the subsystem. A real sshd then reports the sftp-server's exit
  // status 0 and closes; scp treats a missing status as failure. ssh2's SFTP stream has no
  // public exit(), so the status goes through its protocol object, the way Channel.exit does.
  sftp.on('end', () => {
    const internal = sftp as unknown as { _protocol?: { exitStatus(chan: number, status: number): void }; outgoing?: { id: number; state: string } };
    if (internal._protocol !== undefined && internal.outgoing?.state === 'open') {
      internal._protocol.exitStatus(internal.outgoing.id, 0);
    }
    sftp.end();
  });
  sftp.on('close', () => {
    // A client that vanishes mid-upload still leaves its sample in quarantine.
    for (const h of handles.values()) if (h.kind === 'write') finishWrite(h);
    handles.clear();
  });
}

/** The file name Cowrie logs for an upload (its base name). */
export const uploadName = (path: string): string => basename(path);
