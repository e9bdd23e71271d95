import { rule } from '../../src/rules/image-git-push-failed.js';
import { event, obj, READY, ruleTester, secret, status } from '../helpers.js';

// image-automation-controller internal/controller/imageupdateautomation_controller.go:
//   e := fmt.Errorf("failed to update source: %w", err); MarkFalse(Ready, GitOperationFailed, "%s", e)
//   e := fmt.Errorf("failed to checkout source: %w", err); MarkFalse(Ready, GitOperationFailed, "%s", e)
// fluxcd/pkg git/gogit/client.go Push: fmt.Errorf("failed to push to remote: %w", err)
// go-git reports a rejected ref update as "command error on <ref>: <status>".

const gitRepo = (st: unknown = READY('stored artifact for revision main@sha1:0123abcd')) =>
  obj('GitRepository', 'flux-system', {
    spec: { url: 'ssh://git@github.com/acme/fleet', ref: { branch: 'main' }, secretRef: { name: 'flux-system' } },
    status: st,
  });

const iua = (st: unknown, push?: Record<string, unknown>) =>
  obj('ImageUpdateAutomation', 'flux-system', {
    spec: {
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      git: {
        checkout: { ref: { branch: 'main' } },
        commit: { author: { name: 'fluxcdbot', email: 'fluxcdbot@users.noreply.github.com' } },
        ...(push ? { push } : {}),
      },
      update: { path: './clusters/production', strategy: 'Setters' },
    },
    status: st,
  });

const READ_ONLY =
  'failed to update source: failed to push to remote: unknown error: ERROR: The key you are authenticating with has been marked as read only';

