import { rule } from '../../src/rules/kustomize-build-failed.js';
import { obj, READY, ruleTester, status } from '../helpers.js';

// fluxcd/kustomize-controller internal/controller/kustomization_controller.go (reconcile):
//   err = fmt.Errorf("kustomization path not found: %w", err)
//   conditions.MarkFalse(obj, meta.ReadyCondition, meta.ArtifactFailedReason, "%s", err)
//   ... build: fmt.Errorf("kustomize build failed: %w", err) → conditions.MarkFalse(..., meta.BuildFailedReason, ...)
const ks = (name: string, ready: [string, string, string?], spec: Record<string, unknown> = {}) =>
  obj('Kustomization', name, {
    spec: { path: './kustomize/tester', sourceRef: { kind: 'OCIRepository', name: 'flagger' }, ...spec },
    status: { ...status(ready), lastAttemptedRevision: 'latest@sha256:0123456789ab' },
  });

ruleTester(rule, {
  valid: [
    { name: 'ready Kustomization', objects: [ks('apps', ['True', 'ReconciliationSucceeded', 'Applied revision: x'])] },
    {
      name: 'source artifact missing (ArtifactFailed, kustomize.source-not-ready)',
      source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go',
      objects: [ks('apps', ['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s'])],
    },
    {
      name: 'substitution failure (BuildFailed, kustomize.substitution-failed)',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/290',
      objects: [
        ks('apps', [
          'False',
          'BuildFailed',
          "var substitution failed for 'my-app': variable substitution failed: missing closing brace",
        ]),
      ],
    },
    {
      name: 'decryption failure (BuildFailed, kustomize.decryption-failed)',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/1371',
      objects: [
        ks('apps', [
          'False',
          'BuildFailed',
          "decryption failed for 'foo-token': failed to decrypt and format 'default/foo-token' Secret data: error decrypting sops tree: Error walking tree: Could not decrypt value: Input string glagent-xxx does not match sops' data format",
        ]),
      ],
    },
    {
      name: 'decryption Secret missing (BuildFailed with a bare NotFound, decryption configured)',
      source:
        'fluxcd/kustomize-controller internal/decryptor/decryptor.go ImportKeys (returns the NotFound error as is)',
      objects: [
        ks('apps', ['False', 'BuildFailed', 'secrets "sops-age" not found'], {
          decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
        }),
      ],
    },
    {
      name: 'a SOPS error wrapped in a kustomize build error (kustomize.decryption-failed, innermost)',
      source:
        'kustomize-controller@v1.9.3 "kustomize build failed: %w" around the decryptor; sops text from getsops/sops#1084',
      objects: [
        ks('apps', [
          'False',
          'BuildFailed',
          "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'secrets.yaml': failed to decrypt and format 'apps/db' Secret data: cannot get sops data key: Failed to get the data key required to decrypt the SOPS file.",
        ]),
      ],
    },
    {
      name: 'progressing',
      objects: [
        ks('apps', ['Unknown', 'Progressing', 'Building manifests for revision latest with a timeout of 5m0s']),
      ],
    },
  ],
  invalid: [
    {
      name: 'spec.path does not exist in the OCI artifact',
      source: 'https://github.com/fluxcd/flagger/issues/1396',
      objects: [
        ks('flagger-loadtester', [
          'False',
          'ArtifactFailed',
          'kustomization path not found: stat /tmp/kustomization-878691743/kustomize/tester: no such file or directory',
        ]),
        obj('OCIRepository', 'flagger', { spec: { url: 'oci://ghcr.io/fluxcd/flagger-manifests' }, status: READY() }),
      ],
      expect: [
        {
          cause: 'path-not-found',
          data: { path: './kustomize/tester', missing: '/tmp/kustomization-878691743/kustomize/tester' },
          summary:
            'Kustomization flux-system/flagger-loadtester cannot build: spec.path ./kustomize/tester does not exist in OCIRepository flux-system/flagger at revision latest@sha256:0123456789ab',
          fixTarget: { kind: 'Kustomization', namespace: 'flux-system', name: 'flagger-loadtester' },
          evidence: [/kustomization path not found/],
          remediation: [
            /Fix spec.path/,
            /flux reconcile kustomization flagger-loadtester -n flux-system --with-source/,
          ],
        },
      ],
    },
    {
      name: 'invalid kustomization.yaml (unknown field)',
      source: 'https://github.com/onedr0p/cluster-template/issues/356',
      objects: [
        ks(
          'apps',
          [
            'False',
            'BuildFailed',
            "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'backup-system': read /tmp/kustomization-4230188404/cluster/apps/backup-system: is a directory': recursed accumulation of path '/tmp/kustomization-4230188404/cluster/apps/backup-system': accumulating resources: accumulation err='accumulating resources from 'benji': read /tmp/kustomization-4230188404/cluster/apps/backup-system/benji: is a directory': couldn't make target for path '/tmp/kustomization-4230188404/cluster/apps/backup-system/benji': json: unknown field \"files\"",
          ],
          { path: './cluster/apps', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
        ),
      ],
      expect: [
        {
          cause: 'kustomization-file-invalid',
          summary:
            /cannot build path .\/cluster\/apps of GitRepository flux-system\/flux-system at revision .*: kustomization.yaml in .\/cluster\/apps\/backup-system\/benji is invalid: unknown field "files"/,
          remediation: [/flux build kustomization apps -n flux-system/],
        },
      ],
    },
    {
      name: 'resource listed in kustomization.yaml missing',
      source: 'https://github.com/flanksource/canary-checker/pull/1643',
      objects: [
        ks(
          'canaries',
          [
            'False',
            'BuildFailed',
            "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'k8s': read /tmp/kustomization-2520510114/fixtures/k8s: is a directory': recursed accumulation of path '/tmp/kustomization-2520510114/fixtures/k8s': accumulating resources: accumulation err='accumulating resources from 'namespace_pass.yaml': open /tmp/kustomization-2520510114/fixtures/k8s/namespace_pass.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '/tmp/kustomization-2520510114/fixtures/k8s/namespace_pass.yaml' : lstat /tmp/kustomization-2520510114/fixtures/k8s/namespace_pass.yaml: no such file or directory",
          ],
          { path: './fixtures', sourceRef: { kind: 'GitRepository', name: 'canary-checker' } },
        ),
      ],
      expect: [
        {
          cause: 'resource-error',
          data: { resource: 'k8s' },
          summary: /a resource listed in kustomization.yaml does not exist: 'namespace_pass.yaml'/,
        },
      ],
    },
    {
      name: 'generated kustomization: file is not a Kubernetes manifest',
      source:
        'fluxcd/pkg kustomize/kustomize_generator.go ("failed to decode Kubernetes YAML from %s: %w"); real text in https://github.com/fluxcd/flux2/issues/1788',
      objects: [
        ks('flux-system', [
          'False',
          'BuildFailed',
          'failed to decode Kubernetes YAML from /tmp/kustomization-171464111/.yamllint.yaml: missing Resource metadata',
        ]),
      ],
      expect: [
        {
          cause: 'invalid-yaml',
          data: { file: '/tmp/kustomization-171464111/.yamllint.yaml' },
          summary:
            'Kustomization flux-system/flux-system cannot build path ./kustomize/tester of OCIRepository flux-system/flagger at revision latest@sha256:0123456789ab: ./.yamllint.yaml is not a valid Kubernetes manifest: missing Resource metadata',
        },
      ],
    },
    {
      name: 'v1beta1: kustomize-controller v0.8 path not found (Flux v0.8)',
      source: 'https://github.com/fluxcd/flux2/issues/1184',
      objects: [
        {
          ...ks('apps', [
            'False',
            'ArtifactFailed',
            'kustomization path not found: stat /tmp/: no such file or directory',
          ]),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [{ cause: 'path-not-found', data: { missing: '/tmp/' } }],
    },
    {
      name: 'v1beta2: invalid kustomization.yaml found by the decryptor (v0.24–v1.4 "error decrypting env sources")',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/706',
      objects: [
        {
          ...ks('apps', [
            'False',
            'BuildFailed',
            'error decrypting env sources: failed to unmarshal kustomization file: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Kustomization.patches of type types.Patch',
          ]),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        },
      ],
      expect: [{ cause: 'kustomization-file-invalid' }],
    },
    {
      name: 'v1beta1: kustomize-controller v0.14 "kustomize create failed" in an unknown wording, the reason tells',
      source: 'kustomize-controller v0.14 controllers/kustomization_generator.go "kustomize create failed: %w"',
      objects: [
        {
          ...ks('apps', [
            'False',
            'BuildFailed',
            'kustomize create failed: open /tmp/x/kustomization.yaml: permission denied',
          ]),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'build-error',
          summary: /cannot build path .\/kustomize\/tester of OCIRepository flux-system\/flagger/,
        },
      ],
    },
    {
      name: 'a BuildFailed message the catalogue does not know: the reason tells',
      objects: [ks('apps', ['False', 'BuildFailed', "component path '../base' must be local and relative"])],
      expect: [{ cause: 'build-error', summary: /: component path '..\/base' must be local and relative$/ }],
    },
  ],
});
