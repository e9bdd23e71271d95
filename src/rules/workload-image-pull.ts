// workload.image-pull: a container image cannot be pulled (ErrImagePull, ImagePullBackOff,
// InvalidImageName, ErrImageNeverPull). Reported at the Deployment/StatefulSet/DaemonSet that owns
// the pods, or at a bare Pod.

import { applierOf, changeInGit, isApplied, titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import type { Rule } from './types.js';
import { show } from './util.js';
import {
  type ContainerInfo,
  confirmStep,
  containerEvidence,
  containersOf,
  inPods,
  isImagePull,
  kubectlName,
  podEventEvidence,
  reconcileOwnerStep,
  subjectOf,
  WORKLOAD_RULE_KINDS,
  whereDefined,
} from './workload-common.js';

// Why the pull failed, from the kubelet/runtime message (refinement only: the waiting reason decides).
// Messages: kubelet pkg/kubelet/images/image_manager.go `Failed to pull image %q: %v` and
// `Back-off pulling image %q`; the runtime error is containerd's / CRI-O's.
const CAUSES: { id: string; re: RegExp }[] = [
  { id: 'rate-limit', re: /toomanyrequests|429 Too Many Requests|pull rate limit/i },
  {
    id: 'auth',
    re: /unauthorized|authentication required|insufficient_scope|401 Unauthorized|403 Forbidden|denied: |no basic auth credentials/i,
  },
  { id: 'not-found', re: /not found|manifest unknown|NAME_UNKNOWN|repository does not exist|does not exist/i },
  { id: 'tls', re: /x509:|certificate signed by unknown authority|tls: failed to verify/i },
  { id: 'unreachable', re: /no such host|i\/o timeout|connection refused|dial tcp|network is unreachable/i },
];

function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

function causeOf(c: ContainerInfo, texts: string[]): string {
  const reason = c.status.state?.waiting?.reason;
  if (reason === 'InvalidImageName') return 'invalid-name';
  if (reason === 'ErrImageNeverPull') return 'never-pull';
  for (const cause of CAUSES) if (texts.some((t) => cause.re.test(t))) return cause.id;
  return 'unknown';
}

const CAUSE_TEXT: Record<string, string> = {
  'invalid-name': 'the image reference is not valid',
  'never-pull': 'imagePullPolicy is Never and the image is not on the node',
  'rate-limit': 'the registry rate-limits anonymous pulls',
  auth: 'the registry refused the pull credentials (or none were given)',
  'not-found': 'the image or tag does not exist (or is private)',
  tls: 'the registry certificate is not trusted',
  unreachable: 'the registry cannot be reached from the node',
  unknown: 'the pull fails',
};

export const rule: Rule = {
  meta: {
    code: 'workload.image-pull',
    severity: 'error',
    title: 'A container image cannot be pulled',
    kinds: WORKLOAD_RULE_KINDS,
    overrides: ['workload.not-ready'],
    docs: {
      description:
        'A container of the workload cannot start because the kubelet cannot pull its image: the tag does not exist, the repository is private and no (or wrong) `imagePullSecrets` are set, the registry rate-limits or cannot be reached, or the image reference is malformed. The pods stay in `ErrImagePull` / `ImagePullBackOff`, the rollout never completes, and a Kustomization health check or HelmRelease install/upgrade that waits for the workload times out: fluxdoctor reports this workload as the root cause of those.',
      detection:
        'For a Deployment, StatefulSet or DaemonSet, its pods are looked up through ownerReferences (a Pod owned by one of them gets no finding of its own; a bare Pod does). A container whose `state.waiting.reason` is `ErrImagePull`, `ImagePullBackOff`, `InvalidImageName` or `ErrImageNeverPull` triggers it. The kubelet\'s messages (`Back-off pulling image "<image>"`, events `Failed to pull image "<image>": <runtime error>`) refine the cause: `not found` / `manifest unknown`, `unauthorized` / `insufficient_scope`, `toomanyrequests`, `x509`, `no such host`.',
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
    const ns = obj.metadata.namespace ?? 'default';
    const registry = registryOf(image);
    const images = [...new Set(bad.map((c) => c.image).filter(Boolean))];

    const steps: string[] = [
      ...titled(
        `See why ${image} cannot be pulled`,
        `kubectl -n ${shq(ns)} describe pod ${shq(first.pod.metadata.name)}`,
      ),
    ];
    const createPullSecret = `kubectl -n ${shq(ns)} create secret docker-registry regcred --docker-server=${shq(registry)} --docker-username=<user> --docker-password=<token>`;
    // Where the pods get the pull secret: the chart values of a HelmRelease, the pod template in Git.
    const usePullSecret = (when?: string) =>
      applierOf(graph, obj)?.kind === 'HelmRelease'
        ? changeInGit(graph, obj, `give the pods of ${show(obj)} the pull secret regcred`, {
            values: 'imagePullSecrets: [{name: regcred}]',
            when,
          })
        : changeInGit(
            graph,
            obj,
            `set ${obj.kind === 'Pod' ? 'spec' : 'spec.template.spec'}.imagePullSecrets: [{name: regcred}] on ${show(obj)}`,
            { when },
          );
    switch (cause) {
      case 'not-found':
        steps.push(
          ...titled(
            `Check that ${image} exists in ${registry} (or look in the registry UI)`,
            `crane ls ${shq(image.replace(/[:@].*$/, ''))}`,
          ),
          `Fix the name or tag in ${whereDefined(subject, graph)}`,
        );
        steps.push(
          ...titled('If the repository is private, create a pull secret', createPullSecret),
          ...usePullSecret(),
        );
        break;
      case 'auth':
        steps.push(...titled(`Create or fix the pull secret for ${registry}`, createPullSecret));
        steps.push(...usePullSecret());
        break;
      case 'rate-limit':
        steps.push(
          ...titled(`Authenticate pulls from ${registry} with a pull secret`, createPullSecret),
          ...usePullSecret(),
          `Or mirror ${image} to a registry you control`,
        );
        break;
      case 'invalid-name':
        steps.push(`Fix the image reference "${image}" (registry/repository:tag) in ${whereDefined(subject, graph)}`);
        break;
      case 'never-pull':
        steps.push(
          `Set imagePullPolicy to IfNotPresent (or pre-load ${image} on the nodes) in ${whereDefined(subject, graph)}`,
        );
        break;
      case 'tls':
        steps.push(`Make the nodes' container runtime trust the CA of ${registry} (or fix the registry certificate)`);
        break;
      case 'unreachable':
        steps.push(`Check that the nodes can resolve and reach ${registry} (DNS, proxy, firewall)`);
        break;
      default:
        steps.push(`Fix the image ${image} in ${whereDefined(subject, graph)}`);
    }
    // A kubectl set image of an object Flux applies is reverted: offered only for what Flux does not apply.
    if (obj.kind !== 'Pod' && !isApplied(graph, obj))
      steps.push(
        ...titled(
          `${show(obj)} is not applied by Flux: to change the image in place`,
          `kubectl -n ${shq(ns)} set image ${kubectlName(obj)} ${shq(`${first.name}=`)}<fixed image>`,
        ),
      );
    const rec = reconcileOwnerStep(subject, graph);
    if (rec) steps.push(...titled('After committing the fix', rec));
    steps.push(confirmStep(subject));

    const reason = first.status.state?.waiting?.reason;
    return {
      summary: `${obj.kind} ${ns}/${obj.metadata.name} cannot pull image ${images.map((i) => `"${i}"`).join(', ')} (${reason}${inPods(subject, badPods)}, container ${first.name}): ${CAUSE_TEXT[cause]}`,
      evidence: [...bad.slice(0, 3).map(containerEvidence), ...events],
      remediation: steps,
      fixTarget: { kind: obj.kind, namespace: ns, name: obj.metadata.name },
    };
  },
};
