import { rule } from '../../src/rules/kustomize-decryption-failed.js';
import { obj, ruleTester, secret, status } from '../helpers.js';

// kustomize-controller internal/controller/kustomization_controller.go build():
//   fmt.Errorf("decryption failed for '%s/%s': %w", res.GetGvk(), res.GetName(), err)   (kustomize Gvk prints as ~G_v1_Secret;
//   before commit 4d6d430 "Add GVK to error message": "decryption failed for '%s': %w")
//   → conditions.MarkFalse(obj, meta.ReadyCondition, meta.BuildFailedReason, "%s", err)
// internal/decryptor/decryptor.go: "failed to decrypt and format '%s/%s' %s data: %w", sopsUserErr("cannot get sops data key", err),
//   ImportKeys returns the Secret's NotFound error unchanged.
// apply(): "%s is SOPS encrypted, configuring decryption is required for this secret to be reconciled" (ReconciliationFailed).
const ks = (name: string, ready: [string, string, string?], decryption?: Record<string, unknown>) =>
  obj('Kustomization', name, {
    spec: {
      path: './apps',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      ...(decryption ? { decryption } : {}),
    },
    status: status(ready),
  });
const SOPS = { provider: 'sops', secretRef: { name: 'sops-age' } };

ruleTester(rule, {
  valid: [
    {
      name: 'ready Kustomization with decryption',
      objects: [ks('apps', ['True', 'ReconciliationSucceeded', 'Applied revision: x'], SOPS)],
    },
    {
      name: 'plain kustomize build failure (kustomize.build-failed)',
      source: 'https://github.com/fluxcd/flux2/issues/725',
      objects: [ks('apps', ['False', 'BuildFailed', 'kustomize build failed: json: unknown field "spec"'], SOPS)],
    },
    {
      name: 'substitution ConfigMap missing, not the decryption Secret (kustomize.substitution-failed)',
      source: 'fluxcd/pkg kustomize/kustomize_varsub.go ("substitute from \'ConfigMap/%s\' error: %w")',
      objects: [
        ks(
          'apps',
          [
            'False',
            'BuildFailed',
            "post build failed for '~G_v1_ConfigMap/app': substitute from 'ConfigMap/cluster-vars' error: configmaps \"cluster-vars\" not found",
          ],
          SOPS,
        ),
      ],
    },
    {
      name: 'a Secret NotFound while decryption is not configured',
      objects: [ks('apps', ['False', 'BuildFailed', 'secrets "sops-age" not found'])],
    },
  ],
  invalid: [
    {
      name: 'decryption Secret missing',
      source:
        'fluxcd/kustomize-controller internal/decryptor/decryptor.go ImportKeys (apierrors.IsNotFound → return err)',
      objects: [ks('apps', ['False', 'BuildFailed', 'secrets "sops-age" not found'], SOPS), secret('other', ['token'])],
      expect: [
        {
          cause: 'decryption-secret-missing',
          data: { secret: 'flux-system/sops-age', field: 'spec.decryption.secretRef' },
          summary:
            'Kustomization flux-system/apps cannot decrypt its manifests: the decryption Secret flux-system/sops-age (spec.decryption.secretRef) does not exist',
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'sops-age' },
          remediation: [/kubectl create secret generic sops-age -n flux-system --from-file=age.agekey=/],
        },
      ],
    },
    {
      name: 'wrong key: no recipient matches (current message form)',
      source:
        'kustomization_controller.go build() + decryptor.go SopsDecryptWithFormat sopsUserErr("cannot get sops data key"); sops user error text as quoted in BigBang troubleshooting ("cannot get sops data key: failed to get the data key required to decrypt the SOPS file")',
      objects: [
        ks(
          'apps',
          [
            'False',
            'BuildFailed',
            "decryption failed for '~G_v1_Secret/db-credentials': failed to decrypt and format 'apps/db-credentials' Secret data: cannot get sops data key: Failed to get the data key required to decrypt the SOPS file.\n\nGroup 0: FAILED\n  age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p: FAILED\n    - | failed to create reader for decrypting sops data key with\n      | age: no identity matched any of the recipients\n",
          ],
          SOPS,
        ),
        secret('sops-age', ['age.agekey']),
      ],
      expect: [
        {
          cause: 'no-matching-key',
          summary:
            /cannot decrypt Secret apps\/db-credentials: no available key can open it — none of the keys in decryption Secret flux-system\/sops-age \(age.agekey\) is a recipient of the file/,
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'sops-age' },
          evidence: [/cannot get sops data key/],
          remediation: [/sops updatekeys/],
        },
      ],
    },
    {
      name: 'decryption Secret holds no recognised key name',
      source:
        'fluxcd/kustomize-controller internal/decryptor/decryptor.go (keys by extension .agekey/.asc; "cannot get sops data key")',
      objects: [
        ks(
          'apps',
          [
            'False',
            'BuildFailed',
            "decryption failed for 'db-credentials': failed to decrypt and format 'apps/db-credentials' Secret data: cannot get sops data key: Error getting data key: 0 successful groups required, got 0",
          ],
          SOPS,
        ),
        secret('sops-age', ['keys.txt']),
      ],
      expect: [
        {
          cause: 'no-matching-key',
          summary:
            'Kustomization flux-system/apps cannot decrypt Secret apps/db-credentials: no available key can open it — decryption Secret flux-system/sops-age has no key kustomize-controller recognises (names ending in .agekey or .asc, or sops.vault-token, sops.aws-kms, sops.azure-kv, sops.gcp-kms); its keys: keys.txt',
        },
      ],
    },
    {
      name: 'encrypted Secret but no spec.decryption',
      source: 'https://github.com/fluxcd/kustomize-controller/pull/483 + kustomization_controller.go apply()',
      objects: [
        ks('apps', [
          'False',
          'ReconciliationFailed',
          'Secret/apps/db-credentials is SOPS encrypted, configuring decryption is required for this secret to be reconciled',
        ]),
      ],
      expect: [
        {
          cause: 'decryption-not-configured',
          summary:
            'Kustomization flux-system/apps applies Secret apps/db-credentials but has no spec.decryption, so the Secret would be applied still encrypted',
          fixTarget: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
          remediation: [/spec.decryption: \{provider: sops/],
        },
      ],
    },
    {
      name: 'value not in sops format (issue report)',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/1371',
      objects: [
        ks(
          'apps',
          [
            'False',
            'BuildFailed',
            "decryption failed for 'foo-token': failed to decrypt and format 'default/foo-token' Secret data: error decrypting sops tree: Error walking tree: Could not decrypt value: Input string glagent-xxx does not match sops' data format",
          ],
          SOPS,
        ),
      ],
      expect: [
        {
          cause: 'decryption-error',
          summary:
            /cannot decrypt Secret default\/foo-token: Could not decrypt value: Input string <redacted> does not match sops' data format/,
          evidence: [/Input string <redacted> does not match/],
        },
      ],
    },
    {
      name: 'a SOPS error wrapped in a kustomize build error is a decryption failure (innermost)',
      source:
        'kustomize-controller@v1.9.3 internal/controller/kustomization_controller.go "kustomize build failed: %w" around the decryptor\'s file system; sops error text from getsops/sops#1084',
      objects: [
        ks(
          'apps',
          [
            'False',
            'BuildFailed',
            "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'secrets.yaml': failed to decrypt and format 'apps/db' Secret data: cannot get sops data key: Failed to get the data key required to decrypt the SOPS file.",
          ],
          SOPS,
        ),
        secret('sops-age', ['age.agekey']),
      ],
      expect: [{ cause: 'no-matching-key', fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'sops-age' } }],
    },
    {
      name: 'v1beta2: v0.23 "decryption secret error" with a missing PGP Secret',
      source: 'kustomize-controller@v0.23.0 controllers/kustomization_decryptor.go "decryption secret error: %w"',
      objects: [
        {
          ...ks('apps', ['False', 'BuildFailed', 'decryption secret error: secrets "sops-gpg" not found'], {
            provider: 'sops',
            secretRef: { name: 'sops-gpg' },
          }),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        },
      ],
      expect: [
        {
          cause: 'decryption-secret-missing',
          data: { secret: 'flux-system/sops-gpg' },
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'sops-gpg' },
        },
      ],
    },
    {
      name: 'v1beta1: v0.17–v0.21 "is SOPS encryted" (sic)',
      source:
        'kustomize-controller v0.17 controllers/kustomization_controller.go "%s is SOPS encryted, configuring decryption is required for this secret to be reconciled"',
      objects: [
        {
          ...ks('apps', [
            'False',
            'ReconciliationFailed',
            'Secret/apps/db-credentials is SOPS encryted, configuring decryption is required for this secret to be reconciled',
          ]),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [{ cause: 'decryption-not-configured', data: { target: 'Secret apps/db-credentials' } }],
    },
    {
      name: 'a key in the decryption Secret is malformed',
      source:
        "kustomize-controller@v1.9.3 internal/decryptor/decryptor.go \"failed to import '%s' data from %s decryption Secret '%s': %w\"",
      objects: [
        ks(
          'apps',
          [
            'False',
            'BuildFailed',
            "failed to import 'identity.agekey' data from sops decryption Secret 'flux-system/sops-age': failed to parse and add to age identities: malformed secret key",
          ],
          SOPS,
        ),
        secret('sops-age', ['identity.agekey']),
      ],
      expect: [
        {
          cause: 'decryption-key-invalid',
          data: { key: 'identity.agekey', secret: 'flux-system/sops-age' },
          summary:
            "Kustomization flux-system/apps cannot decrypt its manifests: key 'identity.agekey' in decryption Secret flux-system/sops-age is not a valid key: failed to parse and add to age identities: malformed secret key",
        },
      ],
    },
  ],
});
