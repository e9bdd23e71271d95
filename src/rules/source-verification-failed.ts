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
