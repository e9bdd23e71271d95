// Renders a diagnosis Report: text (terminal), JSON/YAML (the findings contract), Markdown (tickets).

import { dump } from 'js-yaml';
import type { Diagnosis, ObjectCounts, Report } from '../diagnose/engine.js';
import { describeSelection } from '../diagnose/filter.js';
import type { Finding, ObjRef } from '../types.js';
import { refKey } from '../types.js';
import { isCommandStep } from './advice.js';
import { type Colors, colors } from './color.js';
import { cleanLine, mdCode, mdFence, mdText } from './sanitize.js';

const show = (r: ObjRef) => (r.namespace ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`);

/** The JSON contract of diagnosis-codes.md: exactly these keys per finding. */
export function contractOf(report: Report): Record<string, unknown> {
  const findings: Finding[] = report.findings.map((f) => {
    const out: Finding = {
      code: f.code,
      severity: f.severity,
      rootCause: f.rootCause,
      affected: f.affected,
      summary: f.summary,
      evidence: f.evidence,
      remediation: f.remediation,
    };
    if (f.fixTarget) out.fixTarget = f.fixTarget;
    // Keep the documented key order.
    return {
      code: out.code,
      severity: out.severity,
      rootCause: out.rootCause,
      affected: out.affected,
      ...(out.fixTarget ? { fixTarget: out.fixTarget } : {}),
      summary: out.summary,
      evidence: out.evidence,
      remediation: out.remediation,
    };
  });
  const doc: Record<string, unknown> = { findings, objects: report.objects };
  if (report.selection) doc.selection = report.selection;
  if (report.partial) {
    doc.partial = true;
    doc.problems = report.problems
      .filter((p) => p.partial)
      .map((p) => ({
        source: cleanLine(p.source, 500),
        ...(p.line ? { line: p.line } : {}),
        message: cleanLine(p.message, 1000),
      }));
  }
  return doc;
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(contractOf(report), null, 2)}\n`;
}

export function renderYaml(report: Report): string {
  return dump(contractOf(report), { lineWidth: -1, noRefs: true });
}

// ---------- text ----------

const STATE_COLOR: Record<string, Exclude<keyof Colors, 'enabled'>> = {
  Failed: 'red',
  Waiting: 'yellow',
  Progressing: 'cyan',
  Suspended: 'yellow',
  Unknown: 'gray',
  Ready: 'green',
};

function sevLabel(c: Colors, sev: string): string {
  if (sev === 'error') return c.red(c.bold('✗ ERROR'));
  if (sev === 'warning') return c.yellow(c.bold('! WARNING'));
  return c.blue(c.bold('i INFO'));
}

const REVERSE_LABEL: Record<string, string> = {
  dependsOn: 'dependency of',
  source: 'source of',
  chart: 'chart of',
  applies: 'applied by',
  'health-checks': 'health-checked by',
  includes: 'included by',
  'reconciled by': 'controller of',
  imageRepositoryRef: 'image repository of',
  providerRef: 'provider of',
};

export interface ImpactLine {
  depth: number;
  /** How this object relates to its parent line (`dependency of`, `applied by`…); absent for the root. */
  rel?: string;
  ref: ObjRef;
  state: string;
  last: boolean;
}

/**
 * The impact tree of a finding: the root cause at the top, then what it breaks, hop by hop.
 * Built by merging every affected object's chain (symptom → … → root), reversed.
 */
export function impactTree(f: Diagnosis, maxLines = 30): ImpactLine[] {
  interface Node {
    ref: ObjRef;
    state: string;
    rel?: string;
    children: Map<string, Node>;
  }
  const key = refKey;
  const root: Node = { ref: f.rootCause, state: '', children: new Map() };
  const placed = new Set<string>();
  const chains = [...f.chains].sort((a, b) => b.length - a.length);
  for (const chain of chains) {
    const rev = [...chain].reverse(); // root … symptom
    if (rev.length === 0) continue;
    let node = root;
    if (!root.state) root.state = rev[0]!.state;
    for (let i = 1; i < rev.length; i++) {
      const hop = rev[i]!;
      const k = key(hop.ref);
      let child = node.children.get(k);
      if (!child) {
        if (placed.has(k)) break; // already shown elsewhere in the tree
        child = { ref: hop.ref, state: hop.state, rel: REVERSE_LABEL[hop.via ?? ''] ?? hop.via, children: new Map() };
        node.children.set(k, child);
        placed.add(k);
      }
      node = child;
    }
  }
  const lines: ImpactLine[] = [];
  const walk = (n: Node, depth: number, last: boolean) => {
    if (lines.length >= maxLines) return;
    lines.push({ depth, rel: n.rel, ref: n.ref, state: n.state || 'Failed', last });
    const kids = [...n.children.values()];
    kids.forEach((c, i) => {
      walk(c, depth + 1, i === kids.length - 1);
    });
  };
  walk(root, 0, true);
  return lines;
}

