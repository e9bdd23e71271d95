// events: Kubernetes events of Flux objects and what they manage, grouped by object (`fluxdoctor
// events -o json`), paged by group; each group's events capped (with their total).

import { z } from 'zod';
import { resolveTarget } from '../../views/common.js';
import { eventGroups } from '../../views/events.js';
import {
  cap,
  defineTool,
  input,
  loadInput,
  MAX_INNER,
  objRef,
  pageOf,
  pageOutput,
  paging,
  READ_ONLY,
  source,
} from './common.js';

const event = z.object({
  type: z.string(),
  reason: z.string(),
  object: objRef,
  count: z.number(),
  message: z.string(),
  lastSeen: z.string().optional(),
  age: z.number().optional(),
  source: z.string().optional(),
  names: z.array(z.string()).describe('the Event objects this row merges'),
});
const group = z.object({
  object: objRef,
  warnings: z.number().int(),
  events: z.array(event),
  eventsTotal: z.number().int().optional(),
});

export const eventsTool = defineTool({
  name: 'events',
  title: 'Kubernetes events',
  description:
    'Events of Flux objects and of what they manage (workloads, ReplicaSets, Pods), grouped by object, warnings first, newest first. `target` narrows to one object and what it applied.',
  input: {
    ...source,
    now: input.now,
    target: z.string().optional().describe('only this object and what it applied'),
    namespace: z.string().optional().describe("only this namespace; with target, the object's namespace"),
    warningsOnly: z.boolean().optional().describe('only Warning events'),
    ...paging,
  },
  output: {
    target: objRef.optional(),
    groups: z.array(group),
    events: z.number().int(),
    warnings: z.number().int(),
    ...pageOutput,
  },
  annotations: READ_ONLY,
  async handler(args, opts) {
    const graph = await loadInput(args, opts);
    const target = args.target ? resolveTarget(graph, [args.target], args.namespace) : undefined;
    const all = eventGroups(graph, {
      for: target,
      namespace: target ? undefined : args.namespace,
      warningsOnly: args.warningsOnly,
    }).map((g) => {
      const c = cap(g.events, MAX_INNER);
      return { ...g, events: c.kept, ...(c.cut ? { eventsTotal: c.total } : {}) };
    });
    const events = all.reduce((s, g) => s + (g.eventsTotal ?? g.events.length), 0);
    const warnings = all.reduce((s, g) => s + g.warnings, 0);
    const rest = { ...(target ? { target } : {}), events, warnings };
    const { items, ...p } = pageOf(all, args, opts, rest, 'groups');
    return { data: { ...rest, groups: items, ...p } };
  },
});
