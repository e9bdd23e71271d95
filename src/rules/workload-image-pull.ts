// workload.image-pull: a container image cannot be pulled (ErrImagePull, ImagePullBackOff,
// InvalidImageName, ErrImageNeverPull). Reported at the Deployment/StatefulSet/DaemonSet/Job that owns
// the pods, or at a bare Pod. The waiting reason decides; the kubelet/runtime message refines the cause
// by the catalogue (src/signals/patterns/kubernetes.ts, `kubernetes/image-pull-*`).

import { applierOf, changeInGit, isApplied } from '../render/advice.js';
import { shq } from '../render/shell.js';
import { classifyText } from '../signals/match.js';
import { ALL_PATTERNS } from '../signals/patterns/index.js';
import {
  type ContainerInfo,
  containerEvidence,
  containersOf,
  isImagePull,
  podEventEvidence,
  podsPhrase,
  subjectOf,
  WORKLOAD_RULE_KINDS,
} from '../signals/workloads.js';
import type { MessageTemplate, Rule } from './types.js';
import { show, workloadData } from './util.js';

const CODE = 'workload.image-pull';
const PULL_PATTERNS = ALL_PATTERNS.filter((p) => p.code === CODE);

function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

/** The cause: the waiting reason when it tells, else the innermost catalogue match in the pull texts. */
function causeOf(c: ContainerInfo, texts: string[]): string {
  const reason = c.status.state?.waiting?.reason;
  if (reason === 'InvalidImageName') return 'invalid-name';
  if (reason === 'ErrImageNeverPull') return 'never-pull';
  for (const t of texts) {
    const m = classifyText(t, PULL_PATTERNS);
    if (m) return m.pattern.cause;
  }
  return 'unknown';
}

const SEE = ['See why {image} cannot be pulled:', 'kubectl -n {sh:namespace} describe pod {sh:pod}'];
const PULL_SECRET = [
  'Create or fix the pull secret for {registry}:',
  'kubectl -n {sh:namespace} create secret docker-registry regcred --docker-server={sh:registry} --docker-username=<user> --docker-password=<token>',
  '{usePullSecret}',
];
const TAIL = [
  '{unmanaged} is not applied by Flux: to change the image in place:',
  '{setImage}',
  'After committing the fix, reconcile {owner}:',
  '{reconcile}',
  '{confirm}',
];
const SUMMARY = (what: string) =>
  `{kind} {namespace}/{name} cannot pull image {images} ({state}, container {container}): ${what}`;
const MESSAGES: Record<string, MessageTemplate> = {
  'not-found': {
    summary: SUMMARY('the image or tag does not exist (or is private)'),
    remediation: [
      ...SEE,
      'Check that {image} exists in {registry} (or look in the registry UI):',
      'crane ls {sh:repository}',
      'Fix the name or tag in {where}',
      ...PULL_SECRET.map((l) =>
        l.replace(
          'Create or fix the pull secret for {registry}:',
          'If the repository is private, create a pull secret:',
        ),
      ),
      ...TAIL,
    ],
  },
  auth: {
    summary: SUMMARY('the registry refused the pull credentials (or none were given)'),
    remediation: [...SEE, ...PULL_SECRET, ...TAIL],
  },
  'rate-limit': {
    summary: SUMMARY('the registry rate-limits anonymous pulls'),
    remediation: [
      ...SEE,
      ...PULL_SECRET.map((l) =>
        l.replace(
          'Create or fix the pull secret for {registry}:',
          'Authenticate pulls from {registry} with a pull secret:',
        ),
      ),
      'Or mirror {image} to a registry you control',
      ...TAIL,
    ],
  },
  'invalid-name': {
    summary: SUMMARY('the image reference is not valid'),
    remediation: [...SEE, 'Fix the image reference "{image}" (registry/repository:tag) in {where}', ...TAIL],
  },
  'never-pull': {
    summary: SUMMARY('imagePullPolicy is Never and the image is not on the node'),
    remediation: [...SEE, 'Set imagePullPolicy to IfNotPresent (or pre-load {image} on the nodes) in {where}', ...TAIL],
  },
  tls: {
    summary: SUMMARY('the registry certificate is not trusted'),
    remediation: [
      ...SEE,
      "Make the nodes' container runtime trust the CA of {registry} (or fix the registry certificate)",
      ...TAIL,
    ],
  },
  unreachable: {
    summary: SUMMARY('the registry cannot be reached from the node'),
    remediation: [...SEE, 'Check that the nodes can resolve and reach {registry} (DNS, proxy, firewall)', ...TAIL],
  },
  unknown: {
    summary: SUMMARY('the pull fails'),
    remediation: [...SEE, 'Fix the image {image} in {where}', ...TAIL],
  },
};

