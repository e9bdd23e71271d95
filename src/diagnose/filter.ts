// Filters applied after diagnosis: the root-cause walk always sees the whole snapshot, and the
// filters only choose which findings to show.

import { resolveKind } from '../kinds/table.js';
import type { ObjRef, Severity } from '../types.js';
import type { Report } from './engine.js';

export interface ReportFilter {
  namespace?: string;
  kinds?: string[];
  severity?: Severity;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function filterReport(report: Report, f: ReportFilter): Report {
  const kinds = f.kinds?.map((k) => resolveKind(k)?.kind ?? k);
  const involved = (x: Report['findings'][number]): ObjRef[] => [
    x.rootCause,
    ...x.affected,
    ...(x.fixTarget ? [x.fixTarget] : []),
  ];
  const findings = report.findings.filter((x) => {
    if (f.severity && RANK[x.severity] > RANK[f.severity]) return false;
    if (f.namespace && !involved(x).some((r) => r.namespace === f.namespace)) return false;
    if (kinds && !involved(x).some((r) => kinds.includes(r.kind))) return false;
    return true;
  });
  return { ...report, findings };
}
