// list_contexts: the kubeconfig contexts the server can read, and the current one.

import { z } from 'zod';
import { loadKubeConfig } from '../../read/live.js';
import { cleanLine } from '../../render/sanitize.js';
import { defineTool, input, OFFLINE } from './common.js';

export const listContextsTool = defineTool({
  name: 'list_contexts',
  title: 'List kubeconfig contexts',
  description:
    'The kubeconfig contexts (clusters) the server can read, and the current one. Pass a name as `context` to the other tools.',
  input: { kubeconfig: input.kubeconfig },
  output: { contexts: z.array(z.string()), current: z.string().optional() },
  annotations: OFFLINE,
  handler(args) {
    // loadKubeConfig says "no kubeconfig found" as every other tool does when there is none.
    const kc = loadKubeConfig({ kubeconfig: args.kubeconfig });
    const contexts = kc.getContexts().map((c) => cleanLine(c.name, 200));
    const current = cleanLine(kc.getCurrentContext() ?? '', 200) || undefined;
    return { data: { contexts, ...(current ? { current } : {}) } };
  },
});
