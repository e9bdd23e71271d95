// kustomize.health-check-failed: the manifests were applied, but the health checks (spec.wait or
// spec.healthChecks) did not pass in time. A symptom code: the engine follows the inventory to a
// failing workload or Flux object and reports that instead when it finds one.

import type { Graph } from '../graph/graph.js';
import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import type { ObjRef } from '../types.js';
import { clip, detect, firstLine, nsFlag, parseObjId } from './kustomize-common.js';
import type { Rule } from './types.js';
import { capture, describeCmd, evidenceOf, reconcileCmd, show } from './util.js';

// fluxcd/pkg ssa/manager_wait.go (WaitForSetWithContext):
//   fmt.Errorf("%s: [%s]", "timeout waiting for" | "failed early due to stalled resources", strings.Join(errs, ", "))
//   with entries "<Kind>/<ns>/<name> status: '<kstatus>'" (+ ": <error>"), or "can't determine status for <obj>".
// kustomize-controller internal/controller/kustomization_controller.go (checkHealth): Ready=False and Healthy=False with
//   reason HealthCheckFailed and that error; the event/log says "health check failed after <duration>: <error>".
export const WAIT_ERROR = /(timeout waiting for|failed early due to stalled resources): \[/;
const ENTRY = /([A-Z][A-Za-z0-9]*)\/([^\s/\],]+)(?:\/([^\s/\],]+))? status: '([A-Za-z]+)'(?:: ([^,\]]+))?/g;
const UNKNOWN_STATUS = /can't determine status for ([A-Z][A-Za-z0-9]*)\/([^\s/\],]+)(?:\/([^\s/\],]+))?/g;

export interface WaitEntry {
  ref: ObjRef;
  status: string;
  error?: string;
}

/** The objects a health check error names, with the kstatus each was left in. */
export function waitEntries(text: string): WaitEntry[] {
  const out: WaitEntry[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(ENTRY)) {
    const ref = parseObjId(m[1]!, m[2]!, m[3]);
    const k = `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ ref, status: m[4]!, error: m[5]?.trim() });
  }
  for (const m of text.matchAll(UNKNOWN_STATUS)) {
    const ref = parseObjId(m[1]!, m[2]!, m[3]);
    const k = `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ ref, status: 'Unknown' });
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
    docs: {
      description:
        'kustomize-controller applied the manifests, then waited for the objects in `spec.healthChecks` (or everything it applied, with `spec.wait: true`) to become ready, and they did not within `spec.timeout` (or one of them reached a failed state first). The Kustomization stays not ready, and Kustomizations that depend on it wait. This is a symptom: fluxdoctor follows the applied objects (inventory) and reports the failing workload or Flux object (crash loop, image pull, unschedulable pods, failing HelmRelease…) as the root cause. This code stands on its own when no deeper failure was found in what was read, for example when the workload is just slow or the checked object does not exist.',
      detection:
        "Ready=False or Healthy=False with reason `HealthCheckFailed` and the message of fluxcd/pkg ssa's wait: `timeout waiting for: [<Kind>/<namespace>/<name> status: '<status>', …]` or `failed early due to stalled resources: [...]` (the event reads `health check failed after <duration>: …`). The objects and their kstatus (`InProgress`, `Failed`, `NotFound`, `Unknown`) are parsed from the message and looked up in the graph.",
      fix: [
        '- Look at the objects named in the message: `kubectl describe` them and their pods, or `flux get` for Flux objects.',
        '- Fix the workload (image, probes, resources, config) or the Flux object that is not ready; see the root-cause finding fluxdoctor reports for it.',
        '- `NotFound`: the object in `spec.healthChecks` is not created by this Kustomization (wrong name/namespace) — fix `spec.healthChecks`.',
        '- If the workload is just slow to start, raise `spec.timeout`.',
        '- Then `flux reconcile kustomization <name>`.',
      ].join('\n'),
      commands: [
        'kubectl get kustomization <name> -n <namespace> -o jsonpath={.status.conditions}',
        'flux tree kustomization <name> -n <namespace>',
        'kubectl describe deployment <workload> -n <workload-namespace>',
        'flux events --for Kustomization/<name> -n <namespace>',
      ],
      examples: [
        {
          message: "timeout waiting for: [ConfigMap/default/test status: 'Unknown': error reading status]",
          source: 'fluxcd/pkg ssa/manager_wait_test.go',
        },
        {
          message: "timeout waiting for: [Deployment/id/does-not-exist status: 'NotFound']",
          source: 'fluxcd/pkg ssa/manager_wait_test.go (comment)',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const d = detect(obj, graph, {
      reasons: ['HealthCheckFailed'],
      patterns: [WAIT_ERROR, /health check failed after/],
    });
    if (!d) return undefined;
    const texts = d.all.map((s) => s.text).join('\n');
    const entries = waitEntries(texts);
    const after = capture(d.all, /health check failed after ([\d.hms]+)/) ?? obj.spec?.timeout;
    const early = /failed early due to stalled resources/.test(texts);
    const how = early
      ? 'an object reached a failed state'
      : `they did not become ready${after ? ` within ${after}` : ' before the timeout'}`;
    const revision = obj.status?.lastAttemptedRevision as string | undefined;
    const applied = `${show(obj)} applied ${revision ? `revision ${revision}` : 'its manifests'}`;
    const list = entries.slice(0, 4).map((e) => entryText(graph, e));
    const more = entries.length > 4 ? ` and ${entries.length - 4} more` : '';
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
              `kubectl get events${nsFlag(e.ref)} --field-selector ${shq(`involvedObject.name=${e.ref.name}`)}`,
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
    if (!early && !allMissing)
      steps.push(
        ...changeInGit(
          graph,
          obj,
          `raise spec.timeout of ${show(obj)}${obj.spec?.timeout ? ` (now ${obj.spec.timeout})` : ''}`,
          { when: 'if the workload is only slow to start' },
        ),
      );
    steps.push(reconcileCmd(obj));

    return {
      summary: `${applied}, but health checks failed: ${how}${list.length ? `: ${list.join('; ')}${more}` : `: ${clip(firstLine(d.current[0]!.text), 200)}`}`,
      evidence: evidenceOf(d.all),
      fixTarget:
        failing && failing.status === 'NotFound' && !graph.has(failing.ref)
          ? { kind: 'Kustomization', namespace: obj.metadata.namespace, name: obj.metadata.name }
          : failing?.ref,
      remediation: steps,
    };
  },
};
