// source.ref-not-found: the branch, tag, semver range, commit or OCI tag does not exist at the remote.

import { changeInGit, titled } from '../render/advice.js';
import { shqOr } from '../render/shell.js';
import type { K8sObject } from '../types.js';
import {
  AUTH_PATTERNS,
  conditionFirst,
  describeRef,
  isFailing,
  REF_PATTERNS,
  TLS_PATTERNS,
  UNREACHABLE_PATTERNS,
  uniqueEvidence,
  urlOf,
} from './source-common.js';
import type { Rule } from './types.js';
import { describeCmd, reconcileCmd, show } from './util.js';

/** What the message says is missing, when it names it. */
function missingFromMessage(text: string): { what: string; value: string } | undefined {
  let m = /couldn't find remote ref \\?"refs\/(heads|tags)\/([^"\\]+)\\?"/.exec(text);
  if (m) return { what: m[1] === 'heads' ? 'branch' : 'tag', value: m[2]! };
  m = /couldn't find remote ref \\?"([^"\\]+)\\?"/.exec(text);
  if (m) return { what: 'ref', value: m[1]! };
  m = /no match found for semver: (.+?)$/.exec(text);
  if (m) return { what: 'semver range', value: m[1]!.trim() };
  m = /unable to resolve commit object for '([^']+)'/.exec(text);
  if (m) return { what: 'commit', value: m[1]! };
  m = /unable to resolve ref '([^']+)'/.exec(text);
  if (m) return { what: 'ref', value: m[1]! };
  m = /\/manifests\/([^\s:]+): MANIFEST_UNKNOWN/.exec(text);
  if (m) return { what: m[1]!.startsWith('sha256') ? 'digest' : 'tag', value: m[1]! };
  if (/NAME_UNKNOWN/.test(text)) return { what: 'repository', value: '' };
  return undefined;
}

function listCommand(obj: K8sObject, what: string): string {
  const raw = urlOf(obj);
  const url = shqOr(raw, '<url>');
  if (obj.kind === 'GitRepository') {
    if (what === 'tag' || what === 'semver range') return `git ls-remote --tags ${url}`;
    if (what === 'commit') return `git ls-remote ${url}`;
    return `git ls-remote --heads ${url}`;
  }
  return `flux list artifacts ${url}`;
}

export const rule: Rule = {
  meta: {
    code: 'source.ref-not-found',
    severity: 'error',
    title: 'The branch, tag, semver range, commit or OCI tag does not exist',
    kinds: ['GitRepository', 'OCIRepository'],
    docs: {
      description:
        'The remote was reached and accepted the credentials, but the reference in `spec.ref` does not exist there: the branch was deleted or renamed (a GitRepository without `spec.ref` asks for `master`), the tag was never pushed, no tag satisfies the semver range (or its `semverFilter`), the commit is not reachable, or the OCI artifact tag/digest is not in the registry. The controller keeps the last artifact (if any) and retries.',
      detection: [
        'The source is failing (Ready=False) and its failing condition message is one of:',
        "- go-git via fluxcd/pkg: `failed to checkout and determine revision: unable to clone '<url>': couldn't find remote ref \"refs/heads/<branch>\"` (or `refs/tags/<tag>`), `no match found for semver: <range>`, `unable to resolve commit object for '<sha>': object not found`, `unable to resolve ref '<ref>' to a specific commit`;",
        "- OCIRepository: `failed to determine the artifact tag for 'oci://…': no match found for semver: <range>` (reason `ReadOperationFailed`), `failed to determine artifact digest: GET https://<registry>/v2/<repo>/manifests/<tag>: MANIFEST_UNKNOWN: manifest unknown` (reason `OCIPullFailed`), or `NAME_UNKNOWN` when the repository itself is unknown.",
        'Messages that show an authentication, TLS or network error are left to those codes.',
      ].join('\n'),
      fix: [
        '- List what exists at the remote (`git ls-remote --heads|--tags <url>`, `flux list artifacts oci://…`) and correct `spec.ref` (branch, tag, semver, commit, name, digest).',
        '- A GitRepository without `spec.ref` uses `master`: set `spec.ref.branch: main` if that is the default branch.',
        '- If the ref should exist, push it (or fix the CI job that publishes the tag/artifact).',
        '- Then reconcile the source.',
      ].join('\n'),
      commands: [
        'git ls-remote --heads --tags <url>',
        'flux list artifacts oci://<registry>/<repository>',
        "kubectl get gitrepository <name> -n <namespace> -o jsonpath='{.spec.ref}'",
        'flux reconcile source git <name> -n <namespace>',
      ],
      examples: [
        {
          message:
            "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/my-repo': couldn't find remote ref \"refs/heads/master\"",
          source: 'https://github.com/controlplaneio-fluxcd/flux-operator/issues/284',
        },
        {
          message:
            'failed to determine artifact digest: GET https://ghcr.io/v2/stefanprodan/charts/podinfo/manifests/6.0.0: MANIFEST_UNKNOWN: manifest unknown',
          source: 'https://github.com/fluxcd/flux2/issues/5329',
        },
        {
          message:
            "failed to determine the artifact tag for 'oci://ghcr.io/org/podinfo': no match found for semver: <= 6.1.0",
          source: 'fluxcd/source-controller internal/controller/ocirepository_controller_test.go',
        },
      ],
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const signals = conditionFirst(obj, graph, {
      patterns: REF_PATTERNS,
      exclude: [...AUTH_PATTERNS, ...TLS_PATTERNS, ...UNREACHABLE_PATTERNS],
    });
    if (signals.length === 0) return undefined;

    const url = urlOf(obj) ?? 'the remote';
    const spec = describeRef(obj);
    const said = signals.map((s) => missingFromMessage(s.text)).find((x) => !!x);
    const what = said?.what === 'repository' ? 'repository' : (said?.what ?? spec?.what ?? 'reference');
    const value = said?.value || spec?.value || '';
    const field = spec?.field ?? 'spec.ref';

    const summary =
      what === 'repository'
        ? `${show(obj)}: the registry does not know the repository ${url}`
        : what === 'semver range'
          ? `${show(obj)}: no tag at ${url} satisfies the semver range ${value}${obj.spec?.ref?.semverFilter ? ` (with semverFilter ${obj.spec.ref.semverFilter})` : ''}`
          : `${show(obj)}: ${what} ${value ? `'${value}' ` : ''}does not exist at ${url}`;
    const remediation = [
      ...titled('List what exists', listCommand(obj, what)),
      ...(what === 'repository'
        ? changeInGit(graph, obj, `fix spec.url of ${show(obj)} (${url})`)
        : [
            ...changeInGit(
              graph,
              obj,
              `set ${field.replace(/ \(.*$/, '')} of ${show(obj)} to an existing ${what === 'semver range' ? 'range' : what}${spec?.field.includes('not set') ? ' (it is not set, so the default is used)' : ''}`,
            ),
            `Or publish ${value ? `'${value}'` : 'it'} at the remote`,
          ]),
      reconcileCmd(obj),
      describeCmd(obj),
    ];
    return {
      summary,
      evidence: uniqueEvidence(signals),
      remediation,
      fixTarget: { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name },
    };
  },
};
