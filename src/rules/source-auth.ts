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
