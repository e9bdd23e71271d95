// Filters applied after diagnosis: the root-cause walk always sees the whole snapshot, and the
// filters only choose which findings to show.

import type { Graph } from '../graph/graph.js';
import { resolveKind } from '../kinds/table.js';
import type { K8sObject, ObjRef, Severity } from '../types.js';
import { countObjects, type Report, type Selection } from './engine.js';

export interface ReportFilter {
  namespace?: string;
  kinds?: string[];
  severity?: Severity;
  /** `-l, --selector`: only findings that involve an object whose labels match; `text` names it. */
  labels?: { text: string; match: (o: K8sObject) => boolean };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Keep the findings that involve the selection. With the graph, `objects` counts only the selected
 * objects and `selection` says what was selected and how many objects it matched, so an empty
 * selection is never mistaken for a healthy one.
 */
export function filterReport(report: Report, f: ReportFilter, graph?: Graph): Report {
  const kinds = f.kinds?.length ? [...new Set(f.kinds.map((k) => resolveKind(k)?.kind ?? k))] : undefined;
  const involved = (x: Report['findings'][number]): ObjRef[] => [
    x.rootCause,
    ...x.affected,
    ...(x.fixTarget ? [x.fixTarget] : []),
  ];
  const labelled = (r: ObjRef): boolean => {
    const o = graph?.get(r);
    return o !== undefined && f.labels?.match(o) === true;
  };
  let belowSeverity = 0;
  const findings = report.findings.filter((x) => {
    if (f.namespace && !involved(x).some((r) => r.namespace === f.namespace)) return false;
    if (kinds && !involved(x).some((r) => kinds.includes(r.kind))) return false;
    if (f.labels && !involved(x).some((r) => labelled(r))) return false;
    if (f.severity && RANK[x.severity] > RANK[f.severity]) {
      belowSeverity++;
      return false;
    }
    return true;
  });
  if (!graph) return { ...report, findings };
  const objects = countObjects(graph, { namespace: f.namespace, kinds, match: f.labels?.match });
  const selection: Selection = {
    ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
    ...(kinds ? { kinds } : {}),
    ...(f.labels ? { labelSelector: f.labels.text } : {}),
    ...(f.severity ? { severity: f.severity, belowSeverity } : {}),
    matched: objects.total,
  };
  return { ...report, findings, objects, selection };
}

/** "Flux objects", "Kustomization objects in namespace apps", "HelmRelease or Kustomization objects". */
export function describeSelection(s: Pick<Selection, 'namespace' | 'kinds' | 'labelSelector'>): string {
  const kinds = s.kinds?.length ? `${s.kinds.join(' or ')} objects` : 'Flux objects';
  const what = s.labelSelector !== undefined ? `${kinds} matching ${s.labelSelector}` : kinds;
  return s.namespace !== undefined ? `${what} in namespace ${s.namespace}` : what;
}
