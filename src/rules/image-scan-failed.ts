// image.scan-failed: the registry scan of an ImageRepository failed. The general scan failure:
// source.auth / source.unreachable / source.tls / source.secret-missing override it where they apply.
// What the message says is read by the catalogue (src/signals/patterns/image-reflector-controller.ts).

import { whereToChange } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import {
  type Classified,
  classify,
  current,
  evidenceOf,
  isFailing,
  listRefs,
  registryHost,
  show,
} from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { MessageTemplate, Rule } from './types.js';
import { describeCmd, eventsCmd, reconcileCmd } from './util.js';

/** The cause within image.scan-failed, from what the catalogue says the scan error is. */
function causeOf(c: Classified | undefined): string {
  switch (c?.code) {
    case 'image.scan-failed':
      return c.cause;
    case 'source.auth':
      return 'auth';
    case 'source.secret-missing':
      return 'secret';
    case 'source.tls':
      return 'tls';
    case 'source.unreachable':
      return 'unreachable';
    default:
      return 'scan-failed';
  }
}

const AFTER = ['Then scan again:', '{reconcile}', '{status}', '{events}'];
const POLICIES = 'ImagePolicies that cannot select new tags: {policies}';
const DOCKER_SECRET =
  'kubectl create secret docker-registry {sh:newSecret} -n {sh:namespace} --docker-server={sh:host} --docker-username=<user> --docker-password=<token>';

const MESSAGES: Record<string, MessageTemplate> = {
  'repository-not-found': {
    summary: `{object} cannot scan {image}: the repository does not exist in the registry (check spec.image); ${POLICIES}`,
    remediation: [
      'Check that the repository exists (or look in the registry UI):',
      'crane ls {sh:image}',
      'Fix spec.image of {object} (registry host and path, without a tag) in {where}',
      'If the repository is private, the registry may answer "not found" to anonymous requests: create a docker-registry Secret {newSecret} for {host} and set spec.secretRef.name: {newSecret}',
      ...AFTER,
    ],
  },
  'rate-limited': {
    summary: `{object} cannot scan {image}: the registry is rate-limiting the scans; ${POLICIES}`,
    remediation: [
      'Scans from {host} are rate-limited even with Secret {secret}: use an account with a higher limit',
      'Authenticate the scans with a new Secret {newSecret} to raise the rate limit:',
      DOCKER_SECRET,
      'Set spec.secretRef.name: {newSecret} on {object} in {where}',
      'Raise spec.interval of {object} (e.g. 10m) so it scans less often, in {where}',
      ...AFTER,
    ],
  },
  'image-url-invalid': {
    summary: `{object} cannot scan {image}: spec.image is not a valid image repository reference; ${POLICIES}`,
    remediation: [
      'Set spec.image of {object} to the repository only (e.g. {repositoryOnly}), without scheme or tag, in {where}',
      ...AFTER,
    ],
  },
  auth: {
    summary: `{object} cannot scan {image}: the registry rejected the credentials (or none were given); ${POLICIES}`,
    remediation: [
      'Check Secret {secret}: it must be a kubernetes.io/dockerconfigjson Secret with valid credentials for {host}; recreate it:',
      'kubectl create secret docker-registry {sh:secretName} -n {sh:namespace} --docker-server={sh:host} --docker-username=<user> --docker-password=<token> --dry-run=client -o yaml | kubectl apply -f -',
      'Give the scan credentials for {host} in a new Secret {newSecret}:',
      DOCKER_SECRET,
      'Set spec.secretRef.name: {newSecret} on {object} (or spec.provider: aws|azure|gcp for a cloud registry) in {where}',
      ...AFTER,
    ],
  },
  secret: {
    summary: `{object} cannot scan {image}: the Secret it uses for {host} is missing or unusable; ${POLICIES}`,
    remediation: [
      'Check Secret {secret}: it must exist in {namespace} and be a kubernetes.io/dockerconfigjson Secret with an entry for {host}:',
      'kubectl get secret {sh:secretName} -n {sh:namespace}',
      ...AFTER,
    ],
  },
  tls: {
    summary: `{object} cannot scan {image}: the TLS connection to the registry failed; ${POLICIES}`,
    remediation: [
      'Give the registry CA to the scan: a Secret with ca.crt referenced by spec.certSecretRef of {object} (or spec.insecure: true for a plain-HTTP registry), in {where}',
      ...AFTER,
    ],
  },
  unreachable: {
    summary: `{object} cannot scan {image}: the registry cannot be reached; ${POLICIES}`,
    remediation: [
      'Check that image-reflector-controller can reach {host}: DNS, proxy settings and NetworkPolicies in {fluxNamespace}',
      ...AFTER,
    ],
  },
  'scan-failed': {
    summary: `{object} cannot scan {image} ({reason}); ${POLICIES}`,
    remediation: [
      'Read the scan error and check spec.image ({image}) and spec.secretRef of {object}:',
      '{describe}',
      ...AFTER,
    ],
  },
};

/** The image without scheme and tag (what spec.image should be). */
function repositoryOnly(image: string): string {
  return image.replace(/^[a-z]+:\/\//, '').replace(/:[^/:]+$/, '');
}

export const rule: Rule = {
  meta: {
    code: 'image.scan-failed',
    severity: 'error',
    title: 'The registry scan failed',
    kinds: ['ImageRepository'],
    messages: MESSAGES,
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const c = classify(obj, graph);
    const signals = c?.signals ?? current(obj, graph).all;
    if (signals.length === 0) return undefined;
    const cause = causeOf(c);
    const image: string = typeof obj.spec?.image === 'string' ? obj.spec.image : '(spec.image not set)';
    const host = registryHost(image);
    const ns = obj.metadata.namespace ?? 'default';
    const secretName: string | undefined = obj.spec?.secretRef?.name;
    const policies = graph.in(obj, 'imageRepository').map((e) => e.from);
    const secretRef: ObjRef | undefined = secretName ? { kind: 'Secret', namespace: ns, name: secretName } : undefined;
    return {
      cause,
      data: {
        object: show(obj),
        image,
        host,
        namespace: ns,
        secret: secretRef ? `${ns}/${secretName}` : undefined,
        secretName,
        newSecret: secretName ? undefined : 'regcred',
        policies: policies.length > 0 ? listRefs(policies) : 'none',
        repositoryOnly: repositoryOnly(image),
        reason: signals[0]?.reason ?? 'scan failed',
        where: whereToChange(graph, obj),
        fluxNamespace: graph.fluxNamespace,
        reconcile: reconcileCmd(obj),
        describe: describeCmd(obj),
        events: eventsCmd(obj),
        status: statusCmd(obj),
      },
      evidence: evidenceOf(signals),
      fixTarget: (cause === 'auth' || cause === 'secret') && secretRef ? secretRef : objRef(obj),
    };
  },
};

function statusCmd(o: K8sObject): string {
  return `flux get image repository ${shq(o.metadata.name)}${nsArg(o.metadata.namespace)}`;
}
