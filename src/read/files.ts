// The snapshot-file ClusterReader: files, directories (recursively) and stdin.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { type Snapshot, SnapshotBuilder } from './snapshot.js';

const SNAPSHOT_EXT = new Set(['.yaml', '.yml', '.json']);

export class InputError extends Error {}

function listFiles(path: string, exts: Set<string> | undefined): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    throw new InputError(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`,
    );
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    if (name.startsWith('.')) continue;
    const p = join(path, name);
    const s = statSync(p);
    if (s.isDirectory()) out.push(...listFiles(p, exts));
    else if (!exts || exts.has(extname(name).toLowerCase())) out.push(p);
  }
  return out;
}

export interface ReadFilesOptions {
  snapshots: string[];
  logs?: string[];
  /** Text to use for `-` (tests pass it; the CLI reads process.stdin). */
  stdin?: () => string;
}

export function readSnapshotFiles(opts: ReadFilesOptions): Snapshot {
  const b = new SnapshotBuilder();
  for (const p of opts.snapshots) {
    if (p === '-') {
      const text = opts.stdin ? opts.stdin() : readFileSync(0, 'utf8');
      b.addText(text, '<stdin>');
      b.snap.sources.push('<stdin>');
      continue;
    }
    const files = listFiles(p, SNAPSHOT_EXT);
    if (files.length === 0)
      b.snap.problems.push({ source: p, message: 'directory holds no .yaml, .yml or .json files', partial: false });
    for (const f of files) {
      let buf: Buffer;
      try {
        buf = readFileSync(f);
      } catch (e) {
        b.snap.problems.push({ source: f, message: `cannot read: ${(e as Error).message}`, partial: true });
        continue;
      }
      b.addBuffer(buf, f);
    }
    b.snap.sources.push(p);
  }
  for (const p of opts.logs ?? []) {
    const files = listFiles(p, undefined);
    if (files.length === 0) b.snap.problems.push({ source: p, message: 'directory holds no log files', partial: true });
    for (const f of files) {
      const text = readFileSync(f).toString('utf8');
      // A --logs file none of whose lines is a controller log line was not read at all: say so.
      if (b.addLogText(text, f) === 0)
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
