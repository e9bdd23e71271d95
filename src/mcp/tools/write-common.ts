// What the write tools (reconcile, suspend, resume; only with --allow-write) share: the target, the
// writer session, the health result after the write, waiting for the controller.

import { z } from 'zod';
import { clearReadCache } from '../../core/cache.js';
import { parseTarget } from '../../core/target.js';
import { health } from '../../kinds/status.js';
import type { KindInfo } from '../../kinds/table.js';
import { FluxWriter, waitForReconcile } from '../../live/write.js';
import { ApiClient, loadKubeConfig } from '../../read/live.js';
import { cleanLine } from '../../render/sanitize.js';
import type { ObjRef } from '../../types.js';
import { input, type McpOptions, objRef, show, ToolError, type ToolResult } from './common.js';

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
};

export const waitArgs = {
  wait: z.boolean().optional().describe('wait for the controller (default true)'),
  timeoutSeconds: z.number().int().min(1).max(600).optional().describe('how long to wait (default 120)'),
};

/** The result of every write tool: the object and its health after the write. */
export const writeOutput = {
  object: objRef,
  state: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  revision: z.string().optional(),
  summary: z.string(),
  reconciled: z.boolean().optional(),
  requestedAt: z.string().optional(),
  done: z.boolean().optional(),
  timedOut: z.boolean().optional(),
  waited: z.boolean().optional(),
  suspended: z.boolean().optional(),
};
export type WriteResult = z.infer<z.ZodObject<typeof writeOutput>>;

export interface WriteSession {
  writer: FluxWriter;
  kind: KindInfo;
  ref: ObjRef;
}

export async function writeSession(
  args: { target: string; namespace?: string; context?: string; kubeconfig?: string },
  opts: McpOptions,
): Promise<WriteSession> {
  // The same parser as the CLI and the read tools (src/core/target.ts): KIND/NAME with `namespace`,
  // or KIND/NAMESPACE/NAME; without a namespace the name must exist in exactly one namespace.
  const t = parseTarget(args.target, { namespace: args.namespace, fluxOnly: true });
  const kc = loadKubeConfig(args);
  const writer = new FluxWriter(new ApiClient(kc, opts.requestTimeout ?? 15_000));
  // A write changes the cluster: no later call may answer from a read taken before it.
  clearReadCache();
  return { writer, kind: t.kind, ref: await writer.resolve(t, args.target) };
}

export async function mustGet(s: WriteSession) {
  const o = await s.writer.get(s.ref);
  if (!o)
    throw new ToolError(
      `no ${s.ref.kind} named ${cleanLine(s.ref.name, 300)}${s.ref.namespace ? ` in namespace ${cleanLine(s.ref.namespace, 100)}` : ''}`,
    );
  return o;
}

export function healthResult(
  verb: string,
  ref: ObjRef,
  o: Parameters<typeof health>[0],
  extra: Partial<WriteResult>,
): ToolResult<WriteResult> {
  const h = health(o);
  const state = {
    state: h.state,
    ...(h.reason ? { reason: cleanLine(h.reason, 100) } : {}),
    ...(h.message ? { message: cleanLine(h.message, 500) } : {}),
    ...(h.revision ? { revision: cleanLine(h.revision, 200) } : {}),
  };
  const summary = `${verb} ${show(ref)}: ${state.state}${state.reason ? ` (${state.reason})` : ''}${state.message ? `: ${state.message}` : ''}`;
  return {
    data: {
      object: {
        kind: ref.kind,
        ...(ref.namespace ? { namespace: cleanLine(ref.namespace, 100) } : {}),
        name: cleanLine(ref.name, 300),
      },
      ...state,
      summary,
      ...extra,
    },
  };
}

export async function waitFor(s: WriteSession, requestedAt: string, args: { wait?: boolean; timeoutSeconds?: number }) {
  if (args.wait === false) return undefined;
  return waitForReconcile(s.writer, s.ref, requestedAt, { timeoutMs: (args.timeoutSeconds ?? 120) * 1000 });
}
