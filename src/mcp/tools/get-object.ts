// get_object: one object's YAML (spec and status; metadata without managedFields; Secret and
// ConfigMap values removed), so an agent can read spec.values, path, url and references.

import { z } from 'zod';
import { objectView } from '../../views/object.js';
import { defineTool, input, loadInput, namespaceArg, READ_ONLY, source, targetArg } from './common.js';

const ref = z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() });

export const getObjectTool = defineTool({
  name: 'get_object',
  title: 'Get one object as YAML',
  description:
    "One object's YAML (spec and status, no managedFields; Secret/ConfigMap values never returned, only key names in dataKeys; spec.values, postBuild.substitute and env values only with values: true).",
  input: {
    ...source,
    logs: input.logs,
    fluxNamespace: input.fluxNamespace,
    target: targetArg,
    namespace: namespaceArg,
    values: z
      .boolean()
      .optional()
      .describe('include spec.values, postBuild.substitute and env values (default: keys only)'),
  },
  output: {
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
  annotations: READ_ONLY,
  async handler(args, opts) {
    const graph = await loadInput(args, opts);
    return { data: { ...objectView(graph, args.target, args.namespace, { values: args.values === true }) } };
  },
});
