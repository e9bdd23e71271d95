// image.git-push-failed: the ImageUpdateAutomation could not push its update commit (read-only
// credentials, protected branch, authentication), or could not get at the Git repository at all.

import { changeInGit } from '../render/advice.js';
import { nsArg, shq, shqOr } from '../render/shell.js';
import { classify, evidenceOf } from '../signals/index.js';
import { PATTERNS as IAC } from '../signals/patterns/image-automation-controller.js';
import type { ObjRef } from '../types.js';
import type { Rule } from './types.js';
import { describeCmd, eventsCmd, reconcileCmd, show } from './util.js';

// The messages are classified with the image-automation-controller and go-git catalogues
// (src/signals/patterns/image-automation-controller.ts, go-git.ts): the Git server's refusal inside
// "failed to update source: failed to push to remote: …" is the innermost match; go-git's credential
// errors keep their own code (source.auth) and mean the same here.

/** The catalogue's checkout-phase wrappers: the automation could not get at the repository at all. */
const CHECKOUT = IAC.filter((p) => p.cause === 'checkout');

/** What each push cause means, for sentences. */
const WHAT: Record<string, string> = {
  protected: 'the branch is protected: the Git server refused the direct push',
  'read-only': 'the credentials can read but not write (a read-only deploy key or token)',
  'non-fast-forward': 'the branch moved on the remote while the automation was committing (non-fast-forward)',
  auth: 'the Git server rejected the credentials',
  secret: 'the GitRepository’s credentials Secret is missing',
  rejected: 'the Git server rejected the ref update',
};

/** Codes of other catalogues that name a push cause of this rule. */
const FROM_CODE: Record<string, string> = { 'source.auth': 'auth' };

/**
 * The fix steps of every cause: each step is given its values only for the push cause (or the checkout
 * failure) it applies to, so a checkout failure of a known cause gets that cause's steps.
 */
const STEPS = [
  // protected
  '{protectedChange}',
  'Or let the automation\'s identity bypass the protection of branch "{protectedBranch}"',
  // read-only
  'Give the credentials write access to {writeTo}: enable "Allow write access" on the deploy key (GitHub) / "Grant write permissions" (GitLab), or use a token with write scope{?inSecret}',
  'Or create a new key pair for Secret {newKeySecret}, and add the printed public key as a deploy key with write access:',
  '{newKeyCmd}',
  // auth, secret
  'Fix Secret {fixSecret} used by {source}: credentials with write access to {where}, for example (with the credential flags you use):',
  '{fixSecretCmd}',
  '{noSecretOf} has no spec.secretRef: pushing to {where} needs credentials with write access',
  // non-fast-forward
  'Branch "{movedBranch}" moved while the automation committed; it retries on the next interval. If it keeps failing, check that nothing else force-pushes "{movedBranch}", or push to a dedicated branch (spec.git.push.branch)',
  // a checkout failure, or a push failure of no known cause
  'Check that {cloneSource} can be cloned and that spec.git.checkout.ref of {iua} exists:',
  '{describeSource}',
  'Read the Git error of {readErrorOf}:',
  '{describe}',
  '{events}',
  '{reconcile}',
  'Confirm (status.lastPushCommit changes):',
  'flux get image update {sh:name} -n {sh:namespace}',
];

