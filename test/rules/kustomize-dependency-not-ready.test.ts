import { rule } from '../../src/rules/kustomize-dependency-not-ready.js';
import { obj, READY, ruleTester, status } from '../helpers.js';

// Message formats: kustomize-controller@v1.9.3 internal/controller/kustomization_controller.go checkDependencies
// "dependency '%s' is not ready", "dependency '%s' revision is not up to date", "dependency '%s' not found: %w";
// kustomize-controller@v0.26.3 controllers/kustomization_controller.go "dependency '%s' is not updated yet",
// "unable to get '%s' dependency: %w"; written with Ready=False reason DependencyNotReady.
const waiting = (
  name: string,
  dep: string,
  apiVersion?: string,
  message = `dependency 'flux-system/${dep}' is not ready`,
) => ({
  ...obj('Kustomization', name, {
    spec: { dependsOn: [{ name: dep }], sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    status: status(['False', 'DependencyNotReady', message]),
  }),
  ...(apiVersion ? { apiVersion } : {}),
});

ruleTester(rule, {
  valid: [
    {
      name: 'ready Kustomization with dependsOn',
      objects: [obj('Kustomization', 'apps', { spec: { dependsOn: [{ name: 'infra' }] }, status: READY() })],
    },
    {
      name: 'failed for another reason (not DependencyNotReady)',
      objects: [
        obj('Kustomization', 'apps', {
          spec: { dependsOn: [{ name: 'infra' }] },
          status: status(['False', 'BuildFailed', 'kustomization path not found']),
        }),
      ],
    },
    {
      name: 'the dependency does not exist (flux.reference-missing, by its message)',
      source:
        'kustomize-controller@v1.9.3 internal/controller/kustomization_controller.go checkDependencies "dependency \'%s\' not found: %w"',
      objects: [
        waiting(
          'apps',
          'infra',
          undefined,
          'dependency \'flux-system/infra\' not found: kustomizations.kustomize.toolkit.fluxcd.io "infra" not found',
        ),
      ],
    },
    {
      name: 'v1beta2: the dependency does not exist (v0.x wording "unable to get \'…\' dependency")',
      source:
        'kustomize-controller@v0.26.3 controllers/kustomization_controller.go "unable to get \'%s\' dependency: %w"',
      objects: [
        waiting(
          'apps',
          'infra',
          'kustomize.toolkit.fluxcd.io/v1beta2',
          'unable to get \'flux-system/infra\' dependency: kustomizations.kustomize.toolkit.fluxcd.io "infra" not found',
        ),
      ],
    },
    {
      name: 'a HelmRelease dependency that does not exist in a namespace that was read (flux.reference-missing)',
      objects: [
        obj('HelmRelease', 'apps/web', {
          spec: { dependsOn: [{ name: 'postgres' }] },
          status: status(['False', 'DependencyNotReady', "dependency 'apps/postgres' is not ready"]),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'HelmRelease (v2beta1) waits on a failing HelmRelease: helm-controller v0.x wording, dependency named',
      // helm-controller v0.x (2020) controllers/helmrelease_controller.go reconcileDependencies
      // "dependency '%s' is not ready", HelmReleaseNotReady(DependencyNotReady, err.Error())
      source: 'helm-controller v0.x controllers/helmrelease_controller.go "dependency \'%s\' is not ready"',
      objects: [
        {
          ...obj('HelmRelease', 'apps/web', {
            spec: { dependsOn: [{ name: 'redis' }, { name: 'postgres', namespace: 'db' }] },
            status: status(['False', 'DependencyNotReady', "dependency 'db/postgres' is not ready"]),
          }),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        },
        // the first dependency is not ready either: the message names which one helm-controller waits for
        obj('HelmRelease', 'apps/redis', { status: status(['Unknown', 'Progressing', 'Reconciliation in progress']) }),
        obj('HelmRelease', 'db/postgres', { status: status(['False', 'InstallFailed', 'Helm install failed: boom']) }),
      ],
      expect: [
        {
          object: 'HelmRelease/apps/web',
          cause: 'dependency-not-ready',
          data: { dependency: 'HelmRelease db/postgres', state: 'failed: InstallFailed' },
          summary:
            'HelmRelease apps/web waits for HelmRelease db/postgres, which is not ready (it is failed: InstallFailed)',
          fixTarget: { kind: 'HelmRelease', namespace: 'db', name: 'postgres' },
          evidence: [/dependency 'db\/postgres' is not ready/],
        },
      ],
    },
    {
      name: 'HelmRelease v2: readyExpr wording (helm-controller v1.4+)',
      source:
        'helm-controller@v1.4.0 internal/controller/helmrelease_controller.go "dependency \'%s\' is not ready according to readyExpr eval"',
      objects: [
        obj('HelmRelease', 'apps/web', {
          spec: { dependsOn: [{ name: 'crds', namespace: 'infra', readyExpr: 'dep.status.ready' }] },
          status: status([
            'False',
            'DependencyNotReady',
            "dependency 'infra/crds' is not ready according to readyExpr eval",
          ]),
        }),
        obj('HelmRelease', 'infra/crds', { status: status(['Unknown', 'Progressing', 'Reconciliation in progress']) }),
      ],
      expect: [
        {
          object: 'HelmRelease/apps/web',
          cause: 'dependency-not-ready',
          data: { dependency: 'HelmRelease infra/crds' },
          fixTarget: { kind: 'HelmRelease', namespace: 'infra', name: 'crds' },
          evidence: [/readyExpr eval/],
        },
      ],
    },
    {
      name: 'waits on a failing Kustomization',
      source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go checkDependencies',
      objects: [
        waiting('apps', 'infra'),
        obj('Kustomization', 'infra', { status: status(['False', 'HealthCheckFailed', 'timeout']) }),
      ],
      expect: [
        {
          object: 'Kustomization/flux-system/apps',
          cause: 'dependency-not-ready',
          data: { dependency: 'Kustomization flux-system/infra', state: 'failed: HealthCheckFailed' },
          summary:
            'Kustomization flux-system/apps waits for Kustomization flux-system/infra, which is not ready (it is failed: HealthCheckFailed)',
          fixTarget: { kind: 'Kustomization', namespace: 'flux-system', name: 'infra' },
          evidence: [/dependency 'flux-system\/infra' is not ready/],
          remediation: [/flux reconcile kustomization infra -n flux-system/],
        },
      ],
    },
    {
      name: 'HelmRelease waits on a HelmRelease in a namespace that was not read',
      source: 'fluxcd/helm-controller: Ready=False DependencyNotReady "dependency \'db/postgres\' is not ready"',
      objects: [
        obj('HelmRelease', 'apps/web', {
          spec: { dependsOn: [{ name: 'postgres', namespace: 'db' }] },
          status: status(['False', 'DependencyNotReady', "dependency 'db/postgres' is not ready"]),
        }),
      ],
      expect: [
        {
          object: 'HelmRelease/apps/web',
          cause: 'dependency-not-read',
          summary:
            'HelmRelease apps/web waits for HelmRelease db/postgres, which is not ready (it was not in what fluxdoctor read, so its state is unknown)',
          fixTarget: { kind: 'HelmRelease', namespace: 'db', name: 'postgres' },
          remediation: [/^kubectl describe .*'?postgres'? -n '?db'?$/],
        },
      ],
    },
    {
      name: 'v1beta2: "is not updated yet" (kustomize-controller v0.19–v0.29)',
      source:
        'kustomize-controller@v0.26.3 controllers/kustomization_controller.go "dependency \'%s\' is not updated yet"',
      objects: [
        waiting(
          'apps',
          'infra',
          'kustomize.toolkit.fluxcd.io/v1beta2',
          "dependency 'flux-system/infra' is not updated yet",
        ),
        obj('Kustomization', 'infra', { status: status(['Unknown', 'Progressing', 'Reconciliation in progress']) }),
      ],
      expect: [
        {
          cause: 'dependency-not-ready',
          data: { dependency: 'Kustomization flux-system/infra', state: 'progressing: Progressing' },
          fixTarget: { kind: 'Kustomization', namespace: 'flux-system', name: 'infra' },
          evidence: [/is not updated yet/],
        },
      ],
    },
    {
      name: 'v1beta1: the reason alone tells, the message cut by the reporter',
      source: 'fluxcd/flux2#1193 (v0.11 "dependency \'flux-system/keycloak-operator\' is not ready", cut here)',
      objects: [
        waiting('apps', 'keycloak-operator', 'kustomize.toolkit.fluxcd.io/v1beta1', "dependency 'flux-system/keyclo"),
        obj('Kustomization', 'keycloak-operator', {
          status: status(['False', 'HealthCheckFailed', "Health check timed out for [deployments.apps 'x/y']"]),
        }),
      ],
      expect: [{ cause: 'dependency-not-ready', data: { dependency: 'Kustomization flux-system/keycloak-operator' } }],
    },
  ],
});
