// The whole pipeline, every front-end output of it, from snapshot text: read → Graph → diagnose →
// every report renderer, and every view with its renderers. Used by the fuzz suite and the shape
// corpus: whatever the input, this must return (never throw) the same outputs every time.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { renderCheckText } from '../src/cli/commands/check.js';
import { renderEventsTable } from '../src/cli/commands/events.js';
import { renderGetTable } from '../src/cli/commands/get.js';
import { renderLogLines } from '../src/cli/commands/logs.js';
import { renderStatsTable } from '../src/cli/commands/stats.js';
import { renderTraceText } from '../src/cli/commands/trace.js';
import { renderTreeText } from '../src/cli/commands/tree.js';
import { diagnose } from '../src/diagnose/engine.js';
import { filterReport } from '../src/diagnose/filter.js';
import { Graph } from '../src/graph/graph.js';
import { isFluxKind } from '../src/kinds/table.js';
import { SnapshotBuilder } from '../src/read/snapshot.js';
import { snapshotToYaml } from '../src/read/write.js';
import { renderJson, renderMarkdown, renderText, renderYaml } from '../src/render/report.js';
import { toJson, toYaml } from '../src/render/views.js';
import { objRef } from '../src/types.js';
import { checkView } from '../src/views/check.js';
import { ViewError } from '../src/views/common.js';
import { eventGroups } from '../src/views/events.js';
import { getRows } from '../src/views/get.js';
import { logLines } from '../src/views/logs.js';
import { stats } from '../src/views/stats.js';
import { trace } from '../src/views/trace.js';
import { tree } from '../src/views/tree.js';

export interface PipelineInput {
  /** Snapshot files: name → text. */
  files: [string, string][];
  /** Controller log text (JSON lines). */
  logs?: string;
}

/** Output name → rendered text. */
export type Outputs = Record<string, string>;

/** Objects traced and treed per run (each view runs on the first few Flux objects and a Pod). */
const VIEW_TARGETS = 4;

/** A view may refuse its target (not in the snapshot): that is its answer, not a crash. */
function view(out: Outputs, name: string, fn: () => string): void {
  try {
    out[name] = fn();
  } catch (e) {
    if (!(e instanceof ViewError)) throw e;
    out[name] = `ViewError: ${e.message}`;
  }
}

export function runPipeline(input: PipelineInput): Outputs {
  const b = new SnapshotBuilder();
  for (const [name, text] of input.files) b.addText(text, name);
  if (input.logs !== undefined) b.addLogText(input.logs, 'controller.log');
  const snap = b.build();
  const graph = new Graph(snap);
  const report = diagnose(graph);
  const out: Outputs = {};
  out['diagnose text'] = renderText(report, { color: false });
  out['diagnose text colour'] = renderText(report, { color: true });
  out['diagnose text verbose'] = renderText(report, { color: false, verbose: true });
  out['diagnose json'] = renderJson(report);
  out['diagnose yaml'] = renderYaml(report);
  out['diagnose markdown'] = renderMarkdown(report);
  out['diagnose errors-only json'] = renderJson(filterReport(report, { severity: 'error' }));

  const rows = getRows(graph);
  out['get table'] = renderGetTable(rows, false);
  out['get table colour'] = renderGetTable(rows, true);
  out['get json'] = toJson(rows);
  out['get yaml'] = toYaml(rows);
  const st = stats(graph);
  out['stats table'] = renderStatsTable(st, false);
  out['stats json'] = toJson(st);
  const ev = eventGroups(graph);
  out['events table'] = renderEventsTable(ev, false);
  out['events table colour'] = renderEventsTable(ev, true);
  out['events json'] = toJson(ev);
  const logs = logLines(graph);
  out['logs text'] = renderLogLines(logs, false);
  out['logs text colour'] = renderLogLines(logs, true);
  out['logs json'] = toJson(logs);
  const check = checkView(graph, { live: false });
  out['check text'] = renderCheckText(check, false);
  out['check text colour'] = renderCheckText(check, true);
  out['check json'] = toJson(check);

  const targets = [
    ...graph
      .all()
      .filter((o) => isFluxKind(o.kind))
      .slice(0, VIEW_TARGETS),
    ...graph.byKind('Pod').slice(0, 1),
  ].map(objRef);
  targets.push({ kind: 'Kustomization', namespace: 'flux-system', name: 'not-there' });
  targets.forEach((t, i) => {
    view(out, `trace ${i} text`, () => renderTraceText(trace(graph, t), false));
    view(out, `trace ${i} text colour`, () => renderTraceText(trace(graph, t), true));
    view(out, `trace ${i} json`, () => toJson(trace(graph, t)));
    view(out, `tree ${i} text`, () => renderTreeText(tree(graph, t), false));
    view(out, `tree ${i} json`, () => toJson(tree(graph, t)));
    view(out, `events for ${i}`, () => renderEventsTable(eventGroups(graph, { for: t }), false));
    view(out, `logs for ${i}`, () => renderLogLines(logLines(graph, { for: t }), false));
  });
  out['snapshot bundle'] = snapshotToYaml(snap);
  return out;
}

// ---------- what the outputs must not contain ----------

// Our own colour codes (SGR) are the only escape sequences allowed, and only in colour output.
const SGR = /\u001b\[[0-9;]*m/g;
// C0 except \n and \t, DEL, C1, bidi overrides and isolates, zero-width characters and BOM, line
// and paragraph separators.
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\u2028\u2029]/;

/** Outputs (by name) holding a forbidden character, with the first one found (as a code point). */
export function controlCharacters(out: Outputs): string[] {
  const bad: string[] = [];
  for (const [name, text] of Object.entries(out)) {
    const t = name.includes('colour') ? text.replace(SGR, '') : text;
    const m = FORBIDDEN.exec(t);
    if (m) bad.push(`${name}: U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()}`);
  }
  return bad;
}

// ---------- real input to start from ----------

export interface Corpus {
  name: string;
  files: [string, string][];
  logs: string;
}

/** The captured controller output of test/fixtures/real/ and the bundled examples/. */
export function realCorpus(root = new URL('..', import.meta.url).pathname): Corpus[] {
  const out: Corpus[] = [];
  // test/fixtures/real/v<minor>/ holds an older Flux release's fixtures: read as a base of its own.
  const older = readdirSync(join(root, 'test/fixtures/real'))
    .filter((n) => /^v\d+\.\d+$/.test(n))
    .sort()
    .map((n) => `test/fixtures/real/${n}`);
  for (const base of ['test/fixtures/real', ...older, 'examples']) {
    const dir = join(root, base);
    for (const name of readdirSync(dir).sort()) {
      const d = join(dir, name);
      if (!statSync(d).isDirectory() || (base === 'test/fixtures/real' && /^v\d+\.\d+$/.test(name))) continue;
      const files: [string, string][] = [];
      let logs = '';
      for (const f of readdirSync(d).sort()) {
        const p = join(d, f);
        if (f === 'logs' && statSync(p).isDirectory()) {
          for (const l of readdirSync(p).sort()) logs += readFileSync(join(p, l), 'utf8');
        } else if (/\.(ya?ml|json)$/.test(f)) files.push([`${base}/${name}/${f}`, readFileSync(p, 'utf8')]);
      }
      out.push({ name: `${base}/${name}`, files, logs });
    }
  }
  return out;
}
