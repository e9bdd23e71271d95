// The MCP server: the same core as the CLI, as tools an agent can call. Each tool is a thin wrapper:
// load a Graph (live, or a snapshot path), call the view or the diagnosis, and return the data as
// structuredContent with a short text summary. Results are bounded (offset/limit). The write tools
// (reconcile, suspend, resume) are registered only when the server is created with allowWrite.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { CliError, type InputFlags, type Io, loadGraph } from '../cli/common.js';
import { parseTarget, TargetError } from '../core/target.js';
import { diagnose } from '../diagnose/engine.js';
import { filterReport } from '../diagnose/filter.js';
import type { Graph } from '../graph/graph.js';
import { explainField, FieldNotFoundError } from '../kb/explain-field.js';
import type { FluxApi } from '../kb/flux-api.js';
import { liveFluxApi } from '../kb/live.js';
import { searchDocs } from '../kb/search.js';
import { health, isSuspended } from '../kinds/status.js';
import type { KindInfo } from '../kinds/table.js';
import { probeArtifact } from '../live/artifact.js';
import { FluxWriter, isStatic, reconcilePatch, resumePatch, suspendPatch, waitForReconcile } from '../live/write.js';
import { ApiClient, LiveError, loadKubeConfig, readKubeConfig } from '../read/live.js';
import { contractOf } from '../render/report.js';
import { cleanLine } from '../render/sanitize.js';
import { codePage } from '../rules/docs.js';
import { ALL_RULES, RULES_BY_CODE } from '../rules/index.js';
import type { ObjRef, Severity } from '../types.js';
import { artifactProbeTarget, checkView } from '../views/check.js';
import { parseDuration, resolveTarget, ViewError } from '../views/common.js';
import { eventGroups } from '../views/events.js';
import { getRows, STATUS_FILTERS } from '../views/get.js';
import { LOG_LEVELS, logLines } from '../views/logs.js';
import { stats } from '../views/stats.js';
import { trace } from '../views/trace.js';
import { tree } from '../views/tree.js';
import { registerKnowledge } from './knowledge.js';
import { guardPathArgs, type PathPolicy } from './paths.js';

export interface McpOptions {
  allowWrite?: boolean;
  /** Default namespace of the Flux controllers (a tool's fluxNamespace argument overrides it). */
  fluxNamespace?: string;
  /** Timeout of each API request, ms. */
  requestTimeout?: number;
  version?: string;
  /** Which file paths the tools may read (src/mcp/paths.ts); default any (stdio). */
  paths?: PathPolicy;
  /** `mcp --snapshot PATH`: what a tool reads when its call names no input (see src/mcp/default-input.ts). */
  defaultSnapshot?: string[];
}

/** At most this many rows, findings, groups or lines per result; `limit` may ask for fewer or up to MAX_LIMIT. */
export const DEFAULT_LIMIT = 200;
export const MAX_LIMIT = 500;
/** At most this many nodes in a tree or trace result. */
export const MAX_NODES = 500;

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;

