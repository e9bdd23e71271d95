import { rule } from '../../src/rules/helm-secret-missing.js';
import { event, obj, READY, ruleTester, secret, status } from '../helpers.js';

// helm-controller internal/controller/helmrelease_controller.go: chartutil.ChartValuesFromReferences
// errors are written as MarkFalse(Ready, "ValuesError", "%s", err) plus a Warning event "ValuesError".
// The text is fluxcd/pkg chartutil/values.go ErrValuesReference.Error():
//   "could not resolve" [" optional"] " <Kind> chart values reference '<ns>/<name>'" [" with key '<key>'"] ": <reason>"
// where reason is the API's NotFound error (`secrets "x" not found`) or ErrKeyNotFound ("key not found").
const SECRET_NOT_FOUND =
  "could not resolve Secret chart values reference 'podinfo/podinfo-values' with key 'values.yaml': secrets \"podinfo-values\" not found";
const CM_KEY_NOT_FOUND =
  "could not resolve ConfigMap chart values reference 'podinfo/podinfo-config' with key 'extra.yaml': key not found";
// helm-controller buildRESTClientGetter: fmt.Errorf("could not get KubeConfig secret '%s': %w", ...), Ready reason RESTClientError.
const KUBECONFIG_NOT_FOUND =
  'could not get KubeConfig secret \'podinfo/prod-kubeconfig\': secrets "prod-kubeconfig" not found';

const hr = (spec: Record<string, unknown>, ready: [string, string, string?]) =>
  obj('HelmRelease', 'podinfo/podinfo', {
    spec: {
      chart: {
        spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } },
      },
      ...spec,
    },
    status: status(ready),
  });

const configMap = (nsName: string, keys: string[]) =>
  obj('ConfigMap', nsName, { extra: { data: Object.fromEntries(keys.map((k) => [k, 'replicaCount: 2'])) } });

