// What the write tools (reconcile, suspend, resume; only with --allow-write) share: their arguments,
// the output schema, and one call of the core verb (src/core/verbs.ts, the same function the CLI's
// reconcile/suspend/resume commands call), returned as the verb's structured result (src/render/verb.ts)
// bounded like diagnose: each finding's affected objects and evidence capped, findings cut to the
// byte budget. When the client sends a progress token, what the verb does along the way (each
// request, each poll while waiting, the read after the write) goes out as `notifications/progress`.

import { z } from 'zod';
import { clearReadCache } from '../../core/cache.js';
import { type Verb, type VerbOptions, type VerbProgress, verbs } from '../../core/verbs.js';
import { type VerbDoc, verbDoc } from '../../render/verb.js';
import type { ObjRef } from '../../types.js';
import {
  BUDGET_BYTES,
  input,
  MAX_INNER,
  type McpOptions,
  objRef,
  type ToolContext,
  type ToolResult,
} from './common.js';
import { finding } from './diagnose.js';

export const WRITE = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
} as const;

export const writeInput = {
  target: z.string().describe('a Flux object: KIND/NAME or KIND/NAMESPACE/NAME'),
  namespace: z.string().optional().describe("the object's namespace"),
  context: input.context,
  kubeconfig: input.kubeconfig,
  fluxNamespace: input.fluxNamespace,
};

export const timeoutArg = {
  timeoutSeconds: z.number().int().min(1).max(600).optional().describe('how long to wait (default 120)'),
};

export const waitArgs = {
  wait: z.boolean().optional().describe('wait for the controller (default true)'),
  ...timeoutArg,
};

/** The result of every write tool: what was patched, the outcome, and the fresh health and findings. */
export const writeOutput = {
  verb: z.enum(['reconcile', 'suspend', 'resume']),
  object: objRef,
  outcome: z.enum(['reconciled', 'suspended', 'not-suspended', 'resumed', 'nothing-to-do', 'source-not-ready']),
  ok: z.boolean(),
  reported: objRef,
  steps: z.array(
    z.object({
      object: objRef,
      patch: z.record(z.unknown()),
      requestedAt: z.string().optional(),
      handled: z.boolean().optional(),
      ready: z.boolean().optional(),
    }),
  ),
  health: z
    .object({
      state: z.string(),
      reason: z.string().optional(),
      message: z.string().optional(),
      revision: z.string().optional(),
      stalled: z.boolean(),
      suspended: z.boolean(),
    })
    .optional(),
  findings: z.array(finding).optional(),
  findingsTotal: z.number().int().optional(),
  truncated: z.boolean().optional(),
  note: z.string().optional(),
  summary: z.string(),
};
export type WriteResult = z.infer<z.ZodObject<typeof writeOutput>>;

export interface WriteArgs {
  target: string;
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  fluxNamespace?: string;
  timeoutSeconds?: number;
}

const name = (r: ObjRef) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** One progress event of a core verb as the message of a progress notification (the CLI's stderr lines). */
export function progressMessage(e: VerbProgress): string {
  switch (e.type) {
    case 'requested':
      return `reconcile requested: ${name(e.ref)} (reconcile.fluxcd.io/requestedAt=${e.requestedAt})`;
    case 'static':
      return `${name(e.ref)}: reconciliation not supported by the object (it has no reconciler)`;
    case 'resumed':
      return `resumed ${name(e.ref)}`;
    case 'waiting':
      return `${name(e.ref)}: ${e.phase}`;
    case 'waited':
      return `${name(e.ref)}: done waiting`;
    case 'source-not-ready':
      return `the source ${name(e.source)} did not become ready; ${name(e.target)} was not reconciled`;
    case 'reading':
      return 'reading the cluster for findings';
    case 'read':
      return 'read the cluster';
  }
}

/** Run one core verb with a tool's arguments; the result bounded for an agent. */
export async function runVerb(
  verb: Verb,
  args: WriteArgs,
  opts: McpOptions,
  extra: Partial<VerbOptions> = {},
  ctx: ToolContext = {},
): Promise<ToolResult<WriteResult>> {
  const progress = ctx.progress;
  try {
    const r = await verbs[verb](args.target, {
      namespace: args.namespace,
      context: args.context,
      kubeconfig: args.kubeconfig,
      fluxNamespace: args.fluxNamespace ?? opts.fluxNamespace,
      requestTimeout: opts.requestTimeout,
      ...(args.timeoutSeconds ? { timeout: args.timeoutSeconds * 1000 } : {}),
      ...extra,
      ...(progress ? { onProgress: (e: VerbProgress) => progress(progressMessage(e)) } : {}),
    });
    const doc: VerbDoc = verbDoc(r, { max: MAX_INNER, budgetBytes: opts.budgetBytes ?? BUDGET_BYTES });
    return { data: doc as WriteResult };
  } finally {
    // A write changes the cluster (even one that failed half-way): no later call may answer from a
    // read taken before it.
    clearReadCache();
  }
}
