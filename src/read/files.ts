// The snapshot-file ClusterReader: files, directories (recursively) and stdin.
//
// Reading is bounded whatever the path names: only regular files and directories are read (a FIFO
// would block, /dev/zero never ends; their type is checked before they are opened, and again on the
// open descriptor), symlinks are followed with a guard against loops, a dangling or looping link is a
// problem and not the end of the run, and every file and the whole input have a size limit.

import type { Stats } from 'node:fs';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { extname, join } from 'node:path';
import type { ReadProblem } from '../types.js';
import { type Snapshot, SnapshotBuilder } from './snapshot.js';

const SNAPSHOT_EXT = new Set(['.yaml', '.yml', '.json']);

export class InputError extends Error {}

/** Defaults of the reading limits. A JavaScript string holds at most 512 MiB, so one file must stay below. */
export const DEFAULT_MAX_FILE_SIZE = 256 * 1024 * 1024;
export const DEFAULT_MAX_TOTAL_SIZE = 1024 * 1024 * 1024;
/** Directory entries looked at under one snapshot path (`--snapshot /` must end). */
export const DEFAULT_MAX_ENTRIES = 100_000;

export interface ReadLimits {
  /** Bytes one file may hold (default 256 MiB). */
  maxFileSize?: number;
  /** Bytes all files together may hold (default 1 GiB, and never less than maxFileSize). */
  maxTotalSize?: number;
  /** Directory entries looked at under each path (default 100,000). */
  maxEntries?: number;
}

export interface ReadFilesOptions extends ReadLimits {
  snapshots: string[];
  logs?: string[];
  /** Text to use for `-` (tests pass it; the CLI reads process.stdin). */
  stdin?: () => string;
}

const ERRNO: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'symlink loop (too many levels of symbolic links)',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  EIO: 'I/O error',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
};

/** An fs error as a short reason; the path is named by the problem, never repeated from Node's message. */
function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code && ERRNO[code]) ?? code ?? 'read error';
}

export function fileType(st: Stats): string {
  if (st.isFile()) return 'regular file';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSocket()) return 'socket';
  if (st.isSymbolicLink()) return 'symlink';
  return 'special file';
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

/** What a path resolves to: a file to read, a directory, or a problem (nothing was opened). */
type Resolved =
  | { kind: 'file' | 'dir'; st: Stats }
  | { kind: 'problem'; message: string; missing?: boolean; special?: boolean };

function resolvePath(path: string): Resolved {
  let st: Stats;
  try {
    st = statSync(path); // follows symlinks; never opens the file
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      let link = false;
      try {
        link = lstatSync(path).isSymbolicLink();
      } catch {}
      return link
        ? { kind: 'problem', message: 'dangling symlink (its target does not exist): skipped' }
        : { kind: 'problem', message: 'no such file or directory', missing: true };
    }
    return { kind: 'problem', message: `cannot read: ${reason(e)}: skipped` };
  }
  if (st.isFile()) return { kind: 'file', st };
  if (st.isDirectory()) return { kind: 'dir', st };
  return {
    kind: 'problem',
    message: `a ${fileType(st)}, not a regular file or directory: skipped (never opened)`,
    special: true,
  };
}

interface Walker {
  problems: ReadProblem[];
  limits: Required<ReadLimits>;
}

/** The files under `path` to read, in name order; every entry that cannot be followed becomes a problem. */
function listFiles(path: string, exts: Set<string> | undefined, w: Walker): string[] {
  const top = resolvePath(path);
  if (top.kind === 'problem') {
    if (top.missing) throw new InputError(`cannot read ${path}: no such file or directory`);
    w.problems.push({ source: path, message: top.message, partial: true });
    return [];
  }
  if (top.kind === 'file') return [path];
  const out: string[] = [];
  const visited = new Set<string>();
  let entries = 0;
  // Depth first in name order, as a recursive walk would go, but with a stack: no recursion depth.
  const stack: { p: string; dir: boolean }[] = [{ p: path, dir: true }];
  while (stack.length > 0) {
    const { p: dir, dir: isDir } = stack.pop()!;
    if (!isDir) {
      out.push(dir);
      continue;
    }
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (e) {
      w.problems.push({ source: dir, message: `cannot read directory: ${reason(e)}: skipped`, partial: true });
      continue;
    }
    if (visited.has(real)) {
      w.problems.push({
        source: dir,
        message: 'symlink loop: this directory was already read through another path: skipped',
        partial: false,
      });
      continue;
    }
    visited.add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      w.problems.push({ source: dir, message: `cannot read directory: ${reason(e)}: skipped`, partial: true });
      continue;
    }
    const next: { p: string; dir: boolean }[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      if (++entries > w.limits.maxEntries) {
        w.problems.push({
          source: path,
          message: `more than ${w.limits.maxEntries} directory entries: stopped reading here`,
          partial: true,
        });
        stack.length = 0;
        next.length = 0;
        break;
      }
      const p = join(dir, name);
      const wanted = !exts || exts.has(extname(name).toLowerCase());
      const r = resolvePath(p);
      if (r.kind === 'dir') next.push({ p, dir: true });
      else if (r.kind === 'file') {
        if (wanted) next.push({ p, dir: false });
      } else if (r.kind === 'problem' && (wanted || !r.special)) {
        // A FIFO or device named like a snapshot file, a dangling link, a permission problem.
        w.problems.push({ source: p, message: r.message, partial: wanted });
      }
    }
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
  }
  return out;
}