const input = {
  snapshot: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe(
      'Read this snapshot file or directory (kubectl -o yaml/json output, or `fluxdoctor snapshot`) instead of the live cluster. Paths are relative to the server.',
    ),
  logs: z.array(z.string()).optional().describe('Flux controller log files/directories (JSON lines) to add'),
  context: z.string().optional().describe('kubeconfig context to read (see list_contexts); default: the current one'),
  kubeconfig: z.string().optional().describe('kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or in-cluster'),
  fluxNamespace: z.string().optional().describe('namespace of the Flux controllers (default flux-system)'),
  now: z.string().optional().describe('evaluate time-based checks as of this RFC 3339 time (default: snapshot time)'),
};
const paging = {
  offset: z.number().int().min(0).optional().describe('skip this many items (for paging; default 0)'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .optional()
    .describe(`at most this many items (default ${DEFAULT_LIMIT}, max ${MAX_LIMIT})`),
};
const namespaceArg = z.string().optional().describe('only this namespace (default: all namespaces)');
const targetArg = z
  .string()
  .describe('the object: KIND/NAME or KIND/NAMESPACE/NAME, kind as kubectl or flux spell it (ks/apps, hr/podinfo)');

type InputArgs = {
  snapshot?: string | string[];
  logs?: string[];
  context?: string;
  kubeconfig?: string;
  fluxNamespace?: string;
  now?: string;
};

class ToolError extends Error {}

/** An Io whose stdout/stderr are captured (stdout is the MCP channel under stdio) and whose stdin is refused. */
function captureIo(): Io {
  return {
    stdout: { write: () => true, isTTY: false },
    stderr: { write: () => true, isTTY: false },
    env: { ...process.env, CI: '1' },
    stdin: () => {
      throw new CliError("snapshot '-' (stdin) is not available over MCP: give a file or directory path");
    },
  };
}

async function graphOf(args: InputArgs, opts: McpOptions, extra: Partial<InputFlags> = {}): Promise<Graph> {
  const snapshot =
    args.snapshot === undefined ? undefined : Array.isArray(args.snapshot) ? args.snapshot : [args.snapshot];
  if (snapshot?.includes('-'))
    throw new ToolError("snapshot '-' (stdin) is not available over MCP: give a file or directory path");
  const flags: InputFlags = {
    snapshot,
    logs: args.logs,
    context: args.context,
    kubeconfig: args.kubeconfig,
    fluxNamespace: args.fluxNamespace ?? opts.fluxNamespace ?? 'flux-system',
    requestTimeout: opts.requestTimeout ?? 15_000,
    now: args.now,
    allNamespaces: true,
    ...extra,
  };
  return loadGraph(flags, captureIo(), { offThread: true });
}

function page<T>(items: T[], args: { offset?: number; limit?: number }) {
  const offset = args.offset ?? 0;
  const limit = Math.min(args.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const slice = items.slice(offset, offset + limit);
  const truncated = offset + slice.length < items.length;
  return { slice, offset, limit, total: items.length, truncated };
}

function pageNote(p: { offset: number; total: number; truncated: boolean; slice: unknown[] }, what: string): string {
  if (p.total === 0) return '';
  if (!p.truncated && p.offset === 0) return '';
  const next = p.truncated ? `; call again with offset=${p.offset + p.slice.length} for more` : '';
  return ` (showing ${what} ${p.slice.length ? p.offset + 1 : 0}-${p.offset + p.slice.length} of ${p.total}${next})`;
}

const ok = (text: string, structuredContent: Record<string, unknown>): CallToolResult => ({
  content: [{ type: 'text', text }],
  structuredContent,
});

/** Input errors (unreadable input, unknown kind, object not found) become tool errors the agent can read. */
async function run(fn: () => Promise<CallToolResult> | CallToolResult): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (e) {
    if (
      e instanceof CliError ||
      e instanceof ViewError ||
      e instanceof ToolError ||
      e instanceof LiveError ||
      e instanceof TargetError
    )
      return { isError: true, content: [{ type: 'text', text: cleanLine(e.message, 2000) }] };
    throw e;
  }
}

const show = (r: ObjRef) => cleanLine(r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`, 300);

/** Prune a tree of nodes (children under `key`) to at most `max` nodes; returns how many were cut. */
function prune<N extends Record<string, unknown>>(root: N, key: string, max: number): number {
  let seen = 0;
  let cut = 0;
  const count = (n: N): number => 1 + ((n[key] as N[] | undefined) ?? []).reduce((s, c) => s + count(c), 0);
  const walk = (n: N) => {
    seen++;
    const kids = (n[key] as N[] | undefined) ?? [];
    const keep: N[] = [];
    for (const c of kids) {
      if (seen >= max) {
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

const SEVERITY = z.enum(['error', 'warning', 'info']);

export function createServer(opts: McpOptions = {}): McpServer {
  const server = new McpServer(
    { name: 'fluxdoctor', version: opts.version ?? '0.0.0' },
    {
      instructions:
        'fluxdoctor finds what is broken in a FluxCD cluster and why. Start with `diagnose` (root causes with evidence and the fix), then `tree`, `trace`, `events` and `logs` on the objects it names, and `explain_code` for a finding code. Every tool reads the live cluster (optional `context`, see list_contexts) or a `snapshot` path.',
    },
  );
  guardPathArgs(server, opts.paths ?? { mode: 'any' });

  server.registerTool(
    'diagnose',
    {
      title: 'Diagnose Flux',
      description:
        'Find every failing Flux object and report each root cause once: code, severity, root-cause object, affected objects, evidence and remediation. The same findings as `fluxdoctor diagnose -o json`. Start here.',
      inputSchema: {
        ...input,
        namespace: namespaceArg,
        kinds: z.array(z.string()).optional().describe('only findings that involve these kinds (e.g. HelmRelease, ks)'),
        severity: SEVERITY.optional().describe('minimum severity: error, warning or info'),
        ...paging,
      },
      annotations: READ_ONLY,
    },
    async (args) =>
      run(async () => {
        const graph = await graphOf(args, opts);
        const report = filterReport(diagnose(graph), {
          namespace: args.namespace,
          kinds: args.kinds,
          severity: args.severity as Severity | undefined,
        });
        const doc = contractOf(report);
        const findings = doc.findings as { code: string; severity: string; rootCause: ObjRef; summary: string }[];
        const p = page(findings, args);
        const counts = ['error', 'warning', 'info']
          .map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`)
          .join(', ');
        const lines = p.slice
          .slice(0, 20)
          .map((f) => `- [${f.severity}] ${f.code} ${show(f.rootCause)}: ${cleanLine(f.summary, 200)}`);
        const text = `${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts})${pageNote(p, 'findings')}${
          report.partial ? '; partial report: some input could not be read (see "problems")' : ''
        }${lines.length ? `\n${lines.join('\n')}` : ''}${p.slice.length > 20 ? `\n… ${p.slice.length - 20} more in structuredContent` : ''}`;
        return ok(text, { ...doc, findings: p.slice });
      }),
  );

  server.registerTool(
    'get_resources',
    {
      title: 'Get Flux objects',
      description:
        'List Flux objects with their status, like `flux get`: kind, namespace, name, ready state, status message, revision, last reconcile age, suspended. Filter by kind, name, namespace and state (e.g. status "failing").',
      inputSchema: {
        ...input,
        kind: z
          .string()
          .optional()
          .describe('a Flux kind as kubectl/flux spell it (ks, hr, gitrepo, …), comma-separated, or "all" (default)'),
        name: z.string().optional().describe('only objects with this name'),
        namespace: namespaceArg,
        status: z.enum(STATUS_FILTERS).optional().describe('only objects in this state'),
        ...paging,
      },
      annotations: READ_ONLY,
    },
    async (args) =>
      run(async () => {
        const graph = await graphOf(args, opts);
        const rows = getRows(graph, {
          kind: args.kind ?? 'all',
          name: args.name,
          namespace: args.namespace,
          status: args.status,
        });
        const p = page(rows, args);
        const notReady = rows.filter((r) => !['Ready', 'Static'].includes(r.ready)).length;
        return ok(
          `${rows.length} object${rows.length === 1 ? '' : 's'}, ${notReady} not ready${pageNote(p, 'objects')}`,
          {
            items: p.slice,
            total: p.total,
            offset: p.offset,
            truncated: p.truncated,
          },
        );
      }),
  );

  server.registerTool(
    'tree',
    {
      title: 'Tree of what an object applied',
      description:
        'Show what a Kustomization or HelmRelease (or FluxInstance, ResourceSet) applied, down through nested Flux objects to workloads and pods, with the health of each node.',
      inputSchema: { ...input, target: targetArg, namespace: z.string().optional().describe("the object's namespace") },
      annotations: READ_ONLY,
    },
    async (args) =>
      run(async () => {
        const graph = await graphOf(args, opts);
        const t = tree(graph, resolveTarget(graph, [args.target], args.namespace));
        const cut = prune(t.root as unknown as Record<string, unknown>, 'children', MAX_NODES);
        return ok(
          `${show(t.root.ref)}: ${t.objects} objects, ${t.notReady} not ready${t.notRead ? `, ${t.notRead} not read` : ''}${
            cut ? ` (truncated: ${cut} nodes beyond the first ${MAX_NODES} left out)` : ''
          }`,
          { ...t, ...(cut ? { truncatedNodes: cut } : {}) } as unknown as Record<string, unknown>,
        );
      }),
  );

  server.registerTool(
    'trace',
    {
      title: 'Trace an object up its chain',
      description:
        'Trace any object (Deployment, Pod, ConfigMap, HelmRelease, …) up its chain: what applied or owns it, that one’s source and revision, its dependencies, up to the top, with the health of every hop.',
      inputSchema: { ...input, target: targetArg, namespace: z.string().optional().describe("the object's namespace") },
      annotations: READ_ONLY,
    },
    async (args) =>
      run(async () => {
        const graph = await graphOf(args, opts);
        const t = trace(graph, resolveTarget(graph, [args.target], args.namespace));
        const cut = prune(t.root as unknown as Record<string, unknown>, 'up', MAX_NODES);
        return ok(
          `${show(t.root.ref)}: ${t.hops} hop${t.hops === 1 ? '' : 's'} up, ${t.notReady} not ready${cut ? ` (truncated: ${cut} nodes left out)` : ''}`,
          { ...t, ...(cut ? { truncatedNodes: cut } : {}) } as unknown as Record<string, unknown>,
        );
      }),
  );

  server.registerTool(
    'events',
    {
      title: 'Kubernetes events',
      description:
        'Events of Flux objects and of what they manage (workloads, ReplicaSets, Pods), grouped by object, groups with warnings first, newest first. Use `for` to see one object and what it applied.',
      inputSchema: {
        ...input,
        for: z.string().optional().describe('only this object and what it applied: KIND/NAME or KIND/NAMESPACE/NAME'),
        namespace: z.string().optional().describe('only this namespace; with `for`, the object’s namespace'),
        warningsOnly: z.boolean().optional().describe('only Warning events'),
        ...paging,
      },
      annotations: READ_ONLY,
    },
    async (args) =>
      run(async () => {
        const graph = await graphOf(args, opts);
        const target = args.for ? resolveTarget(graph, [args.for], args.namespace) : undefined;
        const groups = eventGroups(graph, {
          for: target,
          namespace: target ? undefined : args.namespace,
          warningsOnly: args.warningsOnly,
        });
        const p = page(groups, args);
        const events = groups.reduce((s, g) => s + g.events.length, 0);
        const warnings = groups.reduce((s, g) => s + g.events.filter((e) => e.type === 'Warning').length, 0);
        return ok(
          `${events} event${events === 1 ? '' : 's'} (${warnings} warning${warnings === 1 ? '' : 's'}) on ${groups.length} object${groups.length === 1 ? '' : 's'}${target ? ` for ${show(target)}` : ''}${pageNote(p, 'groups')}`,
          {
            ...(target ? { for: target } : {}),
            groups: p.slice,
            total: p.total,
            offset: p.offset,
            truncated: p.truncated,
          },
        );
      }),
  );

  server.registerTool(
    'logs',
    {
      title: 'Flux controller logs',
      description:
        "The Flux controllers' log lines about one object (or all objects), across every controller, oldest first. Live: the last hour of the running controller pods; with a snapshot: the `logs` files.",
      inputSchema: {
        ...input,
        for: z.string().optional().describe('only lines about this object: KIND/NAME or KIND/NAMESPACE/NAME'),
        namespace: z.string().optional().describe('only this namespace; with `for`, the object’s namespace'),
        level: z.enum(LOG_LEVELS).optional().describe('minimum level: error, info or debug'),
        since: z
          .string()
          .optional()
          .describe('only lines newer than this, relative to the snapshot time (e.g. 10m, 2h)'),
        ...paging,
      },
      annotations: READ_ONLY,
    },
    async (args) =>
      run(async () => {
        const sinceMs = args.since === undefined ? undefined : parseDuration(args.since);
        if (args.since !== undefined && sinceMs === undefined)
          throw new ToolError(`since '${cleanLine(args.since, 50)}' is not a duration such as 30s, 10m, 2h`);
        const graph = await graphOf(args, opts);
        const target = args.for ? resolveTarget(graph, [args.for], args.namespace) : undefined;
        const rows = logLines(graph, {
          for: target,
          level: args.level,
          sinceMs,
          namespace: target ? undefined : args.namespace,
        });
        const p = page(rows, args);
        const none = rows.length === 0 && graph.snapshot.logs.length === 0 ? ' (no logs were read)' : '';
        return ok(
          `${rows.length} log line${rows.length === 1 ? '' : 's'}${target ? ` about ${show(target)}` : ''}${none}${pageNote(p, 'lines')}`,
          {
            ...(target ? { for: target } : {}),
            lines: p.slice,
            total: p.total,
            offset: p.offset,
            truncated: p.truncated,
          },
        );
      }),
  );

  server.registerTool(
    'check',
    {
      title: 'Check the Flux installation',
      description:
        'Check the Flux installation like `flux check`: API server and Kubernetes version, controllers and their images, CRDs and API versions in use, artifact storage. Returns each check as ok/fail/warn/skip.',
      inputSchema: {
        ...input,
        probe: z.boolean().optional().describe('live only: fetch an artifact from source-controller (default true)'),
      },
      annotations: READ_ONLY,
    },
    async (args) =>
      run(async () => {
        const graph = await graphOf(args, opts);
        const live = args.snapshot === undefined;
        const target = live && args.probe !== false ? artifactProbeTarget(graph) : undefined;
        const probe = target ? await probeArtifact(target, opts.requestTimeout ?? 15_000) : undefined;
        const r = checkView(graph, { live, probe });
        const failed = r.items.filter((i) => i.status === 'fail').map((i) => `- ✗ ${cleanLine(i.title, 200)}`);
        return ok(
          `${r.ok ? 'all checks passed' : `${r.counts.fail} check${r.counts.fail === 1 ? '' : 's'} failed`} (${r.counts.ok} ok, ${r.counts.warn} warnings, ${r.counts.skip} skipped)${failed.length ? `\n${failed.join('\n')}` : ''}`,
          r as unknown as Record<string, unknown>,
        );
      }),
  );

  server.registerTool(
    'stats',
    {
      title: 'Count Flux objects',
      description:
        'Count Flux objects per kind: total, ready, failing, suspended, waiting, progressing. A quick overview of the cluster’s Flux health.',
      inputSchema: { ...input, namespace: namespaceArg },
      annotations: READ_ONLY,
    },
    async (args) =>
      run(async () => {
        const graph = await graphOf(args, opts);
        const s = stats(graph, { namespace: args.namespace });
        const t = s.total;
        return ok(
          `${t.total} Flux objects: ${t.ready} ready, ${t.failing} failing, ${t.suspended} suspended, ${t.waiting} waiting, ${t.progressing} progressing`,
          s as unknown as Record<string, unknown>,
        );
      }),
  );

  server.registerTool(
    'explain_code',
    {
      title: 'Explain a diagnosis code',
      description:
        'The page of a diagnosis code (e.g. source.auth, helm.upgrade-failed): what it means, how it is detected, how to fix it, commands to confirm. Without `code`, lists every code with its title.',
      inputSchema: { code: z.string().optional().describe('a diagnosis code from a diagnose finding') },
      annotations: { ...READ_ONLY, openWorldHint: false },
    },
    async (args) =>
      run(() => {
        if (!args.code) {
          const codes = ALL_RULES.map((r) => ({ code: r.meta.code, severity: r.meta.severity, title: r.meta.title }));
          codes.sort((a, b) => a.code.localeCompare(b.code));
          return ok(`${codes.length} diagnosis codes:\n${codes.map((c) => `- ${c.code}: ${c.title}`).join('\n')}`, {
            codes,
          });
        }
        const rule = RULES_BY_CODE.get(args.code);
        if (!rule) {
          const near = ALL_RULES.map((r) => r.meta.code).filter(
            (c) => c.includes(args.code!) || args.code!.includes(c.split('.')[1] ?? '@'),
          );
          throw new ToolError(
            `unknown code '${cleanLine(args.code, 100)}'.${near.length ? ` Did you mean: ${near.join(', ')}?` : ''} Call explain_code without a code to list them.`,
          );
        }
        const m = rule.meta;
        const pageText = codePage(rule);
        return ok(pageText, {
          code: m.code,
          severity: m.severity,
          title: m.title,
          kinds: m.kinds,
          ...(m.explainedBy?.length ? { explainedBy: m.explainedBy } : {}),
          docs: m.docs,
          page: pageText,
        });
      }),
  );

  server.registerTool(
    'list_contexts',
    {
      title: 'List kubeconfig contexts',
      description:
        'List the kubeconfig contexts (clusters) the server can read, and the current one. Pass a name as `context` to the other tools.',
      inputSchema: { kubeconfig: input.kubeconfig },
      annotations: { ...READ_ONLY, openWorldHint: false },
    },
    async (args) =>
      run(() => {
        const kc = readKubeConfig(args.kubeconfig);
        const contexts = kc.getContexts().map((c) => cleanLine(c.name, 200));
        const current = cleanLine(kc.getCurrentContext() ?? '', 200) || undefined;
        return ok(
          `${contexts.length} context${contexts.length === 1 ? '' : 's'}${current ? `; current: ${current}` : ''}${contexts.length ? `\n${contexts.map((c) => `- ${c}`).join('\n')}` : ''}`,
          { contexts, ...(current ? { current } : {}) },
        );
      }),
  );

  server.registerTool(
    'explain_field',
    {
      title: 'Explain a Flux API field',
      description:
        'Explain one field of a Flux custom resource, like `kubectl explain`: type, description, default, enum, required, and its child fields. The path is Kind.field.subfield, e.g. HelmRelease.spec.install.remediation or ks.spec.postBuild.',
      inputSchema: {
        path: z.string().describe('Kind[.field…], e.g. HelmRelease.spec.chart or GitRepository.spec.secretRef'),
        context: input.context.describe(
          "explain from this cluster's own CRDs (default: the Flux release fluxdoctor pins)",
        ),
        kubeconfig: input.kubeconfig,
      },
      annotations: { ...READ_ONLY, openWorldHint: false },
    },
    async (args) =>
      run(async () => {
        let e: ReturnType<typeof explainField>;
        let api: FluxApi | undefined;
        if (args.context || args.kubeconfig) {
          try {
            api = await liveFluxApi(
              new ApiClient(loadKubeConfig({ context: args.context, kubeconfig: args.kubeconfig })),
            );
          } catch (err) {
            throw new ToolError(cleanLine(`cannot read the cluster's CRDs: ${(err as Error).message}`, 2000));
          }
        }
        try {
          e = explainField(args.path, api);
        } catch (err) {
          if (err instanceof FieldNotFoundError) throw new ToolError(cleanLine(err.message, 2000));
          throw err;
        }
        const kids = e.children.map((c) => `- ${c.name} (${c.type}${c.required ? ', required' : ''})`);
        return ok(
          `${e.path} (${e.type}${e.required ? ', required' : ''}, ${e.group}/${e.version})${e.description ? `: ${e.description}` : ''}${kids.length ? `\nfields:\n${kids.join('\n')}` : ''}`,
          e as unknown as Record<string, unknown>,
        );
      }),
  );

  server.registerTool(
    'search_docs',
    {
      title: 'Search the Flux knowledge base',
      description:
        'Search the knowledge base offline (troubleshooting workflows, best practices, common commands, the Flux API reference and every diagnosis code page), best matches first, e.g. "GitRepository authentication failed".',
      inputSchema: {
        query: z.string().describe('words to search for, e.g. "helm chart not found"'),
        limit: z.number().int().min(1).max(50).optional().describe('how many results (default 10, max 50)'),
      },
      annotations: { ...READ_ONLY, openWorldHint: false },
    },
    async (args) =>
      run(() => {
        const results = searchDocs(args.query, args.limit ?? 10);
        const lines = results.map((h) => `- ${h.title} (${h.source})`);
        return ok(
          `${results.length} result${results.length === 1 ? '' : 's'}${lines.length ? `\n${lines.join('\n')}` : ''}`,
          { results },
        );
      }),
  );

  registerKnowledge(server);
  if (opts.allowWrite) registerWriteTools(server, opts);
  return server;
}