export const rule: Rule = {
  meta: {
    code: 'image.git-push-failed',
    severity: 'error',
    title: 'The image update commit could not be pushed',
    kinds: ['ImageUpdateAutomation'],
    messages: {
      ...Object.fromEntries(
        Object.entries(WHAT).map(([cause, what]) => [
          cause,
          { summary: `{iua} cannot push the image update commit to {where} ({target}): ${what}`, remediation: STEPS },
        ]),
      ),
      push: { summary: '{iua} cannot push the image update commit to {where} ({target})', remediation: STEPS },
      checkout: { summary: '{iua} cannot check out {where}, so no image update can be pushed', remediation: STEPS },
      'checkout-failed': {
        summary: '{iua} cannot check out {where}: {what}, so no image update can be pushed',
        remediation: STEPS,
      },
    },
  },
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state !== 'Failed') return undefined;
    const ns = obj.metadata.namespace ?? 'default';
    const c = classify(obj, graph);
    if (!c) return undefined;
    const own = c.code === 'image.git-push-failed' ? c.cause : FROM_CODE[c.code];
    const isCheckout = own === 'checkout' || c.signals.some((s) => CHECKOUT.some((p) => p.re.test(s.text)));
    // Another code's message (a missing GitRepository, an unreachable host) outside a checkout is not ours.
    if (!own && !isCheckout) return undefined;
    const cause = own === 'checkout' || own === 'push' ? undefined : own;
    const signals = c.signals;

    const srcEdge = graph.out(obj, 'source')[0];
    const srcRef: ObjRef | undefined = srcEdge?.to;
    const src = srcRef ? graph.get(srcRef) : undefined;
    const url: string | undefined = src?.spec?.url;
    const secretName: string | undefined = src?.spec?.secretRef?.name;
    const secretRef: ObjRef | undefined =
      secretName && srcRef ? { kind: 'Secret', namespace: srcRef.namespace, name: secretName } : undefined;
    const branch: string =
      obj.spec?.git?.push?.branch ??
      obj.spec?.git?.checkout?.ref?.branch ??
      src?.spec?.ref?.branch ??
      '(the checkout branch)';
    const refspec: string | undefined = obj.spec?.git?.push?.refspec;
    const where = `${url ?? (srcRef ? show(srcRef) : 'the Git repository')}`;

    const iua: ObjRef = { kind: 'ImageUpdateAutomation', namespace: ns, name: obj.metadata.name };
    const secretId = secretRef ? `${secretRef.namespace}/${secretRef.name}` : undefined;
    const createSecret = secretRef
      ? `flux create secret git ${shq(secretRef.name)}${nsArg(secretRef.namespace)} --url=${shqOr(url, '<url>')}`
      : undefined;
    const steps: Record<string, string | undefined> = {};
    let fixTarget: ObjRef | undefined;
    switch (cause) {
      case 'protected':
        fixTarget = iua;
        steps.protectedChange = changeInGit(
          graph,
          obj,
          `set spec.git.push.branch of ${show(obj)} to a separate branch (e.g. image-updates) and merge it by pull request`,
          { when: `branch "${branch}" of ${where} is protected` },
        )[0];
        steps.protectedBranch = branch;
        break;
      case 'read-only':
        fixTarget = secretRef;
        steps.writeTo = where;
        steps.inSecret = secretId ? ` in Secret ${secretId}` : undefined;
        if (secretRef && /^(ssh:\/\/|[\w.-]+@)/.test(url ?? '')) {
          steps.newKeySecret = secretId;
          steps.newKeyCmd = createSecret;
        }
        break;
      case 'auth':
      case 'secret':
        fixTarget = secretRef;
        if (secretRef) {
          steps.fixSecret = secretId;
          steps.source = srcRef ? show(srcRef) : 'the GitRepository';
          steps.fixSecretCmd = createSecret;
        } else steps.noSecretOf = srcRef ? show(srcRef) : 'The GitRepository';
        break;
      case 'non-fast-forward':
        fixTarget = iua;
        steps.movedBranch = branch;
        break;
      default:
        fixTarget = isCheckout ? srcRef : iua;
        if (isCheckout) {
          steps.cloneSource = srcRef ? show(srcRef) : 'the GitRepository';
          steps.describeSource = srcRef ? describeCmd(srcRef) : describeCmd(obj);
        } else {
          steps.readErrorOf = show(obj);
          steps.describe = describeCmd(obj);
          steps.events = eventsCmd(obj);
        }
    }

    return {
      cause: isCheckout ? (cause ? 'checkout-failed' : 'checkout') : (cause ?? 'push'),
      data: {
        iua: show(obj),
        where,
        branch,
        refspec,
        target: `branch "${branch}"${refspec ? `, refspec ${refspec}` : ''}`,
        what: cause ? WHAT[cause] : undefined,
        ...(c.data.ref ? { ref: c.data.ref } : {}),
        name: obj.metadata.name,
        namespace: ns,
        reconcile: reconcileCmd(obj),
        ...steps,
      },
      evidence: evidenceOf(signals),
      fixTarget,
      // Only a failing GitRepository can explain a checkout failure; a push refusal is the automation's own.
      explainedBy: isCheckout ? ['source'] : [],
    };
  },
};
