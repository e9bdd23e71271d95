import { rule } from '../../src/rules/kustomize-substitution-failed.js';
import { obj, ruleTester, status } from '../helpers.js';

// kustomize-controller internal/controller/kustomization_controller.go build():
//   fmt.Errorf("post build failed for '%s/%s': %w", res.GetGvk(), res.GetName(), err) → Ready=False BuildFailed
//   (v0.x–v1.2: "var substitution failed for '%s': %w")
// fluxcd/pkg kustomize/kustomize_varsub.go LoadVariables: fmt.Errorf("substitute from 'ConfigMap/%s' error: %w", ...)
// varSubstitution: "variable substitution failed: %w"; SubstituteVariables: "envsubst error: %w";
// fluxcd/pkg envsubst/template.go: fmt.Errorf("%w: %q", errVarNotSet, node.Param) with errVarNotSet "variable not set (strict mode)".
const ks = (name: string, msg: string, postBuild: Record<string, unknown> = {}) =>
  obj('Kustomization', name, {
    spec: { path: './apps', sourceRef: { kind: 'GitRepository', name: 'flux-system' }, postBuild },
    status: status(['False', 'BuildFailed', msg]),
  });
const configMap = (name: string, keys: string[]) =>
  obj('ConfigMap', name, { extra: { data: Object.fromEntries(keys.map((k) => [k, 'v'])) } });

