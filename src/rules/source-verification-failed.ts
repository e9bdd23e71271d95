// source.verification-failed: signature verification (cosign, notation, OpenPGP/SSH) failed.

import { changeInGit, titled } from '../render/advice.js';
import { shqOr } from '../render/shell.js';
import type { K8sObject, ObjRef } from '../types.js';
import {
  conditionFirst,
  isFailing,
  SECRET_NOT_FOUND,
  UNREACHABLE_PATTERNS,
  uniqueEvidence,
  urlOf,
} from './source-common.js';
import type { Rule } from './types.js';
import { describeCmd, matchSignals, reconcileCmd, show } from './util.js';

/** Reasons source-controller sets on SourceVerified=False (and on Ready) when verification fails. */
export const VERIFICATION_REASONS = [
  'VerificationError',
  'InvalidCommitSignature',
  'InvalidTagSignature',
  'InvalidGitObject',
  'InvalidVerificationMode',
  'ChartVerificationError',
];

export const VERIFICATION_PATTERNS = [
  /failed to verify the signature using provider/,
  /signature verification of (?:commit|tag) '[^']+' failed/,
  /chart verification error/,
  /no matching signatures/,
  /cannot verify (?:signature of tag|tag object's signature)/,
];

function verifyConfig(o: K8sObject): { provider: string; secret?: ObjRef } {
  const v = o.spec?.verify ?? {};
  const ns = o.metadata.namespace;
  const provider = o.kind === 'GitRepository' ? `OpenPGP/SSH (mode ${v.mode ?? 'HEAD'})` : (v.provider ?? 'cosign');
  return {
    provider,
    ...(v.secretRef?.name ? { secret: { kind: 'Secret', namespace: ns, name: v.secretRef.name } } : {}),
  };
}

