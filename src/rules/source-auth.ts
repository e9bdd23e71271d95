// source.auth: the remote rejected the credentials, or none were given where needed (SSH handshake,
// 401/403, unknown or changed SSH host key).

import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq, shqOr } from '../render/shell.js';
import type { K8sObject, ObjRef } from '../types.js';
import {
  AUTH_PATTERNS,
  anyMatch,
  chartSourceRef,
  conditionFirst,
  createSecretCommand,
  fetcherOf,
  isFailing,
  PROXY_CONFIG,
  REF_PATTERNS,
  remoteHost,
  SECRET_KEYS_MISSING,
  SECRET_NOT_FOUND,
  type SecretUse,
  TLS_PATTERNS,
  uniqueEvidence,
  urlOf,
  usesProvider,
} from './source-common.js';
import type { RawFinding, Rule } from './types.js';
import { describeCmd, reconcileCmd, show } from './util.js';

const KNOWN_HOSTS = [/knownhosts: key (?:mismatch|is unknown)/];
const SSH_REJECTED = [
  /unable to authenticate, attempted methods/,
  /no supported methods remain/,
  /Permission denied \(publickey/,
];
const REPO_NOT_FOUND = [/repository not found/];

export const rule: Rule = {
  meta: {
    code: 'source.auth',
    severity: 'error',
    title: 'The remote rejected the credentials, or none were given',
    kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'ImageRepository', 'HelmChart'],
    overrides: ['image.scan-failed'],
    docs: {
      description:
        "The source reached its remote (Git server, Helm repository, OCI registry, object storage) but the remote refused access: the credentials in the referenced Secret are wrong, expired or lack read permission, no credentials were configured for a private remote, the cloud workload identity (`spec.provider`) is not allowed to read, or, for SSH, the server's host key is not the one in `known_hosts`. The controller keeps retrying with backoff; nothing downstream gets a new revision.",
      detection: [
        'The source is failing (Ready=False) and its failing condition has:',
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
    if (!isFailing(obj, graph)) return undefined;
    const signals = conditionFirst(obj, graph, {
      reasons: ['AuthenticationFailed'],
      patterns: AUTH_PATTERNS,
      exclude: [...SECRET_NOT_FOUND, ...SECRET_KEYS_MISSING, ...TLS_PATTERNS, ...PROXY_CONFIG, ...REF_PATTERNS],
    });
    if (signals.length === 0) return undefined;

    // What fetches: the object, or a HelmChart's HelmRepository.
    const fetcher: K8sObject = fetcherOf(obj, graph);
    const viaRepo = fetcher !== obj;
    const repoRef: ObjRef | undefined = obj.kind === 'HelmChart' ? chartSourceRef(obj, graph) : undefined;
    const url = urlOf(fetcher);
    const host = remoteHost(fetcher) ?? 'the remote';
    const secretName: string | undefined = fetcher.spec?.secretRef?.name;
    const ns = fetcher.metadata.namespace;
    const secretRef: ObjRef | undefined = secretName ? { kind: 'Secret', namespace: ns, name: secretName } : undefined;
    const provider = usesProvider(fetcher);
    const use: SecretUse | undefined = secretRef
      ? { ref: secretRef, field: 'spec.secretRef', owner: fetcher }
      : undefined;
    const subject = viaRepo ? `${show(obj)} (via ${show(fetcher)})` : show(obj);
    const what = url ? `${url}` : host;

    let summary: string;
    let fixTarget: ObjRef | undefined = secretRef ?? (repoRef && !viaRepo ? repoRef : objRefOf(fetcher));
    const steps: string[] = [];
    if (anyMatch(signals, KNOWN_HOSTS)) {
      const mismatch = signals.some((s) => /key mismatch/.test(s.text));
      summary = `${subject}: the SSH host key of ${host} ${mismatch ? 'does not match' : 'is not in'} the known_hosts of ${secretRef ? show(secretRef) : 'its Secret'}`;
      steps.push(...titled(`See the host key ${host} presents now`, `ssh-keyscan ${shq(host)}`));
      steps.push(
        ...titled(
          `Re-scan the host key of ${host} and update known_hosts in ${secretRef ? show(secretRef) : 'the Secret'} (this command does both)`,
          use
            ? createSecretCommand(use)
            : `flux create secret git <name>${nsArg(ns)} --url=${shqOr(url, '<url>')} --private-key-file=./identity`,
        ),
      );
    } else if (anyMatch(signals, SSH_REJECTED)) {
      summary = `${subject}: ${host} rejected the SSH key in ${secretRef ? show(secretRef) : 'its Secret'}`;
      steps.push(
        `Add the public key of ${secretRef ? show(secretRef) : 'the Secret'} (identity.pub) as a deploy key with read access on ${what}`,
        ...titled('Or re-create the key pair', use ? createSecretCommand(use) : 'flux create secret git …'),
      );
    } else if (provider && !secretRef) {
      summary = `${subject}: ${host} refused the ${provider} workload identity used to read ${what}`;
      steps.push(
        `Grant the cloud identity bound to ${fetcher.spec?.serviceAccountName ? `ServiceAccount ${ns}/${fetcher.spec.serviceAccountName}` : `the ${graph.fluxNamespace} controller's ServiceAccount`} read access to ${what} (${provider} IAM), and check the ServiceAccount's identity annotations`,
      );
    } else if (!secretRef) {
      summary = `${subject}: ${host} requires credentials to read ${what}, and ${show(fetcher)} has no spec.secretRef`;
      const newUse: SecretUse = {
        ref: { kind: 'Secret', namespace: ns, name: `${fetcher.metadata.name}-auth` },
        field: 'spec.secretRef',
        owner: fetcher,
      };
      steps.push(...titled(`Create a Secret with credentials that can read ${what}`, createSecretCommand(newUse)));
      steps.push(...changeInGit(graph, fetcher, `set spec.secretRef.name: ${newUse.ref.name} on ${show(fetcher)}`));
      fixTarget = objRefOf(fetcher);
    } else if (anyMatch(signals, REPO_NOT_FOUND)) {
      summary = `${subject}: ${host} answered "repository not found" for ${what}: the credentials in ${show(secretRef)} cannot see the repository (or the URL is wrong)`;
      steps.push(
        ...titled(
          `Check the URL, then give the token/key in ${show(secretRef)} read access to the repository and re-create the Secret`,
          createSecretCommand(use!),
        ),
      );
    } else {
      summary = `${subject}: ${host} rejected the credentials in ${show(secretRef)} for ${what}`;
      steps.push(
        ...titled(
          `Replace the credentials in ${show(secretRef)} with ones that can read ${what} (expired or revoked token, wrong password, missing read scope)`,
          createSecretCommand(use!),
        ),
      );
    }
    if (viaRepo) steps.push(reconcileCmd(fetcher));
    steps.push(reconcileCmd(obj));
    steps.push(describeCmd(obj));

    const finding: RawFinding = { summary, evidence: uniqueEvidence(signals), remediation: steps, fixTarget };
    if (obj.kind === 'HelmChart') finding.explainedBy = ['source'];
    return finding;
  },
};

function objRefOf(o: K8sObject): ObjRef {
  return { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
}
