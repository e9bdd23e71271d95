// The shape every fix step must have (src/render/advice.ts): one prose sentence or exactly one
// command, and never a kubectl edit/patch/set/scale of an object a Flux Kustomization or HelmRelease
// applies (the next reconciliation reverts it). Used by test/helpers.ts's ruleTester for every rule
// case and by remediation-steps.test.ts for the examples and the captured fixtures.

import type { Graph } from '../../src/graph/graph.js';
import { resolveKind } from '../../src/kinds/table.js';
import { commandFragmentAt, isApplied, isCommandStep } from '../../src/render/advice.js';

/** Why a step breaks the rules, or undefined. */
export function stepProblem(step: string, graph?: Graph): string | undefined {
  const at = commandFragmentAt(step);
  if (isCommandStep(step)) {
    if (/ && | ; |, then | then run /.test(step)) return 'a command step chains commands';
    if (/ {2}\(|\s\((?:or|and|e\.g\.|see|it|this|the|if)\b/.test(step)) return 'a command step carries prose';
    const second = commandFragmentAt(step.slice(1));
    // A pipe into another program is one command line; a second command after prose is not.
    if (second >= 0 && /(?::|,| or| and) $/.test(step.slice(0, second + 1)))
      return 'a command step names a second command';
    if (graph) {
      const m = /^kubectl\s+(?:-n\s+(\S+)\s+)?(edit|patch|scale|set\s+\S+)\s+(\S+)(?:\s+(\S+))?/.exec(step);
      if (m) {
        const nsFlag = /\s-n\s+'?([^\s']+)'?/.exec(step)?.[1] ?? m[1];
        let res = m[3]!;
        let name = m[4];
        if (res.includes('/')) [res, name] = res.split('/') as [string, string];
        const kind = resolveKind(res.replace(/^'|'$/g, ''))?.kind;
        const clean = (name ?? '').replace(/^'|'$/g, '');
        const hit = graph
          .all()
          .find(
            (o) =>
              o.metadata.name === clean &&
              (kind ? o.kind === kind : o.kind.toLowerCase() === res.toLowerCase()) &&
              (nsFlag === undefined || (o.metadata.namespace ?? '') === nsFlag),
          );
        if (hit && isApplied(graph, hit))
          return `kubectl ${m[2]} of ${hit.kind} ${hit.metadata.namespace ?? ''}/${hit.metadata.name}, which Flux applies (change it in Git)`;
      }
    }
    return undefined;
  }
  if (at >= 0) return `prose and a command mixed in one step (command at ${JSON.stringify(step.slice(at, at + 30))})`;
  return undefined;
}

/** Every problem of a finding's steps, as `step → why`. */
export function stepProblems(remediation: string[], graph?: Graph): string[] {
  const out: string[] = [];
  for (const s of remediation) {
    const p = stepProblem(s, graph);
    if (p) out.push(`${p}: ${JSON.stringify(s)}`);
  }
  return out;
}