ruleTester(rule, {
  valid: [
    {
      name: 'ready Kustomization with substituteFrom',
      objects: [
        obj('Kustomization', 'apps', {
          spec: { postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }] } },
          status: status(['True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:0123']),
        }),
        configMap('cluster-vars', ['CLUSTER_NAME']),
      ],
    },
    {
      name: 'kustomize build failure without substitution (kustomize.build-failed)',
      source: 'https://github.com/fluxcd/flux2/issues/725',
      objects: [ks('apps', 'kustomize build failed: json: unknown field "spec"')],
    },
    {
      name: 'decryption failure (kustomize.decryption-failed)',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/1371',
      objects: [
        ks(
          'apps',
          "decryption failed for 'foo-token': failed to decrypt and format 'default/foo-token' Secret data: error decrypting sops tree: Error walking tree: Could not decrypt value: Input string x does not match sops' data format",
        ),
      ],
    },
  ],
  invalid: [
    {
      name: 'substituteFrom ConfigMap missing (current message form)',
      source:
        'fluxcd/pkg kustomize/kustomize_varsub.go ("substitute from \'ConfigMap/%s\' error: %w") wrapped by kustomization_controller.go build()',
      objects: [
        ks(
          'apps',
          "post build failed for '~G_v1_Namespace/apps': substitute from 'ConfigMap/cluster-vars' error: configmaps \"cluster-vars\" not found",
          {
            substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }],
          },
        ),
      ],
      expect: [
        {
          cause: 'substitute-from-missing',
          data: { ref: 'ConfigMap flux-system/cluster-vars' },
          summary:
            'Kustomization flux-system/apps cannot substitute variables: ConfigMap flux-system/cluster-vars in spec.postBuild.substituteFrom does not exist (and is not optional)',
          fixTarget: { kind: 'ConfigMap', namespace: 'flux-system', name: 'cluster-vars' },
          evidence: [/substitute from 'ConfigMap\/cluster-vars' error/],
          remediation: [/kubectl create configmap cluster-vars -n flux-system/, /optional: true/],
        },
      ],
    },
    {
      name: 'unparsable expression (issue report, old message form)',
      source: 'https://github.com/fluxcd/kustomize-controller/issues/290',
      objects: [
        ks('my-app', "var substitution failed for 'my-app': variable substitution failed: missing closing brace"),
      ],
      expect: [
        {
          cause: 'bad-syntax',
          data: { error: 'missing closing brace' },
          summary:
            /cannot substitute variables in 'my-app': a \$\{...\} expression cannot be parsed \(missing closing brace\)/,
          remediation: [/kustomize.toolkit.fluxcd.io\/substitute: disabled/],
        },
      ],
    },
    {
      name: 'strict mode: variable not set',
      source:
        'fluxcd/kustomize-controller internal/controller/kustomization_varsub_test.go (Ready message contains "variable not set") + fluxcd/pkg envsubst/template.go',
      objects: [
        ks(
          'apps',
          'post build failed for \'~G_v1_ServiceAccount/apps\': envsubst error: variable substitution failed: variable not set (strict mode): "missing"',
          { substitute: { test: 'test' }, substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }] },
        ),
        configMap('cluster-vars', ['CLUSTER_NAME']),
      ],
      expect: [
        {
          cause: 'variable-not-set',
          data: { variable: 'missing' },
          summary:
            /\$\{missing\} in ServiceAccount apps is not defined in spec.postBuild.substitute or ConfigMap cluster-vars, and strict substitution is on$/,
          fixTarget: { kind: 'ConfigMap', namespace: 'flux-system', name: 'cluster-vars' },
          remediation: [/Add key missing to ConfigMap flux-system\/cluster-vars/, /\$\{missing:=<default>\}/],
        },
      ],
    },
    {
      name: 'substituted value breaks the YAML',
      source: 'https://github.com/fluxcd/flux2/issues/3520',
      objects: [
        ks(
          'mytest',
          "var substitution failed for 'prometheus-config-test': YAMLToJSON: YAMLToJSON: yaml: line 5: did not find expected key",
          {
            substitute: { MYTEST: 'subtest' },
          },
        ),
      ],
      expect: [
        {
          cause: 'invalid-yaml',
          summary:
            /produced invalid YAML in 'prometheus-config-test' after substituting variables: yaml: line 5: did not find expected key/,
        },
      ],
    },
    {
      name: 'v1beta2: "var substitution failed for" with a missing substituteFrom Secret (v0.x wording)',
      source:
        'kustomize-controller v0.30 controllers/kustomization_varsub.go "substitute from \'Secret/%s\' error: %w" wrapped in "var substitution failed for \'%s\': %w"',
      objects: [
        {
          ...ks(
            'apps',
            "var substitution failed for 'apps': substitute from 'Secret/cluster-secrets' error: secrets \"cluster-secrets\" not found",
            { substituteFrom: [{ kind: 'Secret', name: 'cluster-secrets' }] },
          ),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        },
      ],
      expect: [
        {
          cause: 'substitute-from-missing',
          data: { ref: 'Secret flux-system/cluster-secrets' },
          fixTarget: { kind: 'Secret', namespace: 'flux-system', name: 'cluster-secrets' },
          remediation: [/kubectl create secret generic cluster-secrets -n flux-system/],
        },
      ],
    },
    {
      name: 'v1beta2: a key that is not a variable name (v0.10+)',
      source: "github.com/fluxcd/pkg/kustomize kustomize_varsub.go \"'%s' var name is invalid, must match '%s'\"",
      objects: [
        {
          ...ks(
            'apps',
            "var substitution failed for 'apps': 'cluster-name' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'",
            { substitute: { 'cluster-name': 'prod' } },
          ),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        },
      ],
      expect: [
        {
          cause: 'var-name-invalid',
          data: { key: 'cluster-name' },
          summary:
            "Kustomization flux-system/apps cannot substitute variables: key 'cluster-name' in spec.postBuild.substitute of Kustomization flux-system/apps is not a valid variable name (letters, digits and underscores only)",
        },
      ],
    },
    {
      name: 'strict mode with the quotes escaped as in an event (Flux 2.9, strict by default)',
      source: 'https://github.com/fluxcd/flux2/issues/5967',
      objects: [
        ks(
          'apps',
          'post build failed for \'CustomResourceDefinition.v1.apiextensions.k8s.io/kustomizations.kustomize.toolkit.fluxcd.io\': envsubst error: variable substitution failed: variable not set (strict mode): \\"var\\"',
        ),
      ],
      expect: [{ cause: 'variable-not-set', data: { variable: 'var' } }],
    },
  ],
});