// ---------- write tools (only with --allow-write) ----------

const writeInput = {
  target: z
    .string()
    .describe('a Flux object: KIND/NAME or KIND/NAMESPACE/NAME (ks/apps, hr/podinfo, Kustomization/flux-system/apps)'),
  namespace: z
    .string()
    .optional()
    .describe("the object's namespace (default: the one in the target, else the one namespace where the name exists)"),
  context: input.context,
  kubeconfig: input.kubeconfig,
};

interface WriteSession {
  writer: FluxWriter;
  kind: KindInfo;
  ref: ObjRef;
}

async function writeSession(
  args: { target: string; namespace?: string; context?: string; kubeconfig?: string },
  opts: McpOptions,
): Promise<WriteSession> {
  // The same parser as the CLI and the read tools (src/core/target.ts): KIND/NAME with `namespace`,
  // or KIND/NAMESPACE/NAME; without a namespace the name must exist in exactly one namespace.
  const t = parseTarget(args.target, { namespace: args.namespace, fluxOnly: true });
  const kc = loadKubeConfig(args);
  const writer = new FluxWriter(new ApiClient(kc, opts.requestTimeout ?? 15_000));
  return { writer, kind: t.kind, ref: await writer.resolve(t, args.target) };
}

async function mustGet(s: WriteSession) {
  const o = await s.writer.get(s.ref);
  if (!o)
    throw new ToolError(
      `no ${s.ref.kind} named ${cleanLine(s.ref.name, 300)}${s.ref.namespace ? ` in namespace ${cleanLine(s.ref.namespace, 100)}` : ''}`,
    );
  return o;
}

