// diagnose: the findings contract of `fluxdoctor diagnose -o json`, paged and bounded. Each finding's
// affected objects and evidence are capped (with their totals); `fields: "summary"` returns one short
// line of facts per finding.

import { z } from 'zod';
import { diagnose } from '../../diagnose/engine.js';
import { filterReport } from '../../diagnose/filter.js';
import { resolveKind } from '../../kinds/table.js';
import { contractOf } from '../../render/report.js';
import { cleanLine } from '../../render/sanitize.js';
import { boundFinding } from '../../render/verb.js';
import type { Finding, Severity } from '../../types.js';
import {
  cap,
  defineTool,
  input,
  loadInput,
  MAX_INNER,
  namespaceArg,
  objectCounts,
  objRef,
  pageOf,
  pageOutput,
  paging,
  READ_ONLY,
  ToolError,
} from './common.js';

/** At most this many read problems in a result (with their total). */
const MAX_PROBLEMS = 50;

const evidence = z.object({ kind: z.string(), object: z.string(), text: z.string() });
export const finding = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  rootCause: objRef,
  affected: z.array(objRef).optional(),
  affectedTotal: z.number().int(),
  fixTarget: objRef.optional(),
  summary: z.string(),
  evidence: z.array(evidence).optional(),
  evidenceTotal: z.number().int().optional(),
  remediation: z.array(z.string()).optional(),
});
const counts = objectCounts;
/** What the arguments selected and how many objects matched (never an all-clear for an empty selection). */
const selection = z.object({
  namespace: z.string().optional(),
  kinds: z.array(z.string()).optional(),
  severity: z.enum(['error', 'warning', 'info']).optional(),
  matched: z.number().int(),
  belowSeverity: z.number().int().optional(),
});

/** The kinds of a `kind` argument (comma-separated), each checked: an unknown kind is an error, never "no findings". */
export function kindList(kind: string | undefined): string[] | undefined {
  if (kind === undefined || kind.trim() === '' || kind === 'all') return undefined;
  return kind.split(',').map((w) => {
    const k = resolveKind(w.trim());
    if (!k) throw new ToolError(`unknown kind '${cleanLine(w.trim(), 60)}' (use a kind as kubectl or flux spell it)`);
    return k.kind;
  });
}

export const diagnoseTool = defineTool({
  name: 'diagnose',
  title: 'Diagnose Flux',
  description:
    'Start here. Every failing Flux object, each root cause once: code, severity, root cause, affected objects, evidence, remediation (the `fluxdoctor diagnose -o json` contract). `fields: "summary"` for a compact list.',
  input: {
    ...input,
    namespace: namespaceArg,
    kind: z.string().optional().describe('only findings involving these kinds, comma-separated (hr,ks)'),
    severity: z.enum(['error', 'warning', 'info']).optional().describe('minimum severity'),
    fields: z.enum(['full', 'summary']).optional().describe('summary: no affected/evidence/remediation'),
    ...paging,
  },
  output: {
    findings: z.array(finding),
    objects: counts,
    selection: selection.optional(),
    counts: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
    partial: z.boolean().optional(),
    problems: z.array(z.object({ source: z.string(), line: z.number().optional(), message: z.string() })).optional(),
    problemsTotal: z.number().int().optional(),
    fields: z.enum(['full', 'summary']),
    ...pageOutput,
  },
  annotations: READ_ONLY,
  async handler(args, opts) {
    const kinds = kindList(args.kind);
    const graph = await loadInput(args, opts, { namespace: args.namespace });
    const report = filterReport(
      diagnose(graph),
      {
        namespace: args.namespace,
        kinds,
        severity: args.severity as Severity | undefined,
      },
      graph,
    );
    const doc = contractOf(report) as {
      findings: Finding[];
      objects: z.infer<typeof counts>;
      selection?: z.infer<typeof selection>;
      partial?: boolean;
      problems?: { source: string; line?: number; message: string }[];
    };
    const fields = args.fields ?? 'full';
    const all = doc.findings.map((f): z.infer<typeof finding> => boundFinding(f, MAX_INNER, fields));
    const sev = (s: string) => doc.findings.filter((f) => f.severity === s).length;
    const problems = doc.problems ? cap(doc.problems, MAX_PROBLEMS) : undefined;
    const rest = {
      objects: doc.objects,
      ...(doc.selection ? { selection: doc.selection } : {}),
      counts: { error: sev('error'), warning: sev('warning'), info: sev('info') },
      ...(doc.partial ? { partial: true } : {}),
      ...(problems ? { problems: problems.kept, ...(problems.cut ? { problemsTotal: problems.total } : {}) } : {}),
      fields,
    };
    const { items, ...p } = pageOf(all, args, opts, rest, 'findings');
    return { data: { findings: items, ...rest, ...p } };
  },
});
