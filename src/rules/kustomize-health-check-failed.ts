// kustomize.health-check-failed: the manifests were applied, but the health checks (spec.wait or
// spec.healthChecks) did not pass in time. A symptom code: the engine follows the inventory to a
// failing workload or Flux object and reports that instead when it finds one.

import type { Graph } from '../graph/graph.js';
import { resolveKind } from '../kinds/table.js';
import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { clip, firstLine, isFailing, signalFor, type WaitEntry, waitEntries } from '../signals/index.js';
import type { Rule } from './types.js';
import { describeCmd, evidenceOf, reconcileCmd, show } from './util.js';

// The texts are catalogued in src/signals/patterns/kustomize-controller.ts (the "health check failed after
// <d>: …" wrapper of each era, and the kstatus-era "Health check timed out for [<resource> '<ns>/<name>', …]"
// of v0.1–v0.14) and src/signals/patterns/ssa.ts (fluxcd/pkg/ssa's "timeout waiting for: [<id> status:
// '<Status>', …]" and "failed early due to stalled resources: [...]"); src/signals/ssa-objects.ts reads
// the objects they list.

// kustomize-controller v0.1–v0.14 (kstatus): "Health check timed out for [deployments.apps 'ns/name', …]",
// v0.14 "Health check failed for [Deployment 'ns/name' (status 'Failed'): <msg>, …]".
const KSTATUS_ENTRY = /([A-Za-z][\w.]*) '([^'/\s]+)\/([^'\s]+)'(?: \(status '(\w+)'\))?/g;

/** The objects named by a kstatus-era health check message. */
function kstatusEntries(text: string): WaitEntry[] {
  const list = /Health check (?:timed out|failed) for \[([^\]\n]{0,4000})\]/.exec(text)?.[1];
  if (!list) return [];
  const out: WaitEntry[] = [];
  for (const m of list.matchAll(KSTATUS_ENTRY)) {
    const kind = /^[A-Z]/.test(m[1]!) ? m[1]! : resolveKind(m[1]!)?.kind;
    if (kind) out.push({ ref: { kind, namespace: m[2], name: m[3]! }, status: m[4] ?? 'InProgress' });
  }
  return out;
}

function entryText(graph: Graph, e: WaitEntry): string {
  const base = `${show(e.ref)} (${e.status}${e.error ? `: ${clip(e.error, 120)}` : ''})`;
  const o = graph.get(e.ref);
  if (!o) {
    if (e.status === 'NotFound') return `${base} does not exist`;
    return graph.kindRead(e.ref.kind, e.ref.namespace) ? `${base}, not found in what was read` : base;
  }
  const h = graph.health(o);
  const now =
    h.state === 'Ready' || h.state === 'Static'
      ? 'reports Ready now'
      : `is ${h.state.toLowerCase()}${h.reason ? ` (${h.reason}${h.message ? `: ${clip(firstLine(h.message), 120)}` : ''})` : ''}`;
  return `${base}, which ${now}`;
}

export const rule: Rule = {
  meta: {
    code: 'kustomize.health-check-failed',
    severity: 'error',
    title: 'Health checks did not pass',
    kinds: ['Kustomization'],
    explainedBy: ['applied'],
    messages: {
      timeout: { summary: '{applied}, but health checks failed: they did not become ready {within}: {objects}' },
      stalled: { summary: '{applied}, but health checks failed: an object reached a failed state: {objects}' },
      'termination-timeout': {
        summary: '{object} could not finish deleting {objects}: it did not terminate in time',
      },
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const c = signalFor(obj, graph, rule.meta.code);
    if (!c) return undefined;
    const texts = c.signals.map((s) => s.text).join('\n');
    const parsed = waitEntries(texts);
    const entries = parsed.length ? parsed : kstatusEntries(texts);
    const after =
      c.data.after ??
      /[Hh]ealth check failed after ([\d.]+(?:ns|µs|us|ms|s|m|h)[\d.hms]*)/.exec(texts)?.[1] ??
      obj.spec?.timeout;
    const early = c.cause === 'stalled' || /failed early due to stalled resources/.test(texts);
    const revision = obj.status?.lastAttemptedRevision as string | undefined;
    const list = entries.slice(0, 4).map((e) => entryText(graph, e));
    const more = entries.length > 4 ? ` and ${entries.length - 4} more` : '';
    const objects = list.length ? `${list.join('; ')}${more}` : clip(firstLine(c.signal.text), 200);
    const failing =
      entries.find((e) => {
        const o = graph.get(e.ref);
        return o ? !['Ready', 'Static'].includes(graph.health(o).state) : e.status !== 'Current';
      }) ?? entries[0];
    const celError = /failed to evaluate the CEL expression/.test(texts);

    const steps: string[] = [];
    for (const e of entries.slice(0, 3)) {
      if (e.status === 'NotFound' && !graph.has(e.ref)) {
        steps.push(
          ...changeInGit(
            graph,
            obj,
            `${show(e.ref)} does not exist: fix spec.healthChecks of ${show(obj)} or make sure its path creates it`,
          ),
        );
      } else {
        steps.push(...titled(`Find out why ${show(e.ref)} is not ready`, describeCmd(e.ref)));
        if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(e.ref.kind))
          steps.push(
            ...titled(
              'Look at its pods and events',
              `kubectl get events${nsArg(e.ref.namespace)} --field-selector ${shq(`involvedObject.name=${e.ref.name}`)}`,
            ),
          );
      }
    }
    if (entries.length === 0)
      steps.push(
        ...titled(
          'Look at what it applied',
          `flux tree kustomization ${shq(obj.metadata.name)}${nsArg(obj.metadata.namespace)}`,
        ),
      );
    if (celError)
      steps.push(...changeInGit(graph, obj, `fix the CEL expressions in spec.healthCheckExprs of ${show(obj)}`));
    const allMissing = entries.length > 0 && entries.every((e) => e.status === 'NotFound' && !graph.has(e.ref));
    if (!early && !allMissing && c.cause !== 'termination-timeout')
      steps.push(
        ...changeInGit(
          graph,
          obj,
          `raise spec.timeout of ${show(obj)}${obj.spec?.timeout ? ` (now ${obj.spec.timeout})` : ''}`,
          { when: 'if the workload is only slow to start' },
        ),
      );
    steps.push(reconcileCmd(obj));

    const cause = c.cause === 'termination-timeout' ? c.cause : early ? 'stalled' : 'timeout';
    return {
      cause,
      data: {
        object: show(obj),
        applied: `${show(obj)} applied ${revision ? `revision ${revision}` : 'its manifests'}`,
        within: after ? `within ${after}` : 'before the timeout',
        objects,
        after,
        failing: failing ? show(failing.ref) : undefined,
        status: failing?.status,
      },
      evidence: evidenceOf(c.signals),
      fixTarget:
        failing && failing.status === 'NotFound' && !graph.has(failing.ref)
          ? { kind: 'Kustomization', namespace: obj.metadata.namespace, name: obj.metadata.name }
          : failing?.ref,
      remediation: steps,
    };
  },
};
