// What every command shares: I/O, exit codes, the input flags (-n, -A, --context, --kubeconfig,
// --snapshot, --logs, --flux-namespace, --request-timeout), turning them into the core's input
// (src/core/load.ts does the reading) and mapping the core's errors to exit codes.

import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { CoreError } from '../core/errors.js';
import { load as coreLoad, loadSnapshot as coreLoadSnapshot, isLive, type LoadInput } from '../core/load.js';
import { TargetError } from '../core/target.js';
import type { Graph } from '../graph/graph.js';
import { DEFAULT_MAX_FILE_SIZE, formatBytes } from '../read/files.js';
import type { Snapshot } from '../read/snapshot.js';
import { colorEnabled } from '../render/color.js';
import { cleanLine } from '../render/sanitize.js';

import { type CliContext, EXIT_FINDINGS, EXIT_INPUT, type Io } from './io.js';

export { type CliContext, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, type Io } from './io.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly code = EXIT_INPUT,
  ) {
    super(message);
  }
}

export interface InputFlags {
  snapshot?: string[];
  logs?: string[];
  namespace?: string;
  allNamespaces?: boolean;
  fluxNamespace?: string;
  context?: string;
  kubeconfig?: string;
  requestTimeout?: number;
  now?: string;
  color?: boolean;
  /** Bytes one snapshot or log file may hold (--max-file-size). */
  maxFileSize?: number;
}

/** How the input is loaded, beyond the flags. */
export interface LoadOptions {
  /** Read snapshot and log files in a worker thread (the MCP server: its event loop must stay free). */
  offThread?: boolean;
}

export const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The longest timer Node keeps (about 24.8 days): what `--request-timeout 0` (no timeout) becomes. */
export const NO_TIMEOUT_MS = 2_147_483_647;

/**
 * `--request-timeout` as kubectl reads it: a duration (`15s`, `2m`, `500ms`, `1m30s`), a bare number
 * of seconds, and `0` for no timeout. Returns milliseconds.
 */
export function parseRequestTimeout(v: string): number {
  const t = v.trim();
  let ms: number | undefined;
  if (/^\d+(\.\d+)?$/.test(t)) ms = Number(t) * 1000;
  else if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) {
    ms = 0;
    for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g))
      ms += Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 3_600_000);
  }
  if (ms === undefined || !Number.isFinite(ms))
    throw new InvalidArgumentError('a duration such as 15s, 2m or 500ms; a bare number is seconds; 0 for no timeout');
  if (ms === 0) return NO_TIMEOUT_MS;
  return Math.min(Math.max(1, Math.round(ms)), NO_TIMEOUT_MS);
}

/** The one `--request-timeout` option (the read commands, the write verbs, watch). */
export function requestTimeoutOption(): Option {
  return new Option(
    '--request-timeout <duration>',
    'timeout of each API request: a duration (15s, 2m, 500ms), a bare number of seconds, 0 for no timeout',
  )
    .argParser(parseRequestTimeout)
    .default(15_000, '15s');
}

/** `512Mi`, `1G`, `100k`, `4096` → bytes. */
export function byteSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(|k|ki|kb|m|mi|mb|g|gi|gb)$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError('a size such as 512Mi, 1Gi, 100k or a number of bytes');
  const unit = m[2]!.toLowerCase().replace(/b$/, '');
  const mult = { '': 1, k: 1000, ki: 1024, m: 1e6, mi: 1024 ** 2, g: 1e9, gi: 1024 ** 3 }[unit] ?? 1;
  const n = Math.floor(Number(m[1]) * mult);
  if (n < 1) throw new InvalidArgumentError('a size of at least one byte');
  return n;
}

