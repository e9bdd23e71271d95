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
          summary:
            /cannot substitute variables: ConfigMap flux-system\/cluster-vars in spec.postBuild.substituteFrom does not exist \(and is not optional\)/,
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
          summary:
            /produced invalid YAML in 'prometheus-config-test' after substituting variables: yaml: line 5: did not find expected key/,
        },
      ],
    },
  ],
});