/** Draw the impact tree with box-drawing prefixes. */
function drawTree(lines: ImpactLine[], fmt: (l: ImpactLine) => string): string[] {
  const out: string[] = [];
  const open: boolean[] = [];
  for (const l of lines) {
    open.length = l.depth;
    let prefix = '';
    for (let d = 1; d < l.depth; d++) prefix += open[d] ? '│  ' : '   ';
    if (l.depth > 0) prefix += l.last ? '└─ ' : '├─ ';
    open[l.depth] = !l.last;
    out.push(prefix + fmt(l));
  }
  return out;
}

export interface TextOptions {
  color: boolean;
  /** Show every evidence item and remediation step (default: bounded). */
  verbose?: boolean;
}

/** "8 Flux objects: 2 ready, 4 failing, 1 suspended, 1 waiting" (states with no object left out, except the first three). */
export function countsLine(o: ObjectCounts, what = 'Flux objects'): string {
  const extra = (['waiting', 'progressing', 'unknown'] as const)
    .filter((k) => (o[k] ?? 0) > 0)
    .map((k) => `, ${o[k]} ${k}`)
    .join('');
  return `${o.total} ${what}: ${o.ready} ready, ${o.failing} failing, ${o.suspended} suspended${extra}`;
}

/**
 * The verdict when there is no finding to show. Never an all-clear for an empty selection, for
 * objects that are failing anyway, or when --severity hid findings.
 */
export function emptyVerdict(report: Report): { clear: boolean; text: string } {
  const o = report.objects;
  const what = describeSelection(report.selection ?? {});
  if (o.total === 0) return { clear: false, text: `No ${what}: nothing was diagnosed` };
  const counts = countsLine(o, what);
  if (o.failing > 0) return { clear: false, text: `No finding reported, but ${o.failing} failing — ${counts}` };
  const below = report.selection?.belowSeverity ?? 0;
  if (below > 0)
    return {
      clear: false,
      text: `No ${report.selection?.severity} findings (${below} below --severity ${report.selection?.severity} not shown) — ${counts}`,
    };
  // A partial read is never an all-clear: what could not be read may be what fails.
  if (report.partial) return { clear: false, text: `No problems found in what could be read — ${counts}` };
  return { clear: true, text: `No problems found — ${counts}` };
}

export function renderText(report: Report, opts: TextOptions): string {
  const c = colors(opts.color);
  const lines: string[] = [];
  const o = report.objects;
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const infos = report.findings.length - errors - warnings;
  const counts = countsLine(o, describeSelection(report.selection ?? {}));
  if (report.findings.length === 0) {
    const v = emptyVerdict(report);
    lines.push(v.clear ? `${c.green(c.bold('✓ No problems found'))} — ${counts}` : c.yellow(v.text));
  } else {
    const parts = [
      errors ? c.red(`${errors} error${errors > 1 ? 's' : ''}`) : '',
      warnings ? c.yellow(`${warnings} warning${warnings > 1 ? 's' : ''}`) : '',
      infos ? c.blue(`${infos} info`) : '',
    ].filter(Boolean);
    lines.push(`${c.bold('fluxdoctor')}: ${parts.join(', ')} — ${counts}`);
  }
  if (report.partial) {
    lines.push('');
    lines.push(c.yellow(c.bold('⚠ Partial report: some input could not be read')));
    for (const p of report.problems.filter((x) => x.partial).slice(0, 10)) {
      lines.push(
        c.yellow(`  - ${cleanLine(p.source, 200)}${p.line ? `:${p.line}` : ''}: ${cleanLine(p.message, 300)}`),
      );
    }
    const more = report.problems.filter((x) => x.partial).length - 10;
    if (more > 0) lines.push(c.yellow(`  … and ${more} more`));
  }
  report.findings.forEach((f, i) => {
    lines.push('');
    lines.push(`${sevLabel(c, f.severity)} ${c.bold(f.code)} ${c.dim(`— ${f.title}`)}`);
    lines.push(`  ${c.bold('Root cause:')} ${show(f.rootCause)}`);
    lines.push(`  ${cleanLine(f.summary, 1000)}`);
    if (f.fixTarget) lines.push(`  ${c.bold('Fix target:')} ${show(f.fixTarget)}`);
    const tree = impactTree(f);
    if (tree.length > 1) {
      lines.push(`  ${c.bold('Impact:')}`);
      for (const l of drawTree(tree, (x) => {
        const st = c[STATE_COLOR[x.state] ?? 'gray'](`(${x.state})`);
        return `${x.rel ? c.dim(`${x.rel} `) : ''}${show(x.ref)} ${st}${x.depth === 0 ? c.red('  ← root cause') : ''}`;
      }))
        lines.push(`    ${l}`);
    }
    if (f.affected.length > 0) {
      const shown = f.affected.slice(0, opts.verbose ? f.affected.length : 8).map(show);
      const more = f.affected.length - shown.length;
      lines.push(
        `  ${c.bold(`Affected (${f.affected.length}):`)} ${shown.join(', ')}${more > 0 ? `, … ${more} more` : ''}`,
      );
    }
    const ev = opts.verbose ? f.evidence : f.evidence.slice(0, 4);
    if (ev.length > 0) {
      lines.push(`  ${c.bold('Evidence:')}`);
      for (const e of ev)
        lines.push(`    • ${c.dim(`[${e.kind}] ${e.object}:`)} ${cleanLine(e.text, opts.verbose ? 2000 : 400)}`);
      if (ev.length < f.evidence.length) lines.push(c.dim(`    … ${f.evidence.length - ev.length} more (use -v)`));
    }
    if (f.remediation.length > 0) {
      lines.push(`  ${c.bold('Fix:')}`);
      f.remediation.forEach((r, k) => {
        lines.push(`    ${k + 1}. ${cleanLine(r, opts.verbose ? 4000 : 2000)}`);
      });
    }
    lines.push(c.dim(`  More: fluxdoctor explain ${f.code}`));
    if (i === report.findings.length - 1) lines.push('');
  });
  const notes = report.problems.filter((x) => !x.partial);
  for (const p of notes.slice(0, 5))
    lines.push(c.dim(`note: ${cleanLine(p.source, 200)}${p.line ? `:${p.line}` : ''}: ${cleanLine(p.message, 300)}`));
  if (notes.length > 5) lines.push(c.dim(`note: … and ${notes.length - 5} more`));
  const unknown = Object.values(report.unknownKinds).reduce((a, b) => a + b, 0);
  if (unknown > 0) lines.push(c.dim(`(${unknown} objects of kinds fluxdoctor does not use were skipped)`));
  return `${lines.join('\n')}\n`;
}