ruleTester(rule, {
  valid: [
    {
      name: 'Ready HelmRelease whose valuesFrom objects exist',
      objects: [
        hr({ valuesFrom: [{ kind: 'Secret', name: 'podinfo-values' }] }, [
          'True',
          'InstallSucceeded',
          'Helm install succeeded for release podinfo/podinfo.v1 with chart podinfo@6.5.4',
        ]),
        secret('podinfo/podinfo-values', ['values.yaml']),
      ],
    },
    {
      name: 'optional reference to a missing Secret (the controller skips it)',
      source: 'fluxcd/pkg chartutil/values.go: optional references only log "could not resolve optional ..."',
      objects: [
        hr({ valuesFrom: [{ kind: 'Secret', name: 'podinfo-values', optional: true }] }, [
          'False',
          'InstallFailed',
          'Helm install failed for release podinfo/podinfo with chart podinfo@6.5.4: context deadline exceeded',
        ]),
        secret('podinfo/other', ['values.yaml']),
      ],
    },
    {
      name: 'values YAML that cannot be parsed is helm.values-invalid, not a missing Secret',
      source: 'fluxcd/pkg chartutil/values.go: NewErrValuesReference(..., ErrValuesDataRead, err) keeps the YAML error',
      objects: [
        hr({ valuesFrom: [{ kind: 'ConfigMap', name: 'podinfo-config' }] }, [
          'False',
          'ValuesError',
          "could not resolve ConfigMap chart values reference 'podinfo/podinfo-config' with key 'values.yaml': error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context",
        ]),
        configMap('podinfo/podinfo-config', ['values.yaml']),
      ],
    },
    {
      name: 'Secret not readable (no Secrets in what was read): cannot tell it is missing',
      objects: [
        hr({ valuesFrom: [{ kind: 'Secret', name: 'podinfo-values' }] }, [
          'Unknown',
          'Progressing',
          "Running 'install' action with timeout of 5m0s",
        ]),
      ],
    },
  ],
  invalid: [
    {
      name: 'valuesFrom Secret does not exist (ValuesError condition and event)',
      source:
        'fluxcd/pkg chartutil/values.go ErrValuesReference; helm-controller helmrelease_controller.go ValuesError',
      objects: [
        hr({ valuesFrom: [{ kind: 'Secret', name: 'podinfo-values' }] }, ['False', 'ValuesError', SECRET_NOT_FOUND]),
        event({ kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' }, 'ValuesError', SECRET_NOT_FOUND),
        secret('podinfo/unrelated', ['token']),
      ],
      expect: [
        {
          cause: 'values-object-missing',
          data: { target: 'Secret podinfo/podinfo-values', key: 'values.yaml', field: 'spec.valuesFrom[0]' },
          summary:
            'HelmRelease podinfo/podinfo reads chart values from Secret podinfo/podinfo-values (spec.valuesFrom[0]), which does not exist',
          fixTarget: { kind: 'Secret', namespace: 'podinfo', name: 'podinfo-values' },
          evidence: [/ValuesError/, /secrets "podinfo-values" not found/],
          remediation: [
            /kubectl create secret generic podinfo-values -n podinfo --from-file=values\.yaml=\.\/values\.yaml/,
            /optional: true/,
            /flux reconcile helmrelease podinfo -n podinfo/,
          ],
        },
      ],
    },
    {
      name: 'valuesFrom ConfigMap lacks the valuesKey',
      source: 'fluxcd/pkg chartutil/values.go ErrKeyNotFound',
      objects: [
        hr({ valuesFrom: [{ kind: 'ConfigMap', name: 'podinfo-config', valuesKey: 'extra.yaml' }] }, [
          'False',
          'ValuesError',
          CM_KEY_NOT_FOUND,
        ]),
        configMap('podinfo/podinfo-config', ['values.yaml']),
      ],
      expect: [
        {
          cause: 'values-key-missing',
          data: { key: 'extra.yaml' },
          summary:
            "HelmRelease podinfo/podinfo reads chart values from key 'extra.yaml' of ConfigMap podinfo/podinfo-config (spec.valuesFrom[0]), which has no such key (it has: values.yaml)",
          fixTarget: { kind: 'ConfigMap', namespace: 'podinfo', name: 'podinfo-config' },
          remediation: [/kubectl create configmap podinfo-config -n podinfo --from-file=extra\.yaml=/],
        },
      ],
    },
    {
      name: 'kubeConfig secretRef does not exist',
      source: 'fluxcd/helm-controller internal/controller/helmrelease_controller.go buildRESTClientGetter',
      objects: [
        hr({ kubeConfig: { secretRef: { name: 'prod-kubeconfig' } } }, [
          'False',
          'RESTClientError',
          KUBECONFIG_NOT_FOUND,
        ]),
        secret('podinfo/other', ['value']),
      ],
      expect: [
        {
          cause: 'kubeconfig-secret-missing',
          summary:
            'HelmRelease podinfo/podinfo reads the kubeconfig of the remote cluster from Secret podinfo/prod-kubeconfig (spec.kubeConfig.secretRef), which does not exist',
          fixTarget: { kind: 'Secret', namespace: 'podinfo', name: 'prod-kubeconfig' },
          remediation: [/--from-file=value=\.\/kubeconfig/],
        },
      ],
    },
    {
      name: 'from the graph only: a failing release whose required Secret has no values.yaml key',
      objects: [
        hr({ valuesFrom: [{ kind: 'Secret', name: 'podinfo-values' }] }, [
          'False',
          'InstallFailed',
          'Helm install failed for release podinfo/podinfo with chart podinfo@6.5.4: context deadline exceeded',
        ]),
        secret('podinfo/podinfo-values', ['username']),
        obj('HelmRepository', 'podinfo', { spec: { url: 'https://stefanprodan.github.io/podinfo' }, status: READY() }),
      ],
      expect: [
        {
          cause: 'values-key-missing',
          summary:
            "HelmRelease podinfo/podinfo reads chart values from key 'values.yaml' of Secret podinfo/podinfo-values (spec.valuesFrom[0]), which has no such key (it has: username)",
          evidence: [/spec\.valuesFrom\[0\]: Secret podinfo\/podinfo-values has no key 'values\.yaml'/],
        },
      ],
    },
    {
      name: 'v2beta1 controller (up to v0.36): "could not find Secret" with Ready reason InitFailed',
      source: 'helm-controller v0.36 controllers/helmrelease_controller.go composeValues "could not find %s \'%s\'"',
      objects: [
        {
          ...hr({ valuesFrom: [{ kind: 'Secret', name: 'podinfo-values' }] }, [
            'False',
            'InitFailed',
            "could not find Secret 'podinfo/podinfo-values'",
          ]),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        },
      ],
      expect: [
        {
          cause: 'values-object-missing',
          summary:
            'HelmRelease podinfo/podinfo reads chart values from Secret podinfo/podinfo-values (spec.valuesFrom[0]), which does not exist',
          remediation: [
            /^kubectl create secret generic podinfo-values -n podinfo --from-file=values\.yaml=\.\/values\.yaml$/,
          ],
        },
      ],
    },
    {
      name: 'v2beta1: "missing key" in a ConfigMap',
      source: "helm-controller v0.36 composeValues \"missing key '%s' in %s '%s'\"",
      objects: [
        {
          ...hr({ valuesFrom: [{ kind: 'ConfigMap', name: 'podinfo-config', valuesKey: 'extra.yaml' }] }, [
            'False',
            'InitFailed',
            "missing key 'extra.yaml' in ConfigMap 'podinfo/podinfo-config'",
          ]),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        },
      ],
      expect: [
        {
          cause: 'values-key-missing',
          summary:
            "HelmRelease podinfo/podinfo reads chart values from key 'extra.yaml' of ConfigMap podinfo/podinfo-config (spec.valuesFrom[0]), which has no such key (its keys were not read)",
        },
      ],
    },
  ],
});