/** Reads one file with every bound; a problem instead of a Buffer when it cannot be read. */
export class BoundedReader {
  total = 0;
  readonly limits: Required<ReadLimits>;

  constructor(limits: ReadLimits = {}) {
    const maxFileSize = limits.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    this.limits = {
      maxFileSize,
      maxTotalSize: Math.max(limits.maxTotalSize ?? DEFAULT_MAX_TOTAL_SIZE, maxFileSize),
      maxEntries: limits.maxEntries ?? DEFAULT_MAX_ENTRIES,
    };
  }

  private tooBig(what: string): string {
    return `${what} is larger than the limit of ${formatBytes(this.limits.maxFileSize)} (--max-file-size): skipped`;
  }

  read(path: string): Buffer | { problem: string } {
    let fd: number;
    try {
      // O_NONBLOCK: should the path have become a FIFO since it was checked, opening it does not wait for a writer.
      fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (e) {
      return { problem: `cannot read: ${reason(e)}: skipped` };
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return { problem: `a ${fileType(st)}, not a regular file: skipped` };
      if (st.size > this.limits.maxFileSize) return { problem: this.tooBig(`file (${formatBytes(st.size)})`) };
      return this.readFd(fd, st.size, 'file');
    } catch (e) {
      return { problem: `cannot read: ${reason(e)}: skipped` };
    } finally {
      closeSync(fd);
    }
  }

  /** Read a descriptor to its end, at most the file limit (and what is left of the total). */
  readFd(fd: number, sizeHint: number, what: string): Buffer | { problem: string } {
    const max = this.limits.maxFileSize;
    const left = this.limits.maxTotalSize - this.total;
    const chunks: Buffer[] = [];
    let n = 0;
    let buf = Buffer.allocUnsafe(Math.min(Math.max(sizeHint + 1, 64 * 1024), max + 1));
    let off = 0;
    for (;;) {
      if (off === buf.length) {
        chunks.push(buf);
        buf = Buffer.allocUnsafe(Math.min(Math.max(buf.length, 64 * 1024) * 2, 64 * 1024 * 1024));
        off = 0;
      }
      let got: number;
      try {
        got = readSync(fd, buf, off, buf.length - off, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          // A non-blocking pipe (stdin) whose writer is slower than we are: wait a little, then read on.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          continue;
        }
        throw e;
      }
      if (got === 0) break;
      off += got;
      n += got;
      if (n > max) return { problem: this.tooBig(what) };
      if (n > left)
        return {
          problem: `the input as a whole is larger than the limit of ${formatBytes(this.limits.maxTotalSize)}: skipped`,
        };
    }
    chunks.push(buf.subarray(0, off));
    this.total += n;
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, n);
  }
}

function decode(buf: Buffer, source: string, problems: ReadProblem[]): string | undefined {
  try {
    return buf.toString('utf8');
  } catch {
    problems.push({ source, message: 'too large to decode as text: skipped', partial: true });
    return undefined;
  }
}

export function readSnapshotFiles(opts: ReadFilesOptions): Snapshot {
  const b = new SnapshotBuilder();
  const reader = new BoundedReader(opts);
  const w: Walker = { problems: b.snap.problems, limits: reader.limits };
  for (const p of opts.snapshots) {
    if (p === '-') {
      if (opts.stdin) b.addText(opts.stdin(), '<stdin>');
      else {
        const buf = reader.readFd(0, 0, 'stdin');
        if (Buffer.isBuffer(buf)) b.addBuffer(buf, '<stdin>');
        else b.snap.problems.push({ source: '<stdin>', message: buf.problem, partial: true });
      }
      b.snap.sources.push('<stdin>');
      continue;
    }
    const before = b.snap.problems.length;
    const files = listFiles(p, SNAPSHOT_EXT, w);
    if (files.length === 0 && b.snap.problems.length === before)
      b.snap.problems.push({ source: p, message: 'directory holds no .yaml, .yml or .json files', partial: false });
    for (const f of files) {
      const buf = reader.read(f);
      if (!Buffer.isBuffer(buf)) {
        b.snap.problems.push({ source: f, message: buf.problem, partial: true });
        continue;
      }
      b.addBuffer(buf, f);
    }
    b.snap.sources.push(p);
  }
  for (const p of opts.logs ?? []) {
    const files = listFiles(p, undefined, w);
    if (files.length === 0) b.snap.problems.push({ source: p, message: 'directory holds no log files', partial: true });
    for (const f of files) {
      const buf = reader.read(f);
      if (!Buffer.isBuffer(buf)) {
        b.snap.problems.push({ source: f, message: buf.problem, partial: true });
        continue;
      }
      const text = buf.length === 0 ? '' : decode(buf, f, b.snap.problems);
      if (text === undefined) continue;
      // A --logs file none of whose lines is a controller log line was not read at all: say so.
      if ((text === '' ? 0 : b.addLogText(text, f)) === 0)
        b.snap.problems.push({
          source: f,
          message:
            text.trim() === ''
              ? 'empty log file'
              : 'no Flux controller log lines in this file (expected JSON lines with level and msg, as `kubectl logs` prints them)',
          partial: text.trim() !== '',
        });
    }
  }
  return b.build();
}