function healthResult(verb: string, ref: ObjRef, o: Parameters<typeof health>[0], extra: Record<string, unknown>) {
  const h = health(o);
  const state = {
    state: h.state,
    ...(h.reason ? { reason: cleanLine(h.reason, 100) } : {}),
    ...(h.message ? { message: cleanLine(h.message, 500) } : {}),
    ...(h.revision ? { revision: cleanLine(h.revision, 200) } : {}),
  };
  return ok(
    `${verb} ${show(ref)}: ${state.state}${state.reason ? ` (${state.reason})` : ''}${state.message ? `: ${state.message}` : ''}`,
    {
      object: {
        kind: ref.kind,
        ...(ref.namespace ? { namespace: cleanLine(ref.namespace, 100) } : {}),
        name: cleanLine(ref.name, 300),
      },
      ...state,
      ...extra,
    },
  );
}

const waitArgs = {
  wait: z.boolean().optional().describe('wait for the controller to handle the request (default true)'),
  timeoutSeconds: z.number().int().min(1).max(600).optional().describe('how long to wait (default 120)'),
};

async function waitFor(s: WriteSession, requestedAt: string, args: { wait?: boolean; timeoutSeconds?: number }) {
  if (args.wait === false) return undefined;
  const r = await waitForReconcile(s.writer, s.ref, requestedAt, { timeoutMs: (args.timeoutSeconds ?? 120) * 1000 });
  return r;
}

