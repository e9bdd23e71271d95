import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/diagnose/engine.js';
import { rule } from '../../src/rules/flux-reference-missing.js';
import { cond, event, graphOf, idOf, logLine, obj, READY, ruleTester, status } from '../helpers.js';

const gitRepo = (nsName: string) =>
  obj('GitRepository', nsName, { spec: { interval: '1m', url: 'https://github.com/org/repo' }, status: READY() });

ruleTester(rule, {
  valid: [
    {
      name: 'every reference exists',
      objects: [
        gitRepo('flux-system'),
        obj('Kustomization', 'infra', {
          spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
          status: READY(),
        }),
        obj('Kustomization', 'apps', {
          spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, dependsOn: [{ name: 'infra' }] },
          status: READY(),
        }),
      ],
    },
    {
      name: 'target kind not read and no controller message: nothing is known about it',
      objects: [
        obj('Kustomization', 'apps', {
          spec: { sourceRef: { kind: 'OCIRepository', name: 'manifests' } },
          status: status(['Unknown', 'Progressing', 'Reconciliation in progress']),
        }),
      ],
    },
    {
      name: 'source exists but has no artifact yet (a look-alike "not found" message)',
      // fluxcd/kustomize-controller internal/controller/kustomization_controller.go:
      // fmt.Sprintf("Source artifact not found, retrying in %s", r.DependencyRequeueInterval.String())
      source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go',
      objects: [
        obj('GitRepository', 'flux-system', {
          spec: { interval: '1m' },
          status: status(['Unknown', 'Progressing', 'building artifact']),
        }),
        obj('Kustomization', 'apps', {
          spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
          status: status(['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s']),
        }),
      ],
    },
    {
      name: 'generated HelmChart not created yet while the HelmRelease is progressing',
      objects: [
        obj('HelmRepository', 'apps/podinfo', {
          spec: { url: 'https://stefanprodan.github.io/podinfo' },
          status: READY(),
        }),
        obj('HelmChart', 'apps/other', {
          spec: { chart: 'other', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
          status: READY(),
        }),
        obj('HelmRelease', 'apps/web', {
          spec: { chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
          status: status(['Unknown', 'Progressing', 'reconciliation in progress']),
        }),
      ],
    },
    {
      name: 'wildcard Alert event source and a ResourceSet dependsOn a non-Flux kind',
      objects: [
        obj('Provider', 'slack', { spec: { type: 'slack' } }),
        obj('Alert', 'all', {
          spec: { providerRef: { name: 'slack' }, eventSources: [{ kind: 'Kustomization', name: '*' }] },
        }),
        obj('ResourceSet', 'apps', {
          spec: {
            dependsOn: [{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'x.y' }],
          },
          status: READY('Reconciliation finished'),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'HelmRelease (v2beta1) dependsOn a missing HelmRelease: helm-controller v0.x "\'<ns/name>\' dependency does not exist"',
      // helm-controller v0.x (2020) controllers/helmrelease_controller.go reconcileDependencies:
      // apierrors.IsNotFound → fmt.Errorf("'%s' dependency does not exist", dName); HelmReleaseNotReady(DependencyNotReady, err.Error())
      source: 'helm-controller v0.x controllers/helmrelease_controller.go (reconcileDependencies)',
      objects: [
        {
          ...obj('HelmRelease', 'apps/web', {
            spec: { dependsOn: [{ name: 'redis' }], chart: { spec: { chart: 'web' } } },
            status: status(['False', 'DependencyNotReady', "'apps/redis' dependency does not exist"]),
          }),
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        },
      ],
      expect: [
        {
          object: 'HelmRelease/apps/web',
          cause: 'dependency-missing',
          data: { name: 'redis', namespace: 'apps', field: 'spec.dependsOn[0]' },
          evidence: [/'apps\/redis' dependency does not exist/],
        },
      ],
    },
    {
      name: 'Kustomization sourceRef names a GitRepository that does not exist (message and log)',
      // kustomize-controller getSource returns the apierrors NotFound unwrapped and the reconciler does
      // conditions.MarkFalse(obj, ReadyCondition, ArtifactFailedReason, "%s", err) and
      // log.Info(fmt.Sprintf("Source '%s' not found", obj.Spec.SourceRef.String())). NotFound text format as in
      // fluxcd/source-controller internal/controller/helmchart_controller_test.go:
      // "failed to get source: gitrepositories.source.toolkit.fluxcd.io \"unavailable\" not found".
      source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go (Reconcile, getSource)',
      objects: [
        gitRepo('flux-system'),
        gitRepo('apps/podinfo'),
        obj('Kustomization', 'apps', {
          spec: { sourceRef: { kind: 'GitRepository', name: 'podinfo' } },
          status: status(['False', 'ArtifactFailed', 'gitrepositories.source.toolkit.fluxcd.io "podinfo" not found']),
        }),
      ],
      logs: [
        logLine(
          { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
          "Source 'GitRepository/podinfo' not found",
          undefined,
          'info',
        ),
      ],
      expect: [
        {
          object: 'Kustomization/flux-system/apps',
          severity: 'error',
          cause: 'source-missing',
          data: {
            kind: 'GitRepository',
            name: 'podinfo',
            namespace: 'flux-system',
            suggestion: 'GitRepository apps/podinfo',
          },
          summary:
            'Kustomization flux-system/apps references GitRepository flux-system/podinfo in spec.sourceRef, which does not exist, so it cannot be reconciled — did you mean GitRepository apps/podinfo?',
          fixTarget: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
          evidence: [
            /gitrepositories.source.toolkit.fluxcd.io "podinfo" not found/,
            /Source 'GitRepository\/podinfo' not found/,
          ],
          remediation: [/set namespace: apps/, /flux reconcile kustomization apps -n flux-system/],
        },
      ],
    },
    {
      name: 'HelmRelease dependsOn a HelmRelease that does not exist',
      // fluxcd/helm-controller internal/controller/helmrelease_controller.go checkDependencies:
      // fmt.Errorf("unable to get '%s' dependency: %w", depName, err); MarkFalse(Ready, DependencyNotReadyReason, "%s", err)
      source: 'fluxcd/helm-controller internal/controller/helmrelease_controller.go (checkDependencies)',
      objects: [
        obj('HelmRelease', 'apps/web', {
          spec: {
            dependsOn: [{ name: 'postgres', namespace: 'db' }],
            chartRef: { kind: 'OCIRepository', name: 'web' },
          },
          status: status([
            'False',
            'DependencyNotReady',
            'unable to get \'db/postgres\' dependency: helmreleases.helm.toolkit.fluxcd.io "postgres" not found',
          ]),
        }),
        obj('OCIRepository', 'apps/web', { spec: { url: 'oci://ghcr.io/org/charts/web' }, status: READY() }),
      ],
      expect: [
        {
          object: 'HelmRelease/apps/web',
          cause: 'dependency-missing',
          data: { name: 'postgres', namespace: 'db', field: 'spec.dependsOn[0]' },
          summary:
            'HelmRelease apps/web references HelmRelease db/postgres in spec.dependsOn[0], which does not exist (the controller reports it not found), so it cannot be reconciled',
          evidence: [/unable to get 'db\/postgres' dependency/],
          remediation: [
            /^Create HelmRelease db\/postgres$/,
            /^Or, correct spec.dependsOn\[0\] of HelmRelease apps\/web to name an existing HelmRelease/,
            /^List the existing ones:$/,
            /^kubectl get helmreleases.helm.toolkit.fluxcd.io -A$/,
            /^flux reconcile helmrelease web -n apps$/,
          ],
        },
      ],
    },
    {
      name: 'HelmRelease chartRef OCIRepository not found: kind not read, the controller message is the evidence',
      // fluxcd/helm-controller internal/controller/helmrelease_controller.go:
      // msg := fmt.Sprintf("could not get Source object: %s", err.Error()); MarkFalse(Ready, ArtifactFailedReason, "%s", msg)
      source:
        'fluxcd/helm-controller internal/controller/helmrelease_controller.go (reconcileRelease, getSourceFromOCIRef)',
      objects: [
        obj('HelmRelease', 'apps/web', {
          spec: { chartRef: { kind: 'OCIRepository', name: 'web-chart' } },
          status: status([
            'False',
            'ArtifactFailed',
            'could not get Source object: ocirepositories.source.toolkit.fluxcd.io "web-chart" not found',
          ]),
        }),
      ],
      expect: [
        {
          cause: 'chart-missing',
          summary:
            /references OCIRepository apps\/web-chart in spec.chartRef, which does not exist \(the controller reports it not found\)/,
          evidence: [/could not get Source object/],
        },
      ],
    },
    {
      name: 'GitRepository include of a missing repository',
      // fluxcd/source-controller internal/controller/gitrepository_controller_test.go expects
      // TrueCondition(IncludeUnavailableCondition, "NotFound", "could not get resource for include 'a': gitrepositories.source.toolkit.fluxcd.io \"a\" not found")
      source: 'fluxcd/source-controller internal/controller/gitrepository_controller_test.go (fetchIncludes)',
      objects: [
        obj('GitRepository', 'flux-system', {
          spec: { interval: '1m', include: [{ repository: { name: 'a' } }] },
          status: {
            observedGeneration: 1,
            conditions: [
              cond(
                'Ready',
                'False',
                'NotFound',
                'could not get resource for include \'a\': gitrepositories.source.toolkit.fluxcd.io "a" not found',
              ),
              cond(
                'IncludeUnavailable',
                'True',
                'NotFound',
                'could not get resource for include \'a\': gitrepositories.source.toolkit.fluxcd.io "a" not found',
              ),
            ],
          },
        }),
      ],
      expect: [
        {
          cause: 'include-missing',
          summary: /references GitRepository flux-system\/a in spec.include\[0\].repository/,
        },
      ],
    },
    {
      name: 'ImagePolicy imageRepositoryRef to a missing ImageRepository',
      // fluxcd/image-reflector-controller internal/controller/imagepolicy_controller.go:
      // fmt.Errorf("referenced %s does not exist: %w", ImageRepositoryKind, err) wrapped in
      // fmt.Errorf("failed to get the referred ImageRepository: %w", err), reason DependencyNotReady.
      source: 'fluxcd/image-reflector-controller internal/controller/imagepolicy_controller.go (getImageRepository)',
      objects: [
        obj('ImageRepository', 'other', {
          spec: { image: 'ghcr.io/org/other' },
          status: READY('successful scan: found 3 tags'),
        }),
        obj('ImagePolicy', 'podinfo', {
          spec: { imageRepositoryRef: { name: 'podinfo' } },
          status: status([
            'False',
            'DependencyNotReady',
            'failed to get the referred ImageRepository: referenced ImageRepository does not exist: imagerepositories.image.toolkit.fluxcd.io "podinfo" not found',
          ]),
        }),
      ],
      expect: [
        {
          cause: 'image-repository-missing',
          summary:
            /ImagePolicy flux-system\/podinfo references ImageRepository flux-system\/podinfo in spec.imageRepositoryRef/,
        },
      ],
    },
    {
      name: 'Alert providerRef missing (event from notification-controller) and an event source that does not exist',
      // fluxcd/notification-controller internal/server/event_handlers.go: getNotificationParams returns
      // fmt.Errorf("failed to read provider: %w", err); handleEvent records Warning NotificationDispatchFailed
      // "failed to dispatch notification for %s: %s" (involvedObjectString = Kind/namespace/name).
      source: 'fluxcd/notification-controller internal/server/event_handlers.go',
      objects: [
        obj('Kustomization', 'apps', { status: READY() }),
        obj('Alert', 'ops', {
          spec: { providerRef: { name: 'slack' }, eventSources: [{ kind: 'Kustomization', name: 'infra' }] },
        }),
        event(
          { kind: 'Alert', namespace: 'flux-system', name: 'ops' },
          'NotificationDispatchFailed',
          'failed to dispatch notification for Kustomization/flux-system/apps: failed to read provider: providers.notification.toolkit.fluxcd.io "slack" not found',
        ),
      ],
      expect: [
        {
          severity: 'error',
          cause: 'provider-missing',
          summary:
            'Alert flux-system/ops references Provider flux-system/slack in spec.providerRef, which does not exist (the controller reports it not found), so it cannot be reconciled',
          evidence: [/NotificationDispatchFailed: failed to dispatch notification/],
        },
        {
          severity: 'warning',
          cause: 'event-source-missing',
          summary:
            /references Kustomization flux-system\/infra in spec.eventSources\[0\], which does not exist, so the Alert never fires for it/,
        },
      ],
    },
    {
      name: 'ResourceSet inputsFrom names a ResourceSetInputProvider that does not exist',
      // controlplaneio-fluxcd/flux-operator internal/controller/resourceset_controller.go getInputs:
      // fmt.Errorf("failed to get provider %s/%s: %w", ...), then stallWithTerminalError(ctx, obj, ..., "failed to compute inputs", err)
      // marks Ready=False BuildFailed with fmt.Sprintf("%s: %s", msgPrefix, err.Error()).
      source:
        'controlplaneio-fluxcd/flux-operator internal/controller/resourceset_controller.go (getInputs, stallWithTerminalError)',
      objects: [
        obj('ResourceSet', 'tenants/apps', {
          spec: { inputsFrom: [{ kind: 'ResourceSetInputProvider', name: 'github-prs' }] },
          status: status([
            'False',
            'BuildFailed',
            'failed to compute inputs: failed to get provider tenants/github-prs: resourcesetinputproviders.fluxcd.controlplane.io "github-prs" not found',
          ]),
        }),
      ],
      expect: [
        {
          summary:
            /ResourceSet tenants\/apps references ResourceSetInputProvider tenants\/github-prs in spec.inputsFrom\[0\], which does not exist \(the controller reports it not found\)/,
          evidence: [/failed to compute inputs: failed to get provider tenants\/github-prs/],
        },
      ],
    },
    {
      name: 'ready HelmRelease whose generated HelmChart is gone (HelmCharts were read)',
      objects: [
        obj('HelmRepository', 'apps/podinfo', {
          spec: { url: 'https://stefanprodan.github.io/podinfo' },
          status: READY(),
        }),
        obj('HelmChart', 'apps/other', {
          spec: { chart: 'other', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
          status: READY(),
        }),
        obj('HelmRelease', 'apps/web', {
          spec: { chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
          status: status(
            ['True', 'InstallSucceeded', 'Helm install succeeded for release apps/web.v1 with chart podinfo@6.5.0'],
            [],
            {
              helmChart: 'apps/apps-web',
            },
          ),
        }),
      ],
      expect: [
        {
          severity: 'warning',
          cause: 'generated-chart-missing',
          summary:
            'HelmRelease apps/web is Ready but the HelmChart apps/apps-web that helm-controller generates from its spec.chart does not exist; the next upgrade cannot fetch the chart until helm-controller recreates it',
          remediation: [
            /flux reconcile helmrelease web -n apps/,
            /kubectl get helmcharts.source.toolkit.fluxcd.io apps-web -n apps/,
          ],
        },
      ],
    },
    {
      name: 'ImageUpdateAutomation v1beta1 of v0.x: "referenced git repository is missing", GitRepositories not read',
      source:
        'image-automation-controller@v0.33.0 controllers/imageupdateautomation_controller.go "referenced git repository is missing" (GitNotAvailable)',
      objects: [
        {
          ...obj('ImageUpdateAutomation', 'apps', {
            spec: { sourceRef: { kind: 'GitRepository', name: 'fleet' }, interval: '5m' },
            status: status(['False', 'GitNotAvailable', 'referenced git repository is missing']),
          }),
          apiVersion: 'image.toolkit.fluxcd.io/v1beta1',
        },
      ],
      expect: [
        {
          cause: 'source-missing',
          data: { kind: 'GitRepository', name: 'fleet' },
          summary:
            'ImageUpdateAutomation flux-system/apps references GitRepository flux-system/fleet in spec.sourceRef, which does not exist (the controller reports it not found), so it cannot be reconciled',
        },
      ],
    },
    {
      name: 'ImageUpdateAutomation v1: the source manager reports the GitRepository not found',
      source:
        'image-automation-controller@v1.2.1 internal/source/source.go "referenced git repository does not exist: %w" in "failed configuring source manager: %w"',
      objects: [
        obj('ImageUpdateAutomation', 'apps', {
          spec: { sourceRef: { kind: 'GitRepository', name: 'fleet' }, interval: '5m' },
          status: status([
            'False',
            'SourceManagerFailed',
            'failed configuring source manager: referenced git repository does not exist: gitrepositories.source.toolkit.fluxcd.io "fleet" not found',
          ]),
        }),
      ],
      expect: [{ cause: 'source-missing', evidence: [/referenced git repository does not exist/] }],
    },
  ],
});

describe('flux.reference-missing in the engine', () => {
  it('a dependsOn naming a missing Kustomization is flux.reference-missing, not a dependency that is not ready', () => {
    // kustomize-controller@v1.4.0 internal/controller/kustomization_controller.go checkDependencies:
    // "dependency '%s' not found: %w" around the Kubernetes NotFound text (reason DependencyNotReady)
    const graph = graphOf([
      obj('GitRepository', 'flux-system', { spec: { url: 'https://github.com/org/fleet' }, status: READY() }),
      {
        ...obj('Kustomization', 'web', {
          spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, dependsOn: [{ name: 'infra' }] },
          status: status([
            'False',
            'DependencyNotReady',
            'dependency \'flux-system/infra\' not found: kustomizations.kustomize.toolkit.fluxcd.io "infra" not found',
          ]),
        }),
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
      },
    ]);
    const report = diagnose(graph);
    assert.deepEqual(
      report.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${idOf(f.rootCause)}`),
      ['flux.reference-missing Kustomization/flux-system/web'],
    );
  });
});
