// Loading the input every front end works from: snapshot files or stdin, or a live cluster
// (kubeconfig/context, namespace scoping, Flux namespace, request timeout, controller logs).
// No terminal output: progress goes to `onProgress`. Failures are CoreErrors that say what to do.

import { Graph } from '../graph/graph.js';
import { InputError, type ReadFilesOptions, readSnapshotFiles } from '../read/files.js';
import { redactText } from '../read/redact.js';
import type { Snapshot } from '../read/snapshot.js';
import { readSnapshotFilesOffThread } from '../read/worker.js';
import { cleanLine } from '../render/sanitize.js';
import { CoreError } from './errors.js';

export { DEFAULT_FLUX_NAMESPACE } from '../graph/flux-namespace.js';
export const DEFAULT_REQUEST_TIMEOUT = 15_000;

/** What to read. With `snapshot` (one or more paths, `-` for stdin) files; without it the live cluster. */
export interface LoadInput {
  snapshot?: string[];
  /** Flux controller log files or directories (JSON lines), added to what is read. */
  logs?: string[];
  /** Text of stdin, for a snapshot path `-` (tests); absent: file descriptor 0 is read (the CLI). */
  stdin?: () => string;
  /** False: a snapshot path `-` is refused (a server whose stdin is its protocol channel, e.g. MCP over stdio). */
  allowStdin?: boolean;
  /** Only this namespace (a live read LISTs only it); undefined: every namespace. */
  namespace?: string;
  fluxNamespace?: string;
  context?: string;
  kubeconfig?: string;
  /** Timeout of each API request, ms. */
  requestTimeout?: number;
  /** Evaluate time-based checks as of this RFC 3339 time (default: the snapshot time). */
  now?: string;
  /** Bytes one snapshot or log file may hold. */
  maxFileSize?: number;
  /** Read snapshot and log files in a worker thread (a server whose event loop must stay free). */
  offThread?: boolean;
  /** Live read progress: `done` of `total` steps, the last one `what`. */
  onProgress?: (done: number, total: number, what: string) => void;
}

export interface Loaded {
  graph: Graph;
  snapshot: Snapshot;
  /** Some input could not be read (the problems say what). */
  partial: boolean;
  problems: Snapshot['problems'];
  /** The input was a live cluster. */
  live: boolean;
}

export const isLive = (input: LoadInput): boolean => !(input.snapshot && input.snapshot.length > 0);

function parseNow(now: string | undefined): Date | undefined {
  if (now === undefined) return undefined;
  const d = new Date(now);
  if (Number.isNaN(d.getTime()))
    throw new CoreError(`--now '${cleanLine(now, 100)}' is not a valid time (use RFC 3339, e.g. 2026-11-24T10:00:00Z)`);
  return d;
}

async function files(input: LoadInput, opts: ReadFilesOptions): Promise<Snapshot> {
  try {
    return await (input.offThread ? readSnapshotFilesOffThread(opts) : readSnapshotFiles(opts));
  } catch (e) {
    if (e instanceof InputError) throw new CoreError(e.message);
    throw e;
  }
}

/** Read the input into a Snapshot. Throws CoreError with a message that says what to do. */
export async function loadSnapshot(input: LoadInput): Promise<Snapshot> {
  const limits = { maxFileSize: input.maxFileSize };
  if (!isLive(input)) {
    const snapshots = input.snapshot!;
    if (input.allowStdin === false && snapshots.includes('-'))
      throw new CoreError("snapshot '-' (stdin) is not available here: give a file or directory path");
    const stdin = snapshots.includes('-') ? input.stdin : undefined;
    const snap = await files(input, { snapshots, logs: input.logs, stdin, ...limits });
    if (snap.objects.length === 0) {
      const detail = snap.problems
        .slice(0, 10)
        .map((p) => `\n  ${cleanLine(p.source, 300)}${p.line ? `:${p.line}` : ''}: ${cleanLine(p.message, 500)}`)
        .join('');
      throw new CoreError(`no Kubernetes objects could be read from the input.${detail}`);
    }
    return snap;
  }
  // The Kubernetes client (1,900 modules) is loaded only for a live read: not for snapshot files.
  const { LiveError, readLive } = await import('../read/live.js');
  let snap: Snapshot;
  try {
    snap = await readLive({
      kubeconfig: input.kubeconfig,
      context: input.context,
      namespace: input.namespace,
      fluxNamespace: input.fluxNamespace,
      timeoutMs: input.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT,
      onProgress: input.onProgress,
    });
  } catch (e) {
    if (e instanceof LiveError)
      throw new CoreError(`${e.message}\n(use --snapshot FILE to work from a captured snapshot instead)`);
    throw e;
  }
  // Logs collected separately (e.g. when the controllers' pods/log is not readable) are added.
  if (input.logs && input.logs.length > 0) {
    const logs = await files(input, { snapshots: [], logs: input.logs, ...limits });
    snap.logs.push(...logs.logs);
    snap.problems.push(...logs.problems);
  }
  // Problems the live reader adds after the snapshot is built (API errors quote server text) are
  // masked like every other string that leaves the reader.
  for (const p of snap.problems) p.message = redactText(p.message);
  return snap;
}

/** Read the input and index it into a Graph. */
export async function load(input: LoadInput): Promise<Loaded> {
  const now = parseNow(input.now);
  const snapshot = await loadSnapshot(input);
  const graph = new Graph(snapshot, { fluxNamespace: input.fluxNamespace, now });
  return {
    graph,
    snapshot,
    partial: snapshot.problems.some((p) => p.partial),
    problems: snapshot.problems,
    live: isLive(input),
  };
}
