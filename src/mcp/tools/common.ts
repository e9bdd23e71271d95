// What every MCP tool shares: the input arguments (described once, in the server instructions), loading
// a Graph, strict argument checking, the byte budget of a result, paging, and the result itself (the
// structured result, and the same data serialized in the text block for clients that pass only
// `content` to the model). Each tool is one file in this directory: `defineTool({...})` with its
// input and output schemas and one `handler`, which loads and computes in one place.

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type CallToolResult, EmptyResultSchema, type ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { CliError } from '../../cli/common.js';
import { cachedLoad, cacheKey } from '../../core/cache.js';
import { CoreError } from '../../core/errors.js';
import { type LoadInput, load } from '../../core/load.js';
import { TargetError } from '../../core/target.js';
import type { Graph } from '../../graph/graph.js';
import { LiveError } from '../../read/live.js';
import { cleanLine } from '../../render/sanitize.js';
import { objId } from '../../signals/refs.js';
import type { ObjRef } from '../../types.js';
import { ViewError } from '../../views/common.js';
import { withDefaultInput } from '../default-input.js';

export interface McpOptions {
  allowWrite?: boolean;
  /** Default namespace of the Flux controllers (a tool's fluxNamespace argument overrides it). */
  fluxNamespace?: string;
  /** Timeout of each API request, ms. */
  requestTimeout?: number;
  version?: string;
  /** Which file paths the tools may read (src/mcp/paths.ts); default any (stdio). */
  paths?: import('../paths.js').PathPolicy;
  /** The byte budget of one structured result (default BUDGET_BYTES). */
  budgetBytes?: number;
  /** `mcp --snapshot PATH`: what a tool reads when its call names no input (see src/mcp/default-input.ts). */
  defaultSnapshot?: string[];
  /**
   * Served over stateless Streamable HTTP (one server per POST): no request to the client can be
   * answered, so the result does not wait for a ping after the progress notifications (progressOf).
   */
  statelessHttp?: boolean;
}

/** At most this many rows, findings, groups or lines per result; `limit` may ask for fewer or up to MAX_LIMIT. */
export const DEFAULT_LIMIT = 200;
export const MAX_LIMIT = 500;
/** At most this many nodes in a tree or trace result (before the byte budget). */
export const MAX_NODES = 500;
/** The default byte budget of a structured result (UTF-8 JSON): about 5k tokens. */
export const BUDGET_BYTES = 20_000;
/** Room kept in a budget for the fields around a pruned tree (counts, note). */
export const WRAPPER_BYTES = 1000;
/** Lists inside one item (a finding's affected objects and evidence, a group's events) are capped at this. */
export const MAX_INNER = 20;

export const READ_ONLY = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
} as const;
export const OFFLINE = { ...READ_ONLY, openWorldHint: false } as const;

// ---------- input ----------

/**
 * The input arguments every cluster-reading tool takes. Their meaning is told once, in the server
 * instructions (SHARED_ARGS_HELP); the per-tool descriptions stay short to keep tools/list small.
 */
export const input = {
  snapshot: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('snapshot file/dir path(s) instead of the live cluster'),
  logs: z.array(z.string()).optional().describe('controller log file/dir paths'),
  context: z.string().optional().describe('kubeconfig context'),
  kubeconfig: z.string().optional().describe('kubeconfig path'),
  fluxNamespace: z.string().optional().describe('Flux controllers namespace'),
  now: z.string().optional().describe('RFC 3339 evaluation time'),
  fresh: z.boolean().optional().describe('skip the 30 s read cache'),
};

/** What every cluster-reading tool takes: where to read. */
export const source = {
  snapshot: input.snapshot,
  context: input.context,
  kubeconfig: input.kubeconfig,
  fresh: input.fresh,
};

export const SHARED_ARGS_HELP =
  'Arguments shared by the cluster-reading tools (each inputSchema lists the ones it takes): `snapshot` (a path or paths of `kubectl get -o yaml/json` output or a `fluxdoctor snapshot` file/directory, read instead of the live cluster), `logs` (Flux controller JSON-lines log files/directories), `context` (a kubeconfig context, see list_contexts; default the current one), `kubeconfig` (default $KUBECONFIG, ~/.kube/config or in-cluster), `fluxNamespace` (where the Flux controllers run, default flux-system), `now` (evaluate time-based checks at this RFC 3339 time; default the snapshot time), `fresh` (read again: by default a call reuses the read of the same input taken in the last 30 s). Paths are on the server.';

