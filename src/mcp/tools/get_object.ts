// The `get_object` tool: one object's YAML (spec and status; metadata without managedFields; Secret
// and ConfigMap values removed), so an agent can read spec.values, path, url, refs. Ready to
// register: the server adds its common input arguments (snapshot, context, kubeconfig...) to
// `inputSchema` and passes a loader that turns those arguments into a Graph.

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Graph } from '../../graph/graph.js';
import { objectView } from '../../views/object.js';

const ref = z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() });

export const getObjectTool = {
  name: 'get_object',
  title: 'Get one object as YAML',
  description:
    "One object's YAML as `kubectl get -o yaml` shows it, without managedFields: spec (values, path, url, refs, intervals) and status. Secret and ConfigMap values are never returned (only their key names, in dataKeys). target: KIND/NAME or KIND/NAMESPACE/NAME (ks/apps, hr/flux-system/podinfo).",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  inputSchema: {
    target: z
      .string()
      .describe('the object: KIND/NAME or KIND/NAMESPACE/NAME, kind as kubectl or flux spell it (ks/apps, hr/podinfo)'),
    namespace: z
      .string()
      .optional()
      .describe(
        "the object's namespace (default: the one in the target, else the one namespace where the name exists)",
      ),
  },
  outputSchema: {
    object: ref,
    apiVersion: z.string(),
    health: z.object({
      state: z.string(),
      reason: z.string().optional(),
      message: z.string().optional(),
      revision: z.string().optional(),
      suspended: z.boolean(),
      found: z.boolean(),
    }),
    yaml: z.string().describe('the object as YAML'),
    truncated: z.boolean().describe('true when yaml was cut (size says how long it is)'),
    size: z.number().int().describe('characters of the full YAML'),
  },
  /** `graph` loads the input named by the common arguments (the server's loader, with its cache). */
  async run(
    args: { target: string; namespace?: string },
    graph: () => Promise<Graph> | Graph,
  ): Promise<CallToolResult> {
    const v = objectView(await graph(), args.target, args.namespace);
    const id = v.object.namespace
      ? `${v.object.kind}/${v.object.namespace}/${v.object.name}`
      : `${v.object.kind}/${v.object.name}`;
    // The text block carries the whole result (clients that pass only `content` to the model).
    const text = `${id} (${v.apiVersion}): ${v.health.state}${v.truncated ? ` — YAML cut, ${v.size} characters in full` : ''}\n\n${v.yaml}`;
    return { content: [{ type: 'text', text }], structuredContent: { ...v } };
  },
};
