// source.verification-failed: signature verification (cosign, notation, OpenPGP/SSH) failed.
// What the message says is read by the catalogue (src/signals/patterns/source-controller.ts).

import { condition } from '../kinds/status.js';
import { whereToChange } from '../render/advice.js';
import { shqOr } from '../render/shell.js';
import { classify, conditionEvidence, evidenceOf, show, showsFailure, urlOf } from '../signals/index.js';
import type { Evidence, K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { MessageTemplate, Rule } from './types.js';
import { describeCmd, reconcileCmd } from './util.js';

function verifyConfig(o: K8sObject): { provider: string; secret?: ObjRef } {
  const v = o.spec?.verify ?? {};
  const ns = o.metadata.namespace;
  const provider = o.kind === 'GitRepository' ? `OpenPGP/SSH (mode ${v.mode ?? 'HEAD'})` : (v.provider ?? 'cosign');
  return {
    provider,
    ...(v.secretRef?.name ? { secret: { kind: 'Secret', namespace: ns, name: v.secretRef.name } } : {}),
  };
}

const CHECK = ['{checkIntro}', '{check}'];
const AFTER = [
  'If the revision is not signed, sign it where it is published (CI), rather than removing spec.verify',
  '{reconcile}',
  '{describe}',
];

const MESSAGES: Record<string, MessageTemplate> = {
  keys: {
    summary: '{object}: {provider} signature verification of {subject} failed against the keys in {secret}',
    remediation: [
      ...CHECK,
      'If it is signed by a key that should be trusted, add that public key to {secret}',
      ...AFTER,
    ],
  },
  keyless: {
    summary: '{object}: {provider} signature verification of {subject} failed (keyless: check matchOIDCIdentity)',
    remediation: [
      ...CHECK,
      'For keyless verification, make spec.verify.matchOIDCIdentity of {object} match the signing identity (issuer and subject), in {where}',
      ...AFTER,
    ],
  },
  'no-keys': {
    summary: '{object}: {provider} signature verification of {subject} failed',
    remediation: [
      ...CHECK,
      'Set spec.verify.secretRef of {object} to a Secret with the trusted public keys, in {where}',
      ...AFTER,
    ],
  },
};

export const rule: Rule = {
  meta: {
    code: 'source.verification-failed',
    severity: 'error',
    title: 'Signature verification failed',
    kinds: ['GitRepository', 'OCIRepository', 'HelmChart'],
    messages: MESSAGES,
    docs: {
      description:
        'The source has `spec.verify` set and the fetched revision did not pass it: the Git commit or tag is unsigned or signed by a key that is not in the verification Secret, the OCI artifact or Helm chart has no cosign/notation signature, or its signature does not match the keys, the keyless identities (`matchOIDCIdentity`) or the notation trust policy. source-controller refuses to store the unverified artifact, so consumers keep the last verified revision.',
      detection: [
        'The message patterns and reasons live in src/signals/patterns/source-controller.ts. The source is failing and has `SourceVerified`=False (a bipolar condition), or Ready=False with one of the reasons `VerificationError`, `InvalidCommitSignature`, `InvalidTagSignature`, `InvalidGitObject`, `InvalidVerificationMode`, `ChartVerificationError`, with messages such as:',
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
    // A suspended source whose condition still shows the failure is reported too (see showsFailure).
    if (!showsFailure(obj, graph)) return undefined;
    const c = classify(obj, graph);
    // SourceVerified=False is a verification failure whatever its message, unless the catalogue reads
    // that message as another code (a missing verification Secret, an unreachable transparency log).
    const verified = condition(obj, 'SourceVerified');
    let evidence: Evidence[];
    let text: string;
    if (c?.code === 'source.verification-failed') {
      evidence = evidenceOf(c.signals);
      text = c.signal.text;
    } else if (verified?.status === 'False' && (!c || c.code === 'none')) {
      evidence = [conditionEvidence(obj, verified)];
      text = verified.message ?? '';
    } else return undefined;

    const { provider, secret } = verifyConfig(obj);
    const sha = /(?:commit|tag) '([^']+)'/.exec(text)?.[1];
    const tag = /tag '/.test(text);
    const target = urlOf(obj) ?? (obj.kind === 'HelmChart' ? `chart ${obj.spec?.chart ?? ''}` : 'the artifact');
    const subject = sha ? `${obj.kind === 'GitRepository' ? (tag ? 'tag' : 'commit') : 'revision'} ${sha}` : target;
    const artifact = shqOr(urlOf(obj)?.replace(/^oci:\/\//, ''), '<artifact>');
    const check =
      obj.kind === 'GitRepository'
        ? `git verify-${tag ? 'tag' : 'commit'} ${shqOr(sha, '<sha>')}`
        : provider === 'notation'
          ? `notation verify ${artifact}`
          : `cosign verify ${secret ? '--key cosign.pub ' : ''}${artifact}`;
    const cause = secret ? 'keys' : obj.kind !== 'GitRepository' && provider === 'cosign' ? 'keyless' : 'no-keys';
    return {
      cause,
      data: {
        object: show(obj),
        provider,
        subject,
        secret: secret ? show(secret) : undefined,
        check,
        checkIntro:
          obj.kind === 'GitRepository'
            ? `Check the signature yourself, in a clone of ${urlOf(obj) ?? 'the repository'}:`
            : 'Check the signature yourself:',
        where: whereToChange(graph, obj),
        reconcile: reconcileCmd(obj),
        describe: describeCmd(obj),
      },
      evidence,
      fixTarget: secret ?? objRef(obj),
    };
  },
};