export const PAGING_HELP = `Results are bounded: at most \`limit\` items from \`offset\` (default ${DEFAULT_LIMIT}, max ${MAX_LIMIT}) and about ${BUDGET_BYTES / 1000} KB of JSON; a cut result says \`truncated: true\`, how many items were left out, and \`nextOffset\` to call again with. Long lists inside one item are capped at ${MAX_INNER} with their total (e.g. \`affected\` and \`affectedTotal\`). Every result is JSON in structuredContent and the same JSON in the text block. Unknown arguments are refused. Targets are KIND/NAME or KIND/NAMESPACE/NAME, kinds as kubectl or flux spell them (ks/apps, hr/podinfo).`;

export const paging = {
  offset: z.number().int().min(0).optional().describe('skip this many items'),
  limit: z.number().int().min(1).max(MAX_LIMIT).optional().describe(`at most this many items (max ${MAX_LIMIT})`),
};

export const namespaceArg = z.string().optional().describe('only this namespace');
export const targetArg = z.string().describe('KIND/NAME or KIND/NAMESPACE/NAME');

export type InputArgs = {
  snapshot?: string | string[];
  logs?: string[];
  context?: string;
  kubeconfig?: string;
  fluxNamespace?: string;
  now?: string;
  /** Read again instead of reusing a cached read of the same input. */
  fresh?: boolean;
};

/** An error the agent can read (bad argument, nothing to act on): a tool error, not a crash. */
export class ToolError extends Error {}

/**
 * The input schema of a tool: a strict object, so an unknown argument is refused (the SDK parses the
 * arguments with it before the handler runs), with a message naming the valid arguments.
 */
export function strictInput<S extends z.ZodRawShape>(tool: string, shape: S) {
  const names = Object.keys(shape).sort();
  return z
    .object(shape, {
      errorMap: (issue, ctx) =>
        issue.code === 'unrecognized_keys'
          ? {
              message: `unknown argument${issue.keys.length === 1 ? '' : 's'} ${issue.keys
                .map((k) => `'${cleanLine(k, 60)}'`)
                .join(', ')} for ${tool}; valid arguments: ${names.join(', ') || 'none'}`,
            }
          : { message: ctx.defaultError },
    })
    .strict();
}

// ---------- loading ----------

/**
 * Reads the input of one call (live, or the snapshot paths) into a Graph through the core facade,
 * off the event loop's thread. The one place the tools load. `scope.namespace` narrows a live read
 * to that namespace (as `-n` does), so a namespace-scoped identity gets answers. Within one server a
 * read is reused for DEFAULT_CACHE_TTL_MS by calls with the same input (`fresh: true` reads again);
 * `mcp --snapshot PATH` fills in the input of a call that names none.
 */
/** The core input of one call: the server's default snapshot filled in, stdin refused, read off-thread. */
export function inputOf(rawArgs: InputArgs, opts: McpOptions, scope: { namespace?: string } = {}): LoadInput {
  const args = withDefaultInput(rawArgs, opts);
  const snapshot =
    args.snapshot === undefined ? undefined : Array.isArray(args.snapshot) ? args.snapshot : [args.snapshot];
  if (snapshot?.includes('-'))
    throw new ToolError("snapshot '-' (stdin) is not available over MCP: give a file or directory path");
  return {
    snapshot,
    logs: args.logs,
    context: args.context,
    kubeconfig: args.kubeconfig,
    namespace: scope.namespace || undefined,
    fluxNamespace: args.fluxNamespace ?? opts.fluxNamespace ?? 'flux-system',
    requestTimeout: opts.requestTimeout ?? 15_000,
    now: args.now,
    allowStdin: false,
    offThread: true,
  };
}

export async function loadInput(
  rawArgs: InputArgs,
  opts: McpOptions,
  scope: { namespace?: string } = {},
): Promise<Graph> {
  const input = inputOf(rawArgs, opts, scope);
  const { stdin: _s, onProgress: _p, ...keyed } = input;
  return cachedLoad(cacheKey(keyed), undefined, async () => (await load(input)).graph, {
    fresh: rawArgs.fresh === true,
  });
}

// ---------- bounding ----------

export const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v) ?? '', 'utf8');

/** Paging fields of every list result. */
export const pageOutput = {
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  returned: z.number().int(),
  truncated: z.boolean(),
  nextOffset: z.number().int().optional(),
  leftOut: z
    .object({
      items: z.number().int(),
      byBudget: z.number().int(),
    })
    .optional(),
  note: z.string().optional(),
};

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
  returned: number;
  truncated: boolean;
  nextOffset?: number;
  leftOut?: { items: number; byBudget: number };
  note?: string;
}

