// Snapshot files read off the main thread: the MCP server must keep answering while one call reads
// (and parses) a large input. This module is both the caller and, run as a worker, the reader: the
// worker runs readSnapshotFiles with all its bounds and posts the Snapshot back. A worker that runs out
// of memory or crashes ends alone; the caller gets an InputError.

import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { InputError, type ReadFilesOptions, readSnapshotFiles } from './files.js';
import type { Snapshot } from './snapshot.js';

const MARK = 'fluxdoctor-read-worker';

type Request = { mark: typeof MARK; opts: Omit<ReadFilesOptions, 'stdin'> };
type Reply = { snap: Snapshot } | { inputError: string } | { error: string };

if (!isMainThread && (workerData as Request | undefined)?.mark === MARK && parentPort) {
  const { opts } = workerData as Request;
  let reply: Reply;
  try {
    reply = { snap: readSnapshotFiles(opts) };
  } catch (e) {
    reply = e instanceof InputError ? { inputError: e.message } : { error: (e as Error)?.message ?? String(e) };
  }
  parentPort.postMessage(reply);
}

// Run from TypeScript source (tests, `node --import tsx`): Node 20 does not carry the loader hooks of
// `--import` into workers, so the worker registers tsx itself before it loads this module.
const fromSource = import.meta.url.endsWith('.ts');

function entry(): URL | string {
  if (!fromSource) return new URL(import.meta.url);
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`;
}

/**
 * readSnapshotFiles in a worker thread: the same checks and result, and the caller's event loop stays
 * free. `stdin` cannot cross threads: options with one are read on this thread.
 */
export function readSnapshotFilesOffThread(opts: ReadFilesOptions): Promise<Snapshot> {
  if (opts.stdin || opts.snapshots.includes('-')) return Promise.resolve(readSnapshotFiles(opts));
  const { stdin: _s, ...plain } = opts;
  return new Promise<Snapshot>((resolve, reject) => {
    let settled = false;
    const heapMb = Math.floor(getHeapStatistics().heap_size_limit / (1024 * 1024));
    const worker = new Worker(entry(), {
      eval: fromSource,
      workerData: { mark: MARK, opts: plain } satisfies Request,
      // Explicit limits: a worker that reaches them is stopped (ERR_WORKER_OUT_OF_MEMORY), the process lives.
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      // Under MCP stdio, stdout is the protocol channel: nothing from the reader may reach it.
      stdout: true,
    });
    worker.stdout.resume();
    const done = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.once('message', (r: Reply) => {
      done(() => {
        if ('snap' in r) resolve(r.snap);
        else if ('inputError' in r) reject(new InputError(r.inputError));
        else reject(new InputError(`reading the input failed: ${r.error}`));
      });
      void worker.terminate();
    });
    worker.once('error', (e: Error & { code?: string }) =>
      done(() =>
        reject(
          new InputError(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? 'reading the input ran out of memory: give a smaller snapshot'
              : `reading the input failed: ${e.message}`,
          ),
        ),
      ),
    );
    worker.once('exit', (code) =>
      done(() => reject(new InputError(`reading the input failed: the reader stopped (exit code ${code})`))),
    );
  });
}
