// workload.unschedulable: the scheduler cannot place the pods (resources, taints, affinity, volumes).
// Reported at the Deployment/StatefulSet/DaemonSet owning the pods, or a bare Pod.

import { titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import type { K8sObject } from '../types.js';
import type { Rule } from './types.js';
import { bound, objId } from './util.js';
import {
  confirmStep,
  podEventEvidence,
  podsPhrase,
  reconcileOwnerStep,
  subjectOf,
  unschedulableCondition,
  WORKLOAD_RULE_KINDS,
  whereDefined,
} from './workload-common.js';

// Fragments of the scheduler's `0/N nodes are available: ...` message (kube-scheduler plugins:
// noderesources "Insufficient cpu", tainttoleration "node(s) had untolerated taint {...}",
// nodeaffinity "node(s) didn't match Pod's node affinity/selector", volumebinding
// "pod has unbound immediate PersistentVolumeClaims", "persistentvolumeclaim \"x\" not found").
const CAUSES: { re: RegExp; text: string; fix: string; command?: string }[] = [
  {
    re: /Insufficient (cpu|memory|pods|ephemeral-storage|[\w./-]+)/i,
    text: 'not enough free $1 on any node',
    fix: 'Lower the resources.requests of the containers, or add capacity (more or bigger nodes, cluster autoscaler)',
  },
  {
    re: /untolerated taint|had taint|didn't tolerate/i,
    text: 'the nodes have taints the pod does not tolerate',
    fix: 'Add the matching tolerations to the pod template, or schedule on nodes without the taint',
  },
  {
    re: /didn't match Pod's node affinity|didn't match node selector|node affinity\/selector/i,
    text: "no node matches the pod's nodeSelector/affinity",
    fix: 'Fix spec.template.spec.nodeSelector / affinity to match real node labels, which this lists:',
    command: 'kubectl get nodes --show-labels',
  },
  {
    re: /unbound immediate PersistentVolumeClaims|persistentvolumeclaim "[^"]+" not found|volume node affinity conflict|didn't find available persistent volumes/i,
    text: 'a PersistentVolumeClaim cannot be bound or is in another zone',
    fix: 'Check the PVC, its StorageClass and provisioner; create the PVC or fix the storageClassName',
  },
  {
    re: /didn't match pod anti-affinity|didn't match pod affinity|didn't satisfy existing pods anti-affinity/i,
    text: 'pod (anti-)affinity rules leave no node',
    fix: 'Relax the podAntiAffinity/podAffinity rules, or add nodes',
  },
  {
    re: /didn't have free ports/i,
    text: 'the requested hostPort is taken on every node',
    fix: 'Remove or change the hostPort',
  },
  {
    re: /node\(s\) were unschedulable/i,
    text: 'the nodes are cordoned',
    fix: 'Uncordon the nodes, or add schedulable nodes:',
    command: 'kubectl uncordon <node>',
  },
];