ruleTester(rule, {
  valid: [
    {
      name: 'pushed',
      objects: [gitRepo(), iua(READY('repository up-to-date'))],
    },
    {
      name: 'look-alike: a failing policy selector is not a Git failure',
      source: 'imageupdateautomation_controller.go MarkStalled(InvalidPolicySelectorReason)',
      objects: [
        gitRepo(),
        iua(
          status([
            'False',
            'InvalidPolicySelector',
            'failed to parse policy selector: "x y" is not a valid label selector',
          ]),
        ),
      ],
    },
    {
      name: 'look-alike: setters update failed (UpdateFailed) is not a push failure',
      objects: [
        gitRepo(),
        iua(
          status([
            'False',
            'UpdateFailed',
            'failed to apply policies: open /tmp/flux-system/clusters/production: no such file or directory',
          ]),
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'read-only deploy key: the GitRepository Secret is the fix target, not explained by the source',
      source: 'https://github.com/fluxcd/flux2/issues/5095',
      objects: [
        gitRepo(),
        secret('flux-system', ['identity', 'identity.pub', 'known_hosts']),
        iua(status(['False', 'GitOperationFailed', READ_ONLY])),
        event(
          { kind: 'ImageUpdateAutomation', namespace: 'flux-system', name: 'flux-system' },
          'GitOperationFailed',
          READ_ONLY,
        ),
      ],
      expect: [
        {
          object: 'ImageUpdateAutomation/flux-system/flux-system',
          cause: 'read-only',
          data: { branch: 'main', where: 'ssh://git@github.com/acme/fleet' },
          summary:
            'ImageUpdateAutomation flux-system/flux-system cannot push the image update commit to ssh://git@github.com/acme/fleet (branch "main"): the credentials can read but not write (a read-only deploy key or token)',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'flux-system' },
          evidence: [/marked as read only/],
          remediation: [
            /Allow write access/,
            /flux create secret git flux-system -n flux-system --url=ssh:\/\/git@github\.com\/acme\/fleet/,
            /flux reconcile image update flux-system -n flux-system/,
          ],
        },
      ],
    },
    {
      name: 'protected branch (repository rules)',
      source:
        'fluxcd/pkg git/gogit/client.go Push + go-git "command error on <ref>: <status>" (GitHub rule violation text)',
      objects: [
        gitRepo(),
        iua(
          status([
            'False',
            'GitOperationFailed',
            'failed to update source: failed to push to remote: command error on refs/heads/main: push declined due to repository rule violations',
          ]),
        ),
      ],
      expect: [
        {
          cause: 'protected',
          summary:
            'ImageUpdateAutomation flux-system/flux-system cannot push the image update commit to ssh://git@github.com/acme/fleet (branch "main"): the branch is protected: the Git server refused the direct push',
          fixTarget: { kind: 'ImageUpdateAutomation', namespace: 'flux-system', name: 'flux-system' },
          remediation: [
            /set spec\.git\.push\.branch/,
            /^Or let the automation's identity bypass the protection of branch "main"$/,
            /^flux reconcile image update flux-system -n flux-system$/,
            /^Confirm \(status.lastPushCommit changes\):$/,
            /^flux get image update flux-system -n flux-system$/,
          ],
        },
      ],
    },
    {
      name: 'checkout fails because the GitRepository credentials fail: explained by source',
      source:
        'imageupdateautomation_controller.go "failed to checkout source: %w"; fluxcd/pkg git/gogit clone "unable to clone \'%s\': %w"',
      objects: [
        gitRepo(
          status([
            'False',
            'GitOperationFailed',
            "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/acme/fleet': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain",
          ]),
        ),
        iua(
          status([
            'False',
            'GitOperationFailed',
            "failed to checkout source: unable to clone 'ssh://git@github.com/acme/fleet': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain",
          ]),
        ),
      ],
      expect: [
        {
          cause: 'checkout-failed',
          summary:
            'ImageUpdateAutomation flux-system/flux-system cannot check out ssh://git@github.com/acme/fleet: the Git server rejected the credentials, so no image update can be pushed',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'flux-system' },
          // the steps of the cause (auth), not of a bare checkout failure
          remediation: [
            /^Fix Secret flux-system\/flux-system used by GitRepository flux-system\/flux-system: credentials with write access to ssh:\/\/git@github.com\/acme\/fleet, for example \(with the credential flags you use\):$/,
            /^flux create secret git flux-system -n flux-system --url=ssh:\/\/git@github.com\/acme\/fleet$/,
          ],
        },
      ],
    },
    {
      name: 'older controller: bare go-git "authorization failed"',
      source:
        'https://github.com/fluxcd/image-automation-controller/issues/598 (flux get images update: "authorization failed")',
      objects: [gitRepo(), iua(status(['False', 'ReconciliationFailed', 'authorization failed']))],
      expect: [
        {
          cause: 'auth',
          summary:
            'ImageUpdateAutomation flux-system/flux-system cannot push the image update commit to ssh://git@github.com/acme/fleet (branch "main"): the Git server rejected the credentials',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'flux-system' },
        },
      ],
    },
    {
      name: 'GitHub GH006 protected branch, v1alpha2 automation with a push branch',
      source:
        'fluxcd/pkg git/gogit@v0.16.1 client.go Push "failed to push to remote: %w" around GitHub\'s side-band "GH006: Protected branch update failed for %s"',
      objects: [
        gitRepo(),
        {
          ...iua(
            status([
              'False',
              'GitOperationFailed',
              'failed to update source: failed to push to remote: unknown error: remote: error: GH006: Protected branch update failed for refs/heads/release.',
            ]),
            { branch: 'release' },
          ),
          apiVersion: 'image.toolkit.fluxcd.io/v1alpha2',
        },
      ],
      expect: [
        {
          cause: 'protected',
          data: { branch: 'release' },
          summary:
            'ImageUpdateAutomation flux-system/flux-system cannot push the image update commit to ssh://git@github.com/acme/fleet (branch "release"): the branch is protected: the Git server refused the direct push',
        },
      ],
    },
    {
      name: 'GitLab protected branch hook, bare (v0.x ReconciliationFailed)',
      source: 'go-git ReferenceUpdateStatus "command error on %s: %s" with GitLab\'s "protected branch hook declined"',
      objects: [
        gitRepo(),
        iua(
          status(['False', 'ReconciliationFailed', 'command error on refs/heads/main: protected branch hook declined']),
        ),
      ],
      expect: [{ cause: 'protected' }],
    },
    {
      name: 'v0.7–v0.10 read-only wording',
      source:
        'image-automation-controller@v0.10.0 controllers/imageupdateautomation_controller.go "push rejected; check git secret has write access"',
      objects: [
        gitRepo(),
        {
          ...iua(status(['False', 'ReconciliationFailed', 'push rejected; check git secret has write access'])),
          apiVersion: 'image.toolkit.fluxcd.io/v1alpha1',
        },
      ],
      expect: [{ cause: 'read-only', fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'flux-system' } }],
    },
    {
      name: 'a push error the catalogue does not refine: the push wrapper alone',
      source: 'fluxcd/pkg git/gogit@v0.16.1 client.go Push "failed to push to remote: %w"',
      objects: [
        gitRepo(),
        iua(status(['False', 'GitOperationFailed', 'failed to update source: failed to push to remote: EOF'])),
      ],
      expect: [
        {
          cause: 'push',
          summary:
            'ImageUpdateAutomation flux-system/flux-system cannot push the image update commit to ssh://git@github.com/acme/fleet (branch "main")',
        },
      ],
    },
  ],
});
