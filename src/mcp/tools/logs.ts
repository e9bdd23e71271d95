// logs: the Flux controllers' log lines about one object or all (`fluxdoctor logs -o json`), paged.

import { z } from 'zod';
import { cleanLine } from '../../render/sanitize.js';
import { parseDuration, resolveTarget } from '../../views/common.js';
import { LOG_LEVELS, logLines } from '../../views/logs.js';
import { defineTool, input, loadInput, objRef, pageOf, pageOutput, paging, READ_ONLY, ToolError } from './common.js';

const line = z.object({
  ts: z.string().optional(),
  level: z.string(),
  controller: z.string(),
  object: objRef.optional(),
  msg: z.string(),
  error: z.string().optional(),
});

export const logsTool = defineTool({
  name: 'logs',
  title: 'Flux controller logs',
  description:
    "The Flux controllers' log lines about one object (or all), across controllers, oldest first. Live: the last hour of the controller pods; on a snapshot: the `logs` files.",
  input: {
    ...input,
    target: z.string().optional().describe('only lines about this object'),
    namespace: z.string().optional().describe("only this namespace; with target, the object's namespace"),
    level: z.enum(LOG_LEVELS).optional().describe('minimum level'),
    since: z.string().optional().describe('only lines newer than this before the snapshot time (10m, 2h)'),
    ...paging,
  },
  output: {
    target: objRef.optional(),
    lines: z.array(line),
    logsRead: z.number().int(),
    ...pageOutput,
  },
  annotations: READ_ONLY,
  async handler(args, opts) {
    const sinceMs = args.since === undefined ? undefined : parseDuration(args.since);
    if (args.since !== undefined && sinceMs === undefined)
      throw new ToolError(`since '${cleanLine(args.since, 50)}' is not a duration such as 30s, 10m, 2h`);
    const graph = await loadInput(args, opts);
    const target = args.target ? resolveTarget(graph, [args.target], args.namespace) : undefined;
    const rows = logLines(graph, {
      for: target,
      level: args.level,
      sinceMs,
      namespace: target ? undefined : args.namespace,
    });
    const rest = {
      ...(target ? { target } : {}),
      logsRead: graph.snapshot.logs.length,
      ...(graph.snapshot.logs.length === 0 ? { note: 'no logs were read' } : {}),
    };
    const { items, ...p } = pageOf(rows, args, opts, rest, 'lines');
    return { data: { ...rest, lines: items, ...p } };
  },
});
