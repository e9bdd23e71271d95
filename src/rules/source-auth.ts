// source.auth: the remote rejected the credentials, or none were given where needed (SSH handshake,
// 401/403, unknown or changed SSH host key). What the message says is read by the catalogue
// (src/signals/patterns/source-controller.ts, go-git.ts, image-reflector-controller.ts).

import { whereToChange } from '../render/advice.js';
import {
  chartSourceRef,
  evidenceOf,
  fetcherOf,
  remoteHost,
  show,
  showsFailure,
  signalFor,
  urlOf,
  usesProvider,
} from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import { createSecretCommand } from './source-secret-missing.js';
import type { MessageTemplate, RawFinding, Rule } from './types.js';
import { describeCmd, reconcileCmd } from './util.js';

const HOST_KEY = new Set(['host-key-mismatch', 'host-key-unknown', 'host-key-verification-failed']);
const SSH_REJECTED = new Set(['ssh-key-rejected', 'ssh-algorithm-mismatch', 'libgit2-auth-failed']);

const AFTER = ['{reconcileFetcher}', '{reconcile}', '{describe}'];

const MESSAGES: Record<string, MessageTemplate> = {
  'host-key': {
    summary: '{subject}: the SSH host key of {host} {hostKeyState} the known_hosts of {secretOr}',
    remediation: [
      'See the host key {host} presents now:',
      'ssh-keyscan {sh:host}',
      'Re-scan the host key of {host} and update known_hosts in {secretOr} (this command does both):',
      '{secretCmd}',
      ...AFTER,
    ],
  },
  'ssh-rejected': {
    summary: '{subject}: {host} rejected the SSH key in {secretOr}',
    remediation: [
      'Add the public key of {secretOr} (identity.pub) as a deploy key with read access on {what}',
      'Or re-create the key pair:',
      '{secretCmd}',
      ...AFTER,
    ],
  },
  provider: {
    summary: '{subject}: {host} refused the {provider} workload identity used to read {what}',
    remediation: [
      "Grant the cloud identity bound to {identity} read access to {what} ({provider} IAM), and check the ServiceAccount's identity annotations",
      ...AFTER,
    ],
  },
  'no-credentials': {
    summary: '{subject}: {host} requires credentials to read {what}, and {fetcher} has no spec.secretRef',
    remediation: [
      'Create a Secret with credentials that can read {what}:',
      '{secretCmd}',
      'Set spec.secretRef.name: {newSecret} on {fetcher} in {where}',
      ...AFTER,
    ],
  },
  'repository-not-found': {
    summary:
      '{subject}: {host} answered "repository not found" for {what}: the credentials in {secret} cannot see the repository (or the URL is wrong)',
    remediation: [
      'Check the URL, then give the token/key in {secret} read access to the repository and re-create the Secret:',
      '{secretCmd}',
      ...AFTER,
    ],
  },
  rejected: {
    summary: '{subject}: {host} rejected the credentials in {secret} for {what}',
    remediation: [
      'Replace the credentials in {secret} with ones that can read {what} (expired or revoked token, wrong password, missing read scope):',
      '{secretCmd}',
      ...AFTER,
    ],
  },
};