// ---------- Markdown ----------

export function renderMarkdown(report: Report): string {
  const md: string[] = [];
  const o = report.objects;
  md.push('# fluxdoctor diagnosis');
  md.push('');
  const verdict =
    report.findings.length === 0
      ? `${emptyVerdict(report).text.split(' — ')[0]!}.`
      : `${report.findings.length} finding(s).`;
  md.push(mdText(`${verdict} ${countsLine(o, describeSelection(report.selection ?? {}))}.`, { block: true }));
  if (report.partial) {
    md.push('');
    md.push('> **Partial report**: some input could not be read.');
    for (const p of report.problems.filter((x) => x.partial).slice(0, 20))
      md.push(
        `> - ${mdCode(`${cleanLine(p.source, 200)}${p.line ? `:${p.line}` : ''}`)}: ${mdText(p.message, { max: 300 })}`,
      );
  }
  if (report.findings.length > 0) {
    md.push('');
    md.push('| severity | code | root cause | affected |');
    md.push('|---|---|---|---|');
    for (const f of report.findings)
      md.push(
        `| ${f.severity} | ${mdCode(f.code)} | ${mdText(show(f.rootCause), { cell: true })} | ${f.affected.length} |`,
      );
  }
  for (const f of report.findings) {
    md.push('');
    md.push(`## ${f.severity.toUpperCase()} ${mdCode(f.code)}: ${mdText(show(f.rootCause))}`);
    md.push('');
    md.push(mdText(f.summary, { block: true, max: 1000 }));
    if (f.fixTarget) {
      md.push('');
      md.push(`**Fix target:** ${mdText(show(f.fixTarget))}`);
    }
    const tree = impactTree(f);
    if (tree.length > 1) {
      md.push('');
      md.push('**Impact:**');
      md.push('');
      md.push(
        ...mdFence(
          drawTree(
            tree,
            (x) => `${x.rel ? `${x.rel} ` : ''}${show(x.ref)} (${x.state})${x.depth === 0 ? '  <- root cause' : ''}`,
          ),
        ),
      );
    }
    if (f.affected.length > 0) {
      md.push('');
      md.push(`**Affected (${f.affected.length}):** ${f.affected.map((a) => mdText(show(a))).join(', ')}`);
    }
    if (f.evidence.length > 0) {
      md.push('');
      md.push('**Evidence:**');
      md.push('');
      // The controller's own words, verbatim: a code span shows them as they are, wherever pasted.
      for (const e of f.evidence)
        md.push(`- ${mdText(e.kind)} ${mdCode(e.object)}: ${mdCode(cleanLine(e.text, 1000)) || '(empty)'}`);
    }
    if (f.remediation.length > 0) {
      md.push('');
      md.push('**Fix:**');
      md.push('');
      // A command step is a code span (copied as it is); a prose step stays prose.
      f.remediation.forEach((r, k) => {
        const step = cleanLine(r, 2000);
        md.push(`${k + 1}. ${isCommandStep(step) ? mdCode(step) : mdText(step, { block: true })}`);
      });
    }
  }
  return `${md.join('\n')}\n`;
}