function registerWriteTools(server: McpServer, opts: McpOptions): void {
  const WRITE = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;
  server.registerTool(
    'reconcile',
    {
      title: 'Reconcile a Flux object (writes)',
      description:
        'Ask the controller to reconcile a Flux object now, as `flux reconcile` does (writes only the reconcile.fluxcd.io/requestedAt annotation), wait for it, and return its health.',
      inputSchema: {
        ...writeInput,
        force: z.boolean().optional().describe('HelmRelease only: force a one-off install/upgrade'),
        reset: z.boolean().optional().describe('HelmRelease only: reset the failure counters'),
        ...waitArgs,
      },
      annotations: WRITE,
    },
    async (args) =>
      run(async () => {
        if (
          (args.force || args.reset) &&
          parseTarget(args.target, { namespace: args.namespace, fluxOnly: true }).kind.kind !== 'HelmRelease'
        )
          throw new ToolError('force and reset are for HelmReleases');
        const s = await writeSession(args, opts);
        const obj = await mustGet(s);
        if (isStatic(obj)) return healthResult('nothing to reconcile for', s.ref, obj, { reconciled: false });
        if (isSuspended(obj)) throw new ToolError(`${show(s.ref)} is suspended: resume it first`);
        const requestedAt = new Date().toISOString();
        const after = await s.writer.patch(
          s.ref,
          reconcilePatch(requestedAt, { force: args.force, reset: args.reset }),
        );
        const r = await waitFor(s, requestedAt, args);
        return healthResult('reconciled', s.ref, r?.object ?? after, {
          requestedAt,
          ...(r ? { done: r.progress.done, timedOut: r.timedOut } : { waited: false }),
        });
      }),
  );
  server.registerTool(
    'suspend',
    {
      title: 'Suspend a Flux object (writes)',
      description: 'Suspend the reconciliation of a Flux object, as `flux suspend` does (sets spec.suspend: true).',
      inputSchema: writeInput,
      annotations: WRITE,
    },
    async (args) =>
      run(async () => {
        const s = await writeSession(args, opts);
        await mustGet(s);
        const after = await s.writer.patch(s.ref, suspendPatch(s.kind));
        if (!isSuspended(after)) throw new ToolError(`${show(s.ref)} is not suspended after the patch`);
        return healthResult('suspended', s.ref, after, { suspended: true });
      }),
  );
  server.registerTool(
    'resume',
    {
      title: 'Resume a Flux object (writes)',
      description:
        'Resume a suspended Flux object, as `flux resume` does (removes spec.suspend and requests a reconcile), wait for the reconcile, and return its health.',
      inputSchema: { ...writeInput, ...waitArgs },
      annotations: WRITE,
    },
    async (args) =>
      run(async () => {
        const s = await writeSession(args, opts);
        const obj = await mustGet(s);
        const requestedAt = new Date().toISOString();
        const after = await s.writer.patch(s.ref, resumePatch(s.kind, requestedAt));
        if (isSuspended(after)) throw new ToolError(`${show(s.ref)} is still suspended after the patch`);
        const r = isStatic(obj) ? undefined : await waitFor(s, requestedAt, args);
        return healthResult('resumed', s.ref, r?.object ?? after, {
          suspended: false,
          ...(r ? { done: r.progress.done, timedOut: r.timedOut } : {}),
        });
      }),
  );
}