export const rule: Rule = {
  meta: {
    code: 'source.auth',
    severity: 'error',
    title: 'The remote rejected the credentials, or none were given',
    kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'ImageRepository', 'HelmChart'],
    overrides: ['image.scan-failed'],
    messages: MESSAGES,
    docs: {
      description:
        "The source reached its remote (Git server, Helm repository, OCI registry, object storage) but the remote refused access: the credentials in the referenced Secret are wrong, expired or lack read permission, no credentials were configured for a private remote, the cloud workload identity (`spec.provider`) is not allowed to read, or, for SSH, the server's host key is not the one in `known_hosts`. The controller keeps retrying with backoff; nothing downstream gets a new revision.",
      detection: [
        'The message patterns and reasons live in src/signals/patterns/source-controller.ts, go-git.ts and image-reflector-controller.ts. The source is failing (Ready=False) and its failing condition has:',
        '- reason `AuthenticationFailed` (source-controller `FetchFailed`/`Ready`, image-reflector-controller `Ready`), or',
        "- a message with the remote's refusal: go-git `authentication required`, `authorization failed`, `repository not found`; SSH `ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain`, `knownhosts: key mismatch`, `knownhosts: key is unknown`; HTTP `401 Unauthorized` / `403 Forbidden`; registry `UNAUTHORIZED`, `DENIED`, `unexpected status code 401 Unauthorized`; S3 `Access Denied.`, `The Access Key Id you provided does not exist in our records.`; HelmChart `failed to authenticate with the Helm repository: …`.",
        'Messages that mean a missing Secret or key (`source.secret-missing`), a certificate problem (`source.tls`) or a proxy configuration error are excluded, although source-controller reports them with the same `AuthenticationFailed` reason.',
        'For a HelmChart the finding is explained by its HelmRepository when that is failing too.',
      ].join('\n'),
      fix: [
        '- **HTTPS Git / Helm / OCI / S3**: the token or password was revoked, expired or has no read access. Create a new one with read access to the repository and re-create the Secret (`flux create secret git|helm|oci …`, `kubectl create secret generic …` for buckets).',
        '- **No credentials** (`spec.secretRef` not set) for a private remote: create a Secret and set `spec.secretRef.name`.',
        '- **SSH key rejected**: add the public key (`identity.pub`) as a deploy key with read access, or re-create the Secret with `flux create secret git <name> --url=ssh://… --private-key-file=…`.',
        "- **`knownhosts: key mismatch` / `key is unknown`**: the server's host key is not in the Secret's `known_hosts` (the host key changed, or the host/port differs). Re-scan it (`ssh-keyscan <host>`; `flux create secret git` does this) and update `known_hosts`.",
        '- **`repository not found`**: many Git hosts answer so for private repositories when the credentials are missing or lack access; otherwise the URL is wrong.',
        "- **Cloud identity (`spec.provider: aws|azure|gcp`)**: grant the controller's (or `spec.serviceAccountName`'s) cloud identity read access to the registry or bucket.",
        '- Then reconcile the source.',
      ].join('\n'),
      commands: [
        'flux get sources all -A --status-selector ready=false',
        'kubectl describe gitrepository <name> -n <namespace>',
        "kubectl get secret <secret> -n <namespace> -o jsonpath='{.data}' | jq 'keys'",
        'git ls-remote <url>   # with the same credentials, from a machine that can reach the host',
        'flux reconcile source git <name> -n <namespace>',
      ],
      examples: [
        {
          message:
            "failed to checkout and determine revision: unable to clone 'https://github.com/org/private': authentication required",
          source:
            'fluxcd/source-controller gitCheckout + fluxcd/pkg git/gogit/clone.go; https://github.com/fluxcd/source-controller/issues/1275',
        },
        {
          message:
            "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/org/repo': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain",
          source:
            'https://github.com/fluxcd/flux2/issues/826 (inner error), wrapping from source-controller gitCheckout',
        },
        {
          message:
            'failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch https://artifactory.mydomain.com/artifactory/helm-charts-test/index.yaml : 403 Forbidden',
          source: 'https://github.com/fluxcd/source-controller/issues/976',
        },
        {
          message:
            'scan failed: GET https://XXXXXXXX.dkr.ecr.us-east-2.amazonaws.com/v2/XXXXXXXX/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized',
          source: 'https://github.com/fluxcd/image-reflector-controller/issues/399',
        },
        {
          message: "failed to confirm existence of 'fluxcd' bucket: Access Denied.",
          source: 'https://github.com/fluxcd/source-controller/issues/954',
        },
      ],
    },
  },
  check(obj, { graph }) {
    // A suspended source whose condition still shows the failure is reported too (see showsFailure).
    if (!showsFailure(obj, graph)) return undefined;
    const c = signalFor(obj, graph, 'source.auth');
    if (!c) return undefined;

    // What fetches: the object, or a HelmChart's HelmRepository.
    const fetcher: K8sObject = fetcherOf(obj, graph);
    const viaRepo = fetcher !== obj;
    const repoRef: ObjRef | undefined = obj.kind === 'HelmChart' ? chartSourceRef(obj, graph) : undefined;
    const url = urlOf(fetcher);
    const host = remoteHost(fetcher) ?? c.data.host ?? 'the remote';
    const secretName: string | undefined = fetcher.spec?.secretRef?.name;
    const ns = fetcher.metadata.namespace;
    const secretRef: ObjRef | undefined = secretName ? { kind: 'Secret', namespace: ns, name: secretName } : undefined;
    const provider = usesProvider(fetcher);
    const newSecret = `${fetcher.metadata.name}-auth`;
    const secretCmd = createSecretCommand({
      ref: secretRef ?? { kind: 'Secret', namespace: ns, name: newSecret },
      field: 'spec.secretRef',
      owner: fetcher,
    });

    const cause = HOST_KEY.has(c.cause)
      ? 'host-key'
      : SSH_REJECTED.has(c.cause)
        ? 'ssh-rejected'
        : provider && !secretRef
          ? 'provider'
          : !secretRef
            ? 'no-credentials'
            : c.cause === 'repository-not-found'
              ? 'repository-not-found'
              : 'rejected';
    const fixTarget: ObjRef | undefined =
      cause === 'no-credentials' || cause === 'provider'
        ? objRef(fetcher)
        : (secretRef ?? (repoRef && !viaRepo ? repoRef : objRef(fetcher)));
    const finding: RawFinding = {
      cause,
      data: {
        subject: viaRepo ? `${show(obj)} (via ${show(fetcher)})` : show(obj),
        host,
        what: url ?? host,
        fetcher: show(fetcher),
        secret: secretRef ? show(secretRef) : undefined,
        secretOr: secretRef ? show(secretRef) : 'its Secret',
        secretCmd,
        newSecret: secretRef ? undefined : newSecret,
        hostKeyState: c.cause === 'host-key-mismatch' ? 'does not match' : 'is not in',
        provider,
        identity: fetcher.spec?.serviceAccountName
          ? `ServiceAccount ${ns}/${fetcher.spec.serviceAccountName}`
          : `the ${graph.fluxNamespace} controller's ServiceAccount`,
        where: whereToChange(graph, fetcher),
        reconcileFetcher: viaRepo ? reconcileCmd(fetcher) : undefined,
        reconcile: reconcileCmd(obj),
        describe: describeCmd(obj),
      },
      evidence: evidenceOf(c.signals),
      fixTarget,
    };
    if (obj.kind === 'HelmChart') finding.explainedBy = ['source'];
    return finding;
  },
};