export const rule: Rule = {
  meta: {
    code: 'source.verification-failed',
    severity: 'error',
    title: 'Signature verification failed',
    kinds: ['GitRepository', 'OCIRepository', 'HelmChart'],
    docs: {
      description:
        'The source has `spec.verify` set and the fetched revision did not pass it: the Git commit or tag is unsigned or signed by a key that is not in the verification Secret, the OCI artifact or Helm chart has no cosign/notation signature, or its signature does not match the keys, the keyless identities (`matchOIDCIdentity`) or the notation trust policy. source-controller refuses to store the unverified artifact, so consumers keep the last verified revision.',
      detection: [
        'The source is failing and has `SourceVerified`=False (a bipolar condition), or Ready=False with one of the reasons `VerificationError`, `InvalidCommitSignature`, `InvalidTagSignature`, `InvalidGitObject`, `InvalidVerificationMode`, `ChartVerificationError`, with messages such as:',
        "- `signature verification of commit '<sha>' failed: unable to verify Git commit: unable to verify payload with any of the given key rings`",
        "- `failed to verify the signature using provider 'cosign': no matching signatures were found for '<ref>'`",
        "- `failed to verify the signature using provider 'notation': signature verification failed …`",
        '- `chart verification error: failed to verify <url>: no signatures found`',
        'A verification Secret that does not exist (`public keys secret error: secrets "<name>" not found`) is `source.secret-missing` instead, and a network error while verifying (e.g. reaching the transparency log) is `source.unreachable`. A HelmChart that helm-controller generated for a HelmRelease is reported at the HelmRelease.',
      ].join('\n'),
      fix: [
        '- Check that the revision really is signed: `git verify-commit <sha>` / `git verify-tag <tag>`, `cosign verify --key cosign.pub <image>`, `notation verify <image>`.',
        '- If it is signed with a key that is not trusted yet, add the public key to the verification Secret (`*.asc` or `*.sshpub` keys for Git, `*.pub` for cosign, certificates and `trustpolicy.json` for notation).',
        '- For cosign keyless, make `spec.verify.matchOIDCIdentity` match the issuer and subject of the signing identity.',
        '- If the revision is not signed, sign it in the pipeline that publishes it; do not just remove `spec.verify`.',
        '- Then reconcile the source.',
      ].join('\n'),
      commands: [
        'kubectl get gitrepository <name> -n <namespace> -o jsonpath=\'{.status.conditions[?(@.type=="SourceVerified")]}\'',
        'cosign verify --key cosign.pub <registry>/<repository>:<tag>',
        'git verify-commit <sha>',
        'flux reconcile source oci <name> -n <namespace>',
      ],
      examples: [
        {
          message:
            "signature verification of commit 'shasum' failed: unable to verify Git commit: unable to verify payload with any of the given key rings",
          source:
            'fluxcd/source-controller internal/controller/gitrepository_controller_test.go (reason InvalidCommitSignature)',
        },
        {
          message:
            "failed to verify the signature using provider 'cosign': no matching signatures were found for '<digest_url>'",
          source: 'fluxcd/source-controller internal/controller/ocirepository_controller_test.go',
        },
        {
          message: 'chart verification error: failed to verify <url>: no signatures found',
          source: 'fluxcd/source-controller internal/controller/helmchart_controller_test.go',
        },
      ],
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    let signals = conditionFirst(obj, graph, {
      reasons: VERIFICATION_REASONS,
      patterns: VERIFICATION_PATTERNS,
      exclude: [...SECRET_NOT_FOUND, ...UNREACHABLE_PATTERNS],
    });
    // SourceVerified=False with any other reason is a verification failure too.
    if (signals.length === 0)
      signals = matchSignals(obj, graph, {
        from: ['SourceVerified'],
        patterns: [/[\s\S]*/],
        exclude: [...SECRET_NOT_FOUND, ...UNREACHABLE_PATTERNS],
      });
    if (signals.length === 0) return undefined;

    const { provider, secret } = verifyConfig(obj);
    const text = signals[0]!.text;
    const sha = /(?:commit|tag) '([^']+)'/.exec(text)?.[1];
    const target = urlOf(obj) ?? (obj.kind === 'HelmChart' ? `chart ${obj.spec?.chart ?? ''}` : 'the artifact');
    const subject = sha
      ? `${obj.kind === 'GitRepository' ? (/tag '/.test(text) ? 'tag' : 'commit') : 'revision'} ${sha}`
      : target;
    const summary = `${show(obj)}: ${provider} signature verification of ${subject} failed${secret ? ` against the keys in ${show(secret)}` : obj.kind !== 'GitRepository' && provider === 'cosign' ? ' (keyless: check matchOIDCIdentity)' : ''}`;

    const check =
      obj.kind === 'GitRepository'
        ? `git verify-${/tag '/.test(text) ? 'tag' : 'commit'} ${shqOr(sha, '<sha>')}`
        : provider === 'notation'
          ? `notation verify ${shqOr(urlOf(obj)?.replace(/^oci:\/\//, ''), '<artifact>')}`
          : `cosign verify ${secret ? '--key cosign.pub ' : ''}${shqOr(urlOf(obj)?.replace(/^oci:\/\//, ''), '<artifact>')}`;
    const remediation = [
      ...titled(
        obj.kind === 'GitRepository'
          ? `Check the signature yourself, in a clone of ${urlOf(obj) ?? 'the repository'}`
          : 'Check the signature yourself',
        check,
      ),
      ...(secret
        ? [`If it is signed by a key that should be trusted, add that public key to ${show(secret)}`]
        : obj.kind === 'GitRepository'
          ? changeInGit(
              graph,
              obj,
              `set spec.verify.secretRef of ${show(obj)} to a Secret with the trusted public keys`,
            )
          : changeInGit(
              graph,
              obj,
              `make spec.verify.matchOIDCIdentity of ${show(obj)} match the signing identity (issuer and subject)`,
              { when: 'for keyless verification' },
            )),
      'If the revision is not signed, sign it where it is published (CI), rather than removing spec.verify',
      reconcileCmd(obj),
      describeCmd(obj),
    ];
    return {
      summary,
      evidence: uniqueEvidence(signals),
      remediation,
      fixTarget: secret ?? { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name },
    };
  },
};