/** The input flags every reading command takes, as kubectl and flux spell them. */
export function inputOptions(cmd: Command): Command {
  return cmd
    .option(
      '--snapshot <path>',
      'read a snapshot file or directory instead of a live cluster (kubectl -o yaml/json, fluxdoctor snapshot); `-` for stdin; repeatable',
      collect,
    )
    .option(
      '--logs <path>',
      'Flux controller logs (JSON lines), file or directory, added to what is read; repeatable',
      collect,
    )
    .option('-n, --namespace <namespace>', 'only this namespace')
    .option('-A, --all-namespaces', 'all namespaces (the default)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config, or in-cluster)')
    .option(
      '--flux-namespace <namespace>',
      'namespace of the Flux controllers (default: where the controller Deployments run, else flux-system)',
    )
    .addOption(requestTimeoutOption())
    .option('--now <time>', 'evaluate time-based checks as of this RFC 3339 time (default: the snapshot time)')
    .option(
      '--max-file-size <size>',
      `largest snapshot or log file read (e.g. 512Mi; default ${formatBytes(DEFAULT_MAX_FILE_SIZE)})`,
      byteSize,
    );
}

/** How the flags name the input, for the core (src/core/load.ts). */
export function loadInput(flags: InputFlags, io: Io, load: LoadOptions = {}): LoadInput {
  return {
    snapshot: flags.snapshot,
    logs: flags.logs,
    stdin: io.stdin,
    namespace: flags.allNamespaces ? undefined : flags.namespace,
    fluxNamespace: flags.fluxNamespace,
    context: flags.context,
    kubeconfig: flags.kubeconfig,
    requestTimeout: flags.requestTimeout,
    now: flags.now,
    maxFileSize: flags.maxFileSize,
    offThread: load.offThread,
  };
}

/** A CoreError becomes a CliError (exit 2, or 1 for a failed outcome); anything else passes. */
export async function cli<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CoreError) throw new CliError(e.message, e.failed ? EXIT_FINDINGS : EXIT_INPUT);
    throw e;
  }
}

/** The live read's progress line on stderr, only on a TTY outside CI; `clear` removes it. */
export function readProgress(io: Io): { onProgress?: LoadInput['onProgress']; clear(): void } {
  const on = io.stderr.isTTY === true && io.env.CI === undefined;
  return {
    onProgress: on
      ? (done, total, what) => io.stderr.write(`\r\u001b[2Kreading cluster: ${done}/${total} ${cleanLine(what, 100)}`)
      : undefined,
    clear: () => {
      if (on) io.stderr.write('\r\u001b[2K');
    },
  };
}

/** Read the input (live cluster or snapshot files). Throws CliError with a message that says what to do. */
export async function loadSnapshot(flags: InputFlags, io: Io, load: LoadOptions = {}): Promise<Snapshot> {
  const input = loadInput(flags, io, load);
  const progress = isLive(input) ? readProgress(io) : undefined;
  try {
    return await cli(() => coreLoadSnapshot({ ...input, onProgress: progress?.onProgress }));
  } finally {
    progress?.clear();
  }
}

/** Read the input into a Graph (src/core load). Throws CliError with a message that says what to do. */
export async function loadGraph(flags: InputFlags, io: Io, load: LoadOptions = {}): Promise<Graph> {
  const input = loadInput(flags, io, load);
  const progress = isLive(input) ? readProgress(io) : undefined;
  try {
    return (await cli(() => coreLoad({ ...input, onProgress: progress?.onProgress }))).graph;
  } finally {
    progress?.clear();
  }
}

export function useColor(io: Io, flags: { color?: boolean }): boolean {
  return colorEnabled(io.stdout, io.env, flags.color === false ? false : undefined);
}

/** Run a command body; CliErrors become a message on stderr and their exit code. */
export function action<A extends unknown[]>(
  ctx: CliContext,
  fn: (...args: A) => Promise<number> | number,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      ctx.exit = await fn(...args);
    } catch (e) {
      if (e instanceof CliError) {
        // The message may quote cluster or file text: the stream sanitiser removes controls and
        // invisible characters; callers clean any value that could add lines (cleanLine).
        ctx.io.stderr.write(`fluxdoctor: ${e.message}\n`);
        ctx.exit = e.code;
        return;
      }
      if (e instanceof CoreError) {
        ctx.io.stderr.write(`fluxdoctor: ${e.message}\n`);
        ctx.exit = e.failed ? EXIT_FINDINGS : EXIT_INPUT;
        return;
      }
      if (e instanceof TargetError) {
        ctx.io.stderr.write(`fluxdoctor: ${e.message}\n`);
        ctx.exit = EXIT_INPUT;
        return;
      }
      throw e;
    }
  };
}
