// workload.unschedulable: the scheduler cannot place the pods (resources, taints, affinity, volumes), or a
// PersistentVolumeClaim they mount never binds. Reported at the Deployment/StatefulSet/DaemonSet/Job owning
// the pods, or a bare Pod; a Pending PVC no pod mounts (a Kustomization waits on it) is reported at the PVC.
// The scheduler's and PV controller's messages are read with src/signals/patterns/kubernetes.ts.

import { classifyText } from '../signals/match.js';
import { knownMissing } from '../signals/missing.js';
import { ALL_PATTERNS } from '../signals/patterns/index.js';
import { objId } from '../signals/refs.js';
import { age, bound, parseTime } from '../signals/text.js';
import {
  claimsOf,
  eventsNewestFirst,
  ownerWorkload,
  podEventEvidence,
  podsPhrase,
  subjectOf,
  unschedulableCondition,
  WORKLOAD_RULE_KINDS,
} from '../signals/workloads.js';
import type { Evidence, K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { MessageTemplate, Rule, RuleContext } from './types.js';
import { show, workloadData } from './util.js';

const CODE = 'workload.unschedulable';
const SCHEDULER = ALL_PATTERNS.filter((p) => p.code === CODE && p.id.startsWith('kubernetes/sched-'));
const PVC_PATTERNS = ALL_PATTERNS.filter((p) => p.code === CODE && p.id.startsWith('kubernetes/pvc-'));
/** A claim may be Pending this long (provisioning takes a while) before it counts as never binding. */
const PVC_GRACE_MS = 5 * 60 * 1000;

/** What each scheduler cause means, and the fix line (`{…}` filled from the match). */
const SCHED_TEXT: Record<string, { text: string; fix: string[] }> = {
  'insufficient-resources': {
    text: 'not enough free {resource} on any node',
    fix: ['Lower the resources.requests of the containers, or add capacity (more or bigger nodes, cluster autoscaler)'],
  },
  'untolerated-taint': {
    text: 'the nodes have taints the pod does not tolerate',
    fix: ['Add the matching tolerations to the pod template, or schedule on nodes without the taint'],
  },
  'node-affinity': {
    text: "no node matches the pod's nodeSelector/affinity",
    fix: [
      'Fix spec.template.spec.nodeSelector / affinity to match real node labels, which this lists:',
      'kubectl get nodes --show-labels',
    ],
  },
  'pvc-not-found': {
    text: 'a PersistentVolumeClaim it mounts does not exist',
    fix: ['Create the PersistentVolumeClaim, or fix claimName / volumeClaimTemplates'],
  },
  'pvc-unbound': {
    text: 'a PersistentVolumeClaim cannot be bound',
    fix: ['Check the PVC, its StorageClass and provisioner; create the PVC or fix the storageClassName'],
  },
  'volume-node-affinity': {
    text: 'its volume is in another zone than the nodes that fit',
    fix: ['Use a StorageClass with volumeBindingMode: WaitForFirstConsumer, or nodes in the volume zone'],
  },
  'pod-affinity': {
    text: 'pod (anti-)affinity rules leave no node',
    fix: ['Relax the podAntiAffinity/podAffinity rules, or add nodes'],
  },
  'host-port': { text: 'the requested hostPort is taken on every node', fix: ['Remove or change the hostPort'] },
  cordoned: {
    text: 'the nodes are cordoned',
    fix: ['Uncordon the nodes, or add schedulable nodes:', 'kubectl uncordon <node>'],
  },
};

const TAIL = [
  'Make pod spec changes (requests, tolerations, nodeSelector/affinity, volumes) in {where}',
  'After committing the fix, reconcile {owner}:',
  '{reconcile}',
  '{confirm}',
];
const SCHEDULING: MessageTemplate = {
  summary: '{subject} cannot be scheduled{because}',
  remediation: [
    "See the scheduler's reasons:",
    'kubectl -n {sh:namespace} describe pod {sh:pod}',
    'The pod requests {requests}',
    '{fix1}',
    '{fix2}',
    '{fix3}',
    '{fix4}',
    ...TAIL,
  ],
};
/** A claim that never binds: the PVC, its StorageClass and what the PV controller says. */
const CLAIM: MessageTemplate = {
  summary: '{subject} cannot be scheduled: {claimObject} is not bound — {claimWhy}',
  remediation: [
    'See why the claim is not bound (its events):',
    'kubectl -n {sh:namespace} describe pvc {sh:pvc}',
    'List the StorageClasses (the default one is marked):',
    'kubectl get storageclass',
    '{claimFix}',
    'Fix the claim (storageClassName, size, accessModes) in {claimWhere}',
    ...TAIL.slice(1),
  ],
};
const CLAIM_CAUSES = [
  'pvc-not-found',
  'no-storage-class',
  'storage-class-not-found',
  'provisioning-failed',
  'waiting-for-provisioner',
  'pvc-pending',
];
const MESSAGES: Record<string, MessageTemplate> = {
  ...Object.fromEntries(Object.keys(SCHED_TEXT).map((c) => [c, SCHEDULING])),
  scheduling: SCHEDULING,
  ...Object.fromEntries(CLAIM_CAUSES.map((c) => [c, CLAIM])),
};

const CLAIM_TEXT: Record<string, (d: Record<string, string | undefined>) => { why: string; fix: string }> = {
  'pvc-not-found': (d) => ({
    why: 'it does not exist',
    fix: `Create PersistentVolumeClaim ${d.pvc}, or fix the claimName that names it`,
  }),
  'no-storage-class': () => ({
    why: 'no PersistentVolume matches it and no StorageClass is set (the cluster has no default StorageClass)',
    fix: 'Set storageClassName to an existing StorageClass, mark one as default, or create a matching PersistentVolume',
  }),
  'storage-class-not-found': (d) => ({
    why: `StorageClass ${d.storageClass} does not exist`,
    fix: `Set storageClassName to an existing StorageClass (or create StorageClass ${d.storageClass})`,
  }),
  'provisioning-failed': (d) => ({
    why: `provisioning with StorageClass ${d.storageClass ?? '(default)'} fails${d.detail ? `: ${d.detail}` : ''}`,
    fix: `Fix the provisioner of StorageClass ${d.storageClass ?? '(default)'} (its CSI driver logs, cloud permissions and quotas), or use another StorageClass`,
  }),
  'waiting-for-provisioner': (d) => ({
    why: `it waits for the external provisioner ${d.provisioner ?? ''} that never creates the volume`,
    fix: `Check that the CSI driver ${d.provisioner ?? ''} is installed and running (its controller pods and logs)`,
  }),
  'pvc-pending': (d) => ({
    why: `it has been Pending for ${d.pendingFor} (StorageClass ${d.storageClass ?? '(default)'})`,
    fix: 'Check the StorageClass and its provisioner',
  }),
};

interface ClaimProblem {
  ref: ObjRef;
  claim?: K8sObject;
  cause: string;
  data: Record<string, string | undefined>;
  evidence: Evidence[];
}

/** Why a claim does not bind, when it is known missing or has been Pending past the grace period. */
function claimProblem(ref: ObjRef, graph: RuleContext['graph']): ClaimProblem | undefined {
  const claim = graph.get(ref);
  if (!claim) {
    if (!knownMissing(graph, ref)) return undefined;
    return { ref, cause: 'pvc-not-found', data: { pvc: ref.name }, evidence: [] };
  }
  if (claim.status?.phase !== 'Pending') return undefined;
  const storageClass: string | undefined = claim.spec?.storageClassName || undefined;
  const created = parseTime(claim.metadata.creationTimestamp);
  const pendingMs = created === undefined ? undefined : graph.now.getTime() - created;
  let match: ReturnType<typeof classifyText>;
  const evidence: Evidence[] = [];
  for (const e of eventsNewestFirst(claim, graph)) {
    const m = classifyText(e.message, PVC_PATTERNS);
    if (!m) continue;
    match ??= m;
    evidence.push({
      kind: 'event',
      object: objId(claim),
      text: bound(`${e.type} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}: ${e.message}`),
    });
    if (evidence.length >= 2) break;
  }
  if (pendingMs !== undefined && pendingMs < PVC_GRACE_MS) return undefined;
  // WaitForFirstConsumer claims stay Pending until a pod is scheduled: that alone is no failure.
  if (!match && pendingMs === undefined) return undefined;
  const cause = match?.pattern.cause ?? 'pvc-pending';
  evidence.unshift({
    kind: 'status',
    object: objId(claim),
    text: `phase Pending${storageClass ? `, storageClassName ${storageClass}` : ', no storageClassName'}`,
  });
  return {
    ref,
    claim,
    cause,
    data: {
      pvc: ref.name,
      storageClass: match?.data.storageClass ?? storageClass,
      provisioner: match?.data.provisioner,
      detail: match?.data.detail,
      pendingFor: pendingMs === undefined ? undefined : age(pendingMs),
    },
    evidence,
  };
}

function claimData(p: ClaimProblem, graph: RuleContext['graph']): Record<string, string | undefined> {
  const t = CLAIM_TEXT[p.cause]!(p.data);
  return {
    ...p.data,
    claimObject: show(p.ref),
    claimWhy: t.why,
    claimFix: t.fix,
    claimWhere: p.claim ? workloadData(p.claim, graph).where : undefined,
  };
}

/** A Pending PVC that no pod in the snapshot mounts (a Kustomization with wait, a claim applied alone). */
function standaloneClaim(obj: K8sObject, graph: RuleContext['graph']) {
  const mounted = graph
    .byKind('Pod')
    .some(
      (p) => p.metadata.namespace === obj.metadata.namespace && claimsOf(p).some((c) => c.name === obj.metadata.name),
    );
  if (mounted) return undefined;
  const p = claimProblem(objRef(obj), graph);
  // Without a PV controller event a lone Pending claim may be waiting for its first consumer.
  if (!p || p.cause === 'pvc-pending') return undefined;
  const base = workloadData(obj, graph);
  return {
    cause: p.cause,
    data: { ...base, ...claimData(p, graph) },
    // No pod to name: the claim is the subject (the remediation comes from the cause's template).
    summary: `${show(obj)} is not bound — ${claimData(p, graph).claimWhy}`,
    evidence: p.evidence,
    fixTarget: objRef(obj),
  };
}

export const rule: Rule = {
  meta: {
    code: 'workload.unschedulable',
    severity: 'error',
    title: 'Pods cannot be scheduled',
    kinds: [...WORKLOAD_RULE_KINDS, 'PersistentVolumeClaim'],
    overrides: ['workload.not-ready'],
    messages: MESSAGES,
  },
  check(obj, { graph }) {
    if (obj.kind === 'PersistentVolumeClaim') return standaloneClaim(obj, graph);
    const subject = subjectOf(obj, graph);
    if (!subject) return undefined;
    const bad: { pod: K8sObject; message: string; reason: string }[] = [];
    for (const p of subject.pods) {
      const c = unschedulableCondition(p);
      if (c) bad.push({ pod: p, message: c.message ?? '', reason: c.reason ?? 'Unschedulable' });
    }
    if (bad.length === 0) return undefined;

    const first = bad[0]!;
    const badPods = bad.map((b) => b.pod);
    const events = podEventEvidence(badPods, graph, { reasons: ['FailedScheduling'] }, 2);
    const evidence: Evidence[] = [
      ...bad.slice(0, 2).map((b) => ({
        kind: 'condition' as const,
        object: objId(b.pod),
        text: bound(`PodScheduled=False (${b.reason}): ${b.message}`),
      })),
      ...events,
    ];
    const base = {
      ...workloadData(obj, graph),
      subject: `${show(obj)}${obj.kind === 'Pod' ? '' : `: ${podsPhrase(badPods, subject.pods)}`}`,
      pod: first.pod.metadata.name,
    };

    // A claim the pods mount that never binds is the deeper cause: name the PVC and its StorageClass.
    for (const ref of claimsOf(first.pod)) {
      const p = claimProblem(ref, graph);
      if (!p) continue;
      return {
        cause: p.cause,
        data: { ...base, ...claimData(p, graph) },
        evidence: [...evidence, ...p.evidence],
        fixTarget: p.claim && ownerWorkload(first.pod, graph) === undefined ? objRef(p.claim) : objRef(obj),
      };
    }

    // The scheduler's fragments, in catalogue order (a message lists several).
    const texts = [first.message, ...events.map((e) => e.text)];
    const causes: { cause: string; text: string; fix: string[] }[] = [];
    for (const pat of SCHEDULER) {
      for (const t of texts) {
        const m = pat.re.exec(t);
        if (!m) continue;
        const def = SCHED_TEXT[pat.cause]!;
        causes.push({
          cause: pat.cause,
          text: def.text.replace('{resource}', m.groups?.resource ?? ''),
          fix: def.fix,
        });
        break;
      }
    }
    const requests = (first.pod.spec?.containers ?? [])
      // biome-ignore lint/suspicious/noExplicitAny: container spec is untyped
      .map((c: any) => {
        const r = c?.resources?.requests;
        return r && (r.cpu || r.memory)
          ? `${c.name}: ${[r.cpu && `cpu ${r.cpu}`, r.memory && `memory ${r.memory}`].filter(Boolean).join(', ')}`
          : '';
      })
      .filter(Boolean);
    const fixes = causes.flatMap((c) => c.fix);
    const quoted = first.message
      ? ` ("${first.message.length > 200 ? `${first.message.slice(0, 200)}…` : first.message}")`
      : '';
    return {
      cause: causes[0]?.cause ?? 'scheduling',
      data: {
        ...base,
        because:
          `${causes.length > 0 ? ` — ${causes.map((c) => c.text).join('; ')}` : ''}${quoted}` || ' (no reason given)',
        causes: causes.map((c) => c.cause).join(','),
        requests: requests.length > 0 ? requests.join('; ') : undefined,
        fix1: fixes[0],
        fix2: fixes[1],
        fix3: fixes[2],
        fix4: fixes[3],
      },
      evidence,
      fixTarget: objRef(obj),
    };
  },
};