/**
 * One page of `all`: from `offset`, at most `limit` items, and only as many as keep the result (the
 * `rest` of it plus the items) within the byte budget; at least one item when there is one.
 */
export function pageOf<T>(
  all: T[],
  args: { offset?: number; limit?: number },
  opts: McpOptions,
  rest: unknown,
  what: string,
): Page<T> {
  const offset = args.offset ?? 0;
  const limit = Math.min(args.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const slice = all.slice(offset, offset + limit);
  const budget = opts.budgetBytes ?? BUDGET_BYTES;
  // The wrapper (other fields, paging fields, a note) is measured with room for the note.
  let used = bytes(rest) + 400;
  let n = 0;
  for (const item of slice) {
    const b = bytes(item) + 1;
    if (n > 0 && used + b > budget) break;
    used += b;
    n++;
  }
  const items = slice.slice(0, n);
  const byBudget = slice.length - n;
  const end = offset + n;
  const truncated = end < all.length;
  const p: Page<T> = { items, total: all.length, offset, limit, returned: n, truncated };
  if (truncated) {
    p.nextOffset = end;
    p.leftOut = { items: all.length - end, byBudget };
    p.note = `showing ${what} ${n ? offset + 1 : 0}-${end} of ${all.length}${
      byBudget ? ` (${byBudget} more within limit left out to stay within ${budget} bytes)` : ''
    }; call again with offset=${end} for more`;
  } else if (offset > 0 && offset >= all.length && all.length > 0) {
    p.note = `offset ${offset} is past the last of ${all.length} ${what}`;
  }
  return p;
}

/** Caps a list at `max`, returning the kept items and the total. */
export function cap<T>(list: T[], max = MAX_INNER): { kept: T[]; total: number; cut: boolean } {
  return { kept: list.slice(0, max), total: list.length, cut: list.length > max };
}

/**
 * Prunes a tree of nodes (children under `key`) to at most `maxNodes` nodes and about `budget` bytes,
 * in pre-order (the top of the tree is kept); returns how many nodes were cut.
 */
export function pruneTree<N extends Record<string, unknown>>(
  root: N,
  key: string,
  maxNodes: number,
  budget: number,
): number {
  let seen = 0;
  let used = 0;
  let cut = 0;
  const count = (n: N): number => 1 + ((n[key] as N[] | undefined) ?? []).reduce((s, c) => s + count(c), 0);
  const own = (n: N) => bytes({ ...n, [key]: [] }) + 1;
  const walk = (n: N) => {
    seen++;
    used += own(n);
    const kids = (n[key] as N[] | undefined) ?? [];
    const keep: N[] = [];
    for (const c of kids) {
      if (seen >= maxNodes || used + own(c) > budget) {
        cut += count(c);
        continue;
      }
      keep.push(c);
      walk(c);
    }
    (n as Record<string, unknown>)[key] = keep;
  };
  walk(root);
  return cut;
}

// ---------- output ----------

export const objRef = z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() });

/** The object counts of a report (`objects` of diagnose and check): every health state, adding up to total. */
export const objectCounts = z.object({
  total: z.number(),
  ready: z.number(),
  failing: z.number(),
  suspended: z.number(),
  waiting: z.number(),
  progressing: z.number(),
  unknown: z.number(),
});

export const show = (r: ObjRef) => cleanLine(objId(r), 300);

// ---------- definition and registration ----------

export interface ToolResult<T> {
  data: T;
  /** The text block; default: the data as JSON (what clients that read only `content` see). */
  text?: string;
}

export interface ToolSpec<I extends z.ZodRawShape, O extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** Registered only when the server allows writes. */
  write?: boolean;
  /** Load and compute: the one place this tool does its work. */
  handler: (
    args: z.infer<z.ZodObject<I>>,
    opts: McpOptions,
    ctx: ToolContext,
  ) => Promise<ToolResult<z.infer<z.ZodObject<O>>>> | ToolResult<z.infer<z.ZodObject<O>>>;
}

/** What one call offers its handler besides the arguments. */
export interface ToolContext {
  /**
   * Present when the client asked for progress (`_meta.progressToken` in the request): sends one
   * `notifications/progress` with an increasing `progress` count and this message.
   */
  progress?: (message: string) => void;
}

/** How long the result waits for the client's answer to the ping that follows the last progress notification. */
export const PROGRESS_BARRIER_MS = 5000;