export const rule: Rule = {
  meta: {
    code: 'workload.image-pull',
    severity: 'error',
    title: 'A container image cannot be pulled',
    kinds: WORKLOAD_RULE_KINDS,
    overrides: ['workload.not-ready'],
    messages: MESSAGES,
    docs: {
      description:
        'A container of the workload cannot start because the kubelet cannot pull its image: the tag does not exist, the repository is private and no (or wrong) `imagePullSecrets` are set, the registry rate-limits or cannot be reached, or the image reference is malformed. The pods stay in `ErrImagePull` / `ImagePullBackOff`, the rollout never completes, and a Kustomization health check or HelmRelease install/upgrade that waits for the workload times out: fluxdoctor reports this workload as the root cause of those.',
      detection:
        'For a Deployment, StatefulSet, DaemonSet or Job, its pods are looked up through ownerReferences (a Pod owned by one of them gets no finding of its own; a bare Pod does). A container whose `state.waiting.reason` is `ErrImagePull`, `ImagePullBackOff`, `InvalidImageName` or `ErrImageNeverPull` triggers it. The kubelet\'s messages (`Back-off pulling image "<image>"`, events `Failed to pull image "<image>": <runtime error>`) refine the cause: `not found` / `manifest unknown`, `unauthorized` / `insufficient_scope`, `toomanyrequests`, `x509`, `no such host`; these patterns live in src/signals/patterns/kubernetes.ts (`kubernetes/image-pull-*`), the innermost match wins.',
      fix: [
        '- Read the exact error: `kubectl -n <namespace> describe pod <pod>` (events `Failed to pull image ...`).',
        '- **Tag or name wrong**: fix the image in Git (or in the HelmRelease values) and let Flux apply it; a `kubectl set image` is reverted by the next reconciliation.',
        '- **Private registry**: create a pull secret (`kubectl create secret docker-registry`) and reference it in `spec.template.spec.imagePullSecrets` or on the service account.',
        '- **Rate limit**: authenticate pulls with a pull secret, or mirror the image.',
        '- **Unreachable / TLS**: check the node’s DNS, proxy and registry CA.',
      ].join('\n'),
      commands: [
        'kubectl -n <namespace> get pods -o wide',
        'kubectl -n <namespace> describe pod <pod>',
        "kubectl -n <namespace> get deployment <name> -o jsonpath='{.spec.template.spec.containers[*].image}'",
        'kubectl -n <namespace> rollout status deployment/<name>',
      ],
      examples: [
        {
          message: 'Back-off pulling image "gcr.io/deis-sandbox/tiller:canary"',
          source:
            'kubelet pkg/kubelet/images/image_manager.go (waiting message of ImagePullBackOff); https://github.com/helm/helm/issues/623',
        },
        {
          message:
            'Failed to pull image "controller:latest": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/controller:latest": failed to resolve reference "docker.io/library/controller:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
          source: 'https://github.com/pfnet/image-pull-secrets-provisioner/issues/31',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const subject = subjectOf(obj, graph);
    if (!subject) return undefined;
    const bad: ContainerInfo[] = [];
    for (const p of subject.pods) for (const c of containersOf(p)) if (isImagePull(c)) bad.push(c);
    if (bad.length === 0) return undefined;

    const first = bad[0]!;
    const image = first.image ?? '(unknown image)';
    const badPods = [...new Set(bad.map((c) => c.pod))];
    const events = podEventEvidence(badPods, graph, {
      pattern:
        /Failed to pull image|Back-off pulling image|InvalidImageName|Error: (ErrImagePull|ImagePullBackOff)|is not present with pull policy of Never|couldn't parse image/,
    });
    const texts = [...bad.map((c) => c.status.state?.waiting?.message ?? ''), ...events.map((e) => e.text)];
    const cause = causeOf(first, texts);
    const base = workloadData(obj, graph);
    const images = [...new Set(bad.map((c) => c.image).filter(Boolean))];
    const reason = first.status.state?.waiting?.reason;
    // Where the pods get the pull secret: the chart values of a HelmRelease, the pod template in Git.
    const usePullSecret =
      applierOf(graph, obj)?.kind === 'HelmRelease'
        ? changeInGit(graph, obj, `give the pods of ${show(obj)} the pull secret regcred`, {
            values: 'imagePullSecrets: [{name: regcred}]',
          })[0]
        : changeInGit(
            graph,
            obj,
            `set ${obj.kind === 'Pod' ? 'spec' : 'spec.template.spec'}.imagePullSecrets: [{name: regcred}] on ${show(obj)}`,
          )[0];
    // A kubectl set image of an object Flux applies is reverted: offered only for what Flux does not apply.
    const unmanaged = obj.kind !== 'Pod' && !isApplied(graph, obj);
    return {
      cause,
      data: {
        ...base,
        image,
        images: images.map((i) => `"${i}"`).join(', '),
        repository: image.replace(/[:@].*$/, ''),
        registry: registryOf(image),
        reason,
        state: `${reason}${obj.kind === 'Pod' ? '' : ` in ${podsPhrase(badPods, subject.pods)}`}`,
        container: first.name,
        pod: first.pod.metadata.name,
        usePullSecret,
        unmanaged: unmanaged ? show(obj) : undefined,
        setImage: unmanaged
          ? `kubectl -n ${shq(base.namespace!)} set image ${obj.kind.toLowerCase()}/${shq(obj.metadata.name)} ${shq(`${first.name}=`)}<fixed image>`
          : undefined,
      },
      evidence: [...bad.slice(0, 3).map(containerEvidence), ...events],
      fixTarget: { kind: obj.kind, namespace: base.namespace, name: obj.metadata.name },
    };
  },
};
