import assert from 'node:assert/strict';
import { it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { rule as installFailed } from '../../src/rules/helm-install-failed.js';
import { rule as upgradeFailed } from '../../src/rules/helm-upgrade-failed.js';
import { rule } from '../../src/rules/helm-values-invalid.js';
import { cond, event, findingKeys, graphOf, obj, ruleTester, status } from '../helpers.js';

// Schema failure as reported by a Flux user (https://github.com/rafaribe/home-ops/issues/4049):
// "Helm install failed for release storage/harbor with chart app-template@4.1.2: values don't meet the
// specifications of the schema(s) in the following chart(s): ..." — helm-controller install.go
// fmtInstallFailure wrapping Helm's schema error, whose layout is "<chart>:\n- <path>: <problem>" (Helm 3).
const SCHEMA =
  "Helm install failed for release storage/harbor with chart app-template@4.1.2: values don't meet the specifications of the schema(s) in the following chart(s):\napp-template:\n- configMaps.registry-config: Additional property advancedMounts is not allowed\n- configMaps.registry-config: Must validate all the schemas (allOf)";
// Template failure: Helm's text/template error quoted in https://github.com/grafana/k8s-monitoring-helm/issues/192,
// wrapped by helm-controller upgrade.go fmtUpgradeFailure (a Flux report of the same form:
// https://github.com/actions/actions-runner-controller/issues/4045 "Helm upgrade failed: template: ...").
const TEMPLATE =
  'Helm upgrade failed for release monitoring/grafana-k8s-monitoring with chart k8s-monitoring@0.2.0: template: k8s-monitoring/templates/tests/test.yaml:85:27: executing "k8s-monitoring/templates/tests/test.yaml" at <.Values.test.image.registry>: nil pointer evaluating interface {}.image';
// fluxcd/pkg chartutil/values.go: NewErrValuesReference(..., ErrValuesDataRead, err) keeps the YAML error
// ("could not resolve ... : <err>"); helm-controller sets Ready=False reason ValuesError.
const BAD_YAML =
  "could not resolve ConfigMap chart values reference 'storage/harbor-values' with key 'values.yaml': error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context";

// helm.sh/helm/v3 pkg/engine/engine.go cleanupExecError, as the bitnami postgresql chart's `required` writes it.
// (the reader masks the secret-looking `secrets.yaml:17:24` as `secrets.yaml:***`; the pattern reads both)
const REQUIRED =
  'Helm upgrade failed: execution error at (postgresql/templates/secrets.yaml:17:24): PASSWORDS ERROR: You must provide your current passwords when upgrading the release.';

const hr = (nsName: string, conditions: ReturnType<typeof cond>[], ready: [string, string, string?], spec = {}) =>
  obj('HelmRelease', nsName, {
    spec: {
      chart: {
        spec: { chart: 'app-template', sourceRef: { kind: 'HelmRepository', name: 'bjw-s', namespace: 'flux-system' } },
      },
      ...spec,
    },
    status: status(ready, conditions),
  });

ruleTester(rule, {
  valid: [
    {
      name: 'healthy release',
      objects: [
        hr(
          'storage/harbor',
          [],
          [
            'True',
            'InstallSucceeded',
            'Helm install succeeded for release storage/harbor.v1 with chart app-template@4.1.2',
          ],
        ),
      ],
    },
    {
      name: 'install timed out waiting for workloads (helm.install-failed)',
      objects: [
        hr(
          'storage/harbor',
          [
            cond(
              'Released',
              'False',
              'InstallFailed',
              "Helm install failed for release storage/harbor with chart app-template@4.1.2: timeout waiting for: [Deployment/storage/harbor status: 'InProgress']",
            ),
          ],
          [
            'False',
            'InstallFailed',
            "Helm install failed for release storage/harbor with chart app-template@4.1.2: timeout waiting for: [Deployment/storage/harbor status: 'InProgress']",
          ],
        ),
      ],
    },
    {
      name: 'an old schema event does not relabel a newer timeout failure',
      objects: [
        hr(
          'storage/harbor',
          [
            cond(
              'Released',
              'False',
              'InstallFailed',
              'Helm install failed for release storage/harbor with chart app-template@4.1.2: context deadline exceeded',
            ),
          ],
          [
            'False',
            'InstallFailed',
            'Helm install failed for release storage/harbor with chart app-template@4.1.2: context deadline exceeded',
          ],
        ),
        event(
          { kind: 'HelmRelease', namespace: 'storage', name: 'harbor' },
          'InstallFailed',
          SCHEMA,
          'Warning',
          '2026-11-23T10:00:00Z',
        ),
      ],
    },
    {
      name: 'missing values Secret is helm.secret-missing',
      source: 'fluxcd/pkg chartutil/values.go ErrResourceNotFound',
      objects: [
        hr(
          'storage/harbor',
          [],
          [
            'False',
            'ValuesError',
            "could not resolve Secret chart values reference 'storage/harbor-values' with key 'values.yaml': secrets \"harbor-values\" not found",
          ],
        ),
      ],
    },
    {
      name: 'schema failure of an old attempt while a new chart is awaited (Ready=SourceNotReady)',
      objects: [
        hr(
          'storage/harbor',
          [cond('Released', 'False', 'InstallFailed', SCHEMA)],
          [
            'False',
            'SourceNotReady',
            "HelmChart 'flux-system/storage-harbor' is not ready: latest generation of object has not been reconciled",
          ],
        ),
      ],
    },
  ],
  invalid: [
    {
      name: "values don't meet the chart's values.schema.json",
      source: 'https://github.com/rafaribe/home-ops/issues/4049',
      objects: [
        hr('storage/harbor', [cond('Released', 'False', 'InstallFailed', SCHEMA)], ['False', 'InstallFailed', SCHEMA], {
          valuesFrom: [{ kind: 'ConfigMap', name: 'harbor-values' }],
        }),
        event({ kind: 'HelmRelease', namespace: 'storage', name: 'harbor' }, 'InstallFailed', SCHEMA),
      ],
      expect: [
        {
          cause: 'schema-invalid',
          data: { chart: 'app-template@4.1.2', version: '4.1.2', sources: 'spec.values, ConfigMap harbor-values' },
          summary:
            'The values of HelmRelease storage/harbor do not meet the values.schema.json of chart app-template@4.1.2: - configMaps.registry-config: Additional property advancedMounts is not allowed; - configMaps.registry-config: Must validate all the schemas (allOf)',
          fixTarget: { kind: 'HelmRelease', namespace: 'storage', name: 'harbor' },
          evidence: [/values don't meet the specifications of the schema/],
          remediation: [/spec\.values, ConfigMap harbor-values/, /helm template harbor <chart> --version 4\.1\.2/],
        },
      ],
    },
    {
      name: 'template fails to render with the values (upgrade)',
      source: 'https://github.com/grafana/k8s-monitoring-helm/issues/192 + helm-controller upgrade.go',
      objects: [
        hr(
          'monitoring/grafana-k8s-monitoring',
          [cond('Released', 'False', 'UpgradeFailed', TEMPLATE)],
          ['False', 'UpgradeFailed', TEMPLATE],
        ),
      ],
      expect: [
        {
          cause: 'template-error',
          summary:
            'Chart k8s-monitoring@0.2.0 fails to render with the values of HelmRelease monitoring/grafana-k8s-monitoring: template: k8s-monitoring/templates/tests/test.yaml:85:27: executing "k8s-monitoring/templates/tests/test.yaml" at <.Values.test.image.registry>: nil pointer evaluating interface {}.image',
          remediation: [/<\.Values…> path/],
        },
      ],
    },
    {
      name: 'valuesFrom ConfigMap holds invalid YAML',
      source: 'fluxcd/pkg chartutil/values.go ErrValuesDataRead',
      objects: [
        hr('storage/harbor', [], ['False', 'ValuesError', BAD_YAML], {
          valuesFrom: [{ kind: 'ConfigMap', name: 'harbor-values' }],
        }),
      ],
      expect: [
        {
          cause: 'values-document-invalid',
          data: { key: 'values.yaml', target: 'ConfigMap storage/harbor-values' },
          summary:
            "HelmRelease storage/harbor cannot read the values in key 'values.yaml' of ConfigMap storage/harbor-values: error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context",
          fixTarget: { kind: 'ConfigMap', namespace: 'storage', name: 'harbor-values' },
        },
      ],
    },
    {
      name: 'v2beta1 controller: "Helm upgrade failed: execution error at (…)" (the chart calls `required`)',
      source:
        'helm-controller v0.36 "Helm %s failed: %s" wrapping helm.sh/helm/v3 pkg/engine/engine.go "execution error at (%s): %s"',
      objects: [
        {
          ...hr(
            'apps/db',
            [cond('Released', 'False', 'UpgradeFailed', REQUIRED)],
            ['False', 'UpgradeFailed', 'upgrade retries exhausted'],
          ),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        },
      ],
      expect: [
        {
          cause: 'template-error',
          summary:
            'Chart app-template fails to render with the values of HelmRelease apps/db: execution error at (postgresql/templates/secrets.yaml:***): PASSWORDS ERROR: You must provide your current passwords when upgrading the release.',
          remediation: [/^flux debug hr db -n apps --show-values$/],
        },
      ],
    },
  ],
});

it('helm.values-invalid overrides helm.install-failed on the same HelmRelease', () => {
  const g = graphOf([
    hr('storage/harbor', [cond('Released', 'False', 'InstallFailed', SCHEMA)], ['False', 'InstallFailed', SCHEMA]),
  ]);
  const r = diagnose(g, { rules: [rule, installFailed, upgradeFailed] });
  assert.deepEqual(findingKeys(r), ['error helm.values-invalid HelmRelease/storage/harbor']);
});