/**
 * The progress callback of one request (undefined unless the client sent a progress token), and
 * `flush`, which the result waits for: every notification sent is written and, after the last one,
 * the client has answered a `ping`.
 *
 * Writing the notifications before the result is not enough. The TypeScript SDK client
 * (@modelcontextprotocol/sdk 1.32 shared/protocol.js) runs a notification's handler one microtask
 * after the message is read (`_onnotification`: `Promise.resolve().then(handler)`) but a response at
 * once (`_onresponse`, which deletes the request's progress handler), and its stdio transport reads
 * every message of one chunk in a loop. A last notification that arrives in the same chunk as the
 * result thus finds no handler: "Received a progress notification for an unknown token", dropped
 * (modelcontextprotocol/typescript-sdk#2580). The client handles messages in order, so its answer to
 * a ping sent after the notifications comes after their handlers ran; the result goes out after it.
 * `barrier: false` where the client cannot answer this server (stateless HTTP: one server per POST,
 * the answer would reach another one); a client that never answers costs PROGRESS_BARRIER_MS.
 */
export function progressOf(
  extra: unknown,
  opts: { barrier?: boolean; barrierMs?: number } = {},
): { progress: ToolContext['progress']; flush(): Promise<void> } {
  const x = extra as
    | {
        _meta?: { progressToken?: string | number };
        sendNotification?: (n: { method: string; params: Record<string, unknown> }) => Promise<void>;
        sendRequest?: (
          r: { method: string },
          schema: typeof EmptyResultSchema,
          o?: { timeout?: number },
        ) => Promise<unknown>;
      }
    | undefined;
  const token = x?._meta?.progressToken;
  const send = x?.sendNotification;
  let last: Promise<void> = Promise.resolve();
  let n = 0;
  const ping = x?.sendRequest;
  const flush = async () => {
    await last;
    if (n === 0 || opts.barrier === false || !ping) return;
    // A client that went away or does not answer must not fail the call: its result still goes out.
    await ping({ method: 'ping' }, EmptyResultSchema, { timeout: opts.barrierMs ?? PROGRESS_BARRIER_MS }).catch(
      () => {},
    );
  };
  if (token === undefined || !send) return { progress: undefined, flush };
  const progress = (message: string) => {
    n++;
    const params = { progressToken: token, progress: n, message: cleanLine(message, 500) };
    // In order, one after the other; a notification that cannot be sent (the client went away)
    // must not fail the write.
    last = last.then(() => send({ method: 'notifications/progress', params }).catch(() => {}));
  };
  return { progress, flush };
}

export interface Tool {
  name: string;
  write: boolean;
  /** The output schema (zod), for tests and the docs. */
  outputSchema: z.ZodTypeAny;
  register(server: McpServer, opts: McpOptions): void;
}

/** Input errors (unreadable input, unknown kind, object not found) become tool errors the agent can read. */
export async function run(fn: () => Promise<CallToolResult> | CallToolResult): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (e) {
    if (
      e instanceof CliError ||
      e instanceof CoreError ||
      e instanceof ViewError ||
      e instanceof ToolError ||
      e instanceof LiveError ||
      e instanceof TargetError
    )
      return { isError: true, content: [{ type: 'text', text: cleanLine(e.message, 2000) }] };
    throw e;
  }
}

export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(spec: ToolSpec<I, O>): Tool {
  const outputSchema = z.object(spec.output);
  return {
    name: spec.name,
    write: spec.write === true,
    outputSchema,
    register(server, opts) {
      type Cb = (args: unknown, extra?: unknown) => Promise<CallToolResult>;
      const cb: Cb = (args, extra) =>
        run(async () => {
          const { progress, flush } = progressOf(extra, { barrier: opts.statelessHttp !== true });
          let r: ToolResult<z.infer<z.ZodObject<O>>>;
          try {
            r = await spec.handler(args as z.infer<z.ZodObject<I>>, opts, { progress });
          } finally {
            await flush();
          }
          const data = r.data as Record<string, unknown>;
          return { content: [{ type: 'text', text: r.text ?? JSON.stringify(data) }], structuredContent: data };
        });
      (server.registerTool as unknown as (n: string, c: unknown, cb: Cb) => void)(
        spec.name,
        {
          title: spec.title,
          description: spec.description,
          inputSchema: strictInput(spec.name, spec.input),
          outputSchema,
          annotations: spec.annotations,
        },
        cb,
      );
    },
  };
}