export const rule: Rule = {
  meta: {
    code: 'workload.unschedulable',
    severity: 'error',
    title: 'Pods cannot be scheduled',
    kinds: WORKLOAD_RULE_KINDS,
    overrides: ['workload.not-ready'],
    docs: {
      description:
        'The scheduler cannot find a node for the pods: not enough CPU or memory, taints the pods do not tolerate, a nodeSelector or affinity no node matches, or a PersistentVolumeClaim that cannot be bound. The pods stay `Pending`, the rollout never completes, and a Kustomization health check or HelmRelease install/upgrade waiting for the workload times out: fluxdoctor reports this workload as the root cause.',
      detection:
        "A Deployment, StatefulSet or DaemonSet's pods are found through ownerReferences (a Pod owned by one of them gets no finding of its own; a bare Pod does). A pod whose condition `PodScheduled` is `False` with reason `Unschedulable` triggers it; the scheduler's message (`0/3 nodes are available: 3 Insufficient cpu. preemption: ...`) and the `FailedScheduling` events are the evidence and name the cause.",
      fix: [
        '- **Insufficient cpu/memory**: lower `resources.requests`, or add capacity.',
        '- **Untolerated taint**: add `tolerations`, or use other nodes.',
        '- **Node affinity/selector**: fix `nodeSelector`/`affinity` to match existing node labels.',
        '- **Unbound PersistentVolumeClaims**: create the PVC, fix its StorageClass, check the provisioner.',
        '- Change it in Git (or the HelmRelease values) so Flux keeps it.',
      ].join('\n'),
      commands: [
        'kubectl -n <namespace> get pods --field-selector=status.phase=Pending',
        'kubectl -n <namespace> describe pod <pod>',
        'kubectl describe nodes | grep -A5 -E "Taints|Allocated resources"',
        'kubectl -n <namespace> get pvc',
      ],
      examples: [
        {
          message: "0/10 nodes are available: 10 node(s) didn't match node selector, 4 Insufficient cpu.",
          source:
            'kube-scheduler, PodScheduled=False reason Unschedulable; https://github.com/kubernetes/kubernetes/issues/49896',
        },
        {
          message: '0/5 nodes are available: 2 node(s) were unschedulable, 3 Insufficient pods.',
          source: 'kube-scheduler FailedScheduling; https://github.com/kubernetes/kubernetes/issues/107194',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const subject = subjectOf(obj, graph);
    if (!subject) return undefined;
    const bad: { pod: K8sObject; message: string; reason: string }[] = [];
    for (const p of subject.pods) {
      const c = unschedulableCondition(p);
      if (c) bad.push({ pod: p, message: c.message ?? '', reason: c.reason ?? 'Unschedulable' });
    }
    if (bad.length === 0) return undefined;

    const ns = obj.metadata.namespace ?? 'default';
    const first = bad[0]!;
    const badPods = bad.map((b) => b.pod);
    const events = podEventEvidence(badPods, graph, { reasons: ['FailedScheduling'] }, 2);
    const texts = [first.message, ...events.map((e) => e.text)];
    const causes = CAUSES.flatMap((c) => {
      for (const t of texts) {
        const m = c.re.exec(t);
        if (m) return [{ text: c.text.replace('$1', m[1] ?? ''), fix: c.fix.replace('<ns>', ns), command: c.command }];
      }
      return [];
    });
    const requests = (first.pod.spec?.containers ?? [])
      // biome-ignore lint/suspicious/noExplicitAny: container spec is untyped
      .map((c: any) => {
        const r = c?.resources?.requests;
        return r && (r.cpu || r.memory)
          ? `${c.name}: ${[r.cpu && `cpu ${r.cpu}`, r.memory && `memory ${r.memory}`].filter(Boolean).join(', ')}`
          : '';
      })
      .filter(Boolean);
    const rec = reconcileOwnerStep(subject, graph);
    return {
      summary: `${obj.kind} ${ns}/${obj.metadata.name}${obj.kind === 'Pod' ? '' : `: ${podsPhrase(badPods, subject.pods)}`} cannot be scheduled${causes.length > 0 ? ` — ${causes.map((c) => c.text).join('; ')}` : ''}${first.message ? ` ("${first.message.length > 200 ? `${first.message.slice(0, 200)}…` : first.message}")` : ''}`,
      evidence: [
        ...bad.slice(0, 2).map((b) => ({
          kind: 'condition' as const,
          object: objId(b.pod),
          text: bound(`PodScheduled=False (${b.reason}): ${b.message}`),
        })),
        ...events,
      ],
      remediation: [
        ...titled("See the scheduler's reasons", `kubectl -n ${shq(ns)} describe pod ${shq(first.pod.metadata.name)}`),
        ...(requests.length > 0 ? [`The pod requests ${requests.join('; ')}`] : []),
        ...causes.flatMap((c) => (c.command ? [c.fix, c.command] : [c.fix])),
        `Make pod spec changes (requests, tolerations, nodeSelector/affinity, volumes) in ${whereDefined(subject, graph)}`,
        ...(rec ? titled('After committing the fix', rec) : []),
        confirmStep(subject),
      ],
      fixTarget: { kind: obj.kind, namespace: ns, name: obj.metadata.name },
    };
  },
};
