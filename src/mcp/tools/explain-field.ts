// explain_field: one field of a Flux custom resource, like `kubectl explain` (`fluxdoctor explain FIELD -o json`).

import { z } from 'zod';
import { explainField, FieldNotFoundError } from '../../kb/explain-field.js';
import type { FluxApi } from '../../kb/flux-api.js';
import { liveFluxApi } from '../../kb/live.js';
import { ApiClient, loadKubeConfig } from '../../read/live.js';
import { cleanLine } from '../../render/sanitize.js';
import { defineTool, input, OFFLINE, ToolError } from './common.js';

export const explainFieldTool = defineTool({
  name: 'explain_field',
  title: 'Explain a Flux API field',
  description:
    'One field of a Flux custom resource, like `kubectl explain`: type, description, default, enum, required, child fields. Path Kind.field.subfield, e.g. HelmRelease.spec.install.remediation, ks.spec.postBuild.',
  input: {
    path: z.string().describe('Kind[.field…]'),
    context: input.context.describe("explain from this cluster's CRDs (default: the pinned Flux release)"),
    kubeconfig: input.kubeconfig,
  },
  output: {
    kind: z.string(),
    group: z.string(),
    version: z.string(),
    path: z.string(),
    type: z.string(),
    description: z.string().optional(),
    default: z.unknown().optional(),
    enum: z.array(z.unknown()).optional(),
    required: z.boolean(),
    children: z.array(
      z.object({ name: z.string(), type: z.string(), required: z.boolean(), description: z.string().optional() }),
    ),
    truncated: z.boolean(),
    source: z.string(),
  },
  annotations: OFFLINE,
  async handler(args) {
    let api: FluxApi | undefined;
    if (args.context || args.kubeconfig) {
      try {
        api = await liveFluxApi(new ApiClient(loadKubeConfig({ context: args.context, kubeconfig: args.kubeconfig })));
      } catch (err) {
        throw new ToolError(cleanLine(`cannot read the cluster's CRDs: ${(err as Error).message}`, 2000));
      }
    }
    try {
      const e = explainField(args.path, api);
      return { data: { ...e } };
    } catch (err) {
      if (err instanceof FieldNotFoundError) throw new ToolError(cleanLine(err.message, 2000));
      throw err;
    }
  },
});
