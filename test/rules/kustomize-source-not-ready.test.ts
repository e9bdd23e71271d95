import { rule } from '../../src/rules/kustomize-source-not-ready.js';
import { event, obj, READY, ruleTester, status } from '../helpers.js';

// Messages: fluxcd/kustomize-controller internal/controller/kustomization_controller.go (Reconcile):
//   msg := fmt.Sprintf("Source artifact not found, retrying in %s", r.DependencyRequeueInterval.String())
//   conditions.MarkFalse(obj, meta.ReadyCondition, meta.ArtifactFailedReason, "%s", msg)
//   msg := fmt.Sprintf("Source is not ready, artifact not found, retrying in %s", ...)   (fetch.ErrFileNotFound)
//   getSource → acl.AccessDeniedError("can't access '%s/%s', cross-namespace references have been blocked")
//     → conditions.MarkFalse(obj, meta.ReadyCondition, apiacl.AccessDeniedReason, "%s", err)
const ks = (name: string, ready: [string, string, string?], spec: Record<string, unknown> = {}) =>
  obj('Kustomization', name, {
    spec: { path: './apps', sourceRef: { kind: 'GitRepository', name: 'apps' }, ...spec },
    status: status(ready),
  });

const gitRepo = (name: string, st: unknown, spec: Record<string, unknown> = {}) =>
  obj('GitRepository', name, { spec: { url: 'https://github.com/acme/apps', ...spec }, status: st });

ruleTester(rule, {
  valid: [
    {
      name: 'ready Kustomization',
      objects: [ks('apps', ['True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:0123456789ab'])],
    },
    {
      name: 'kustomization path not found (ArtifactFailed, but kustomize.build-failed)',
      source: 'https://github.com/fluxcd/flagger/issues/1396',
      objects: [
        ks('apps', [
          'False',
          'ArtifactFailed',
          'kustomization path not found: stat /tmp/kustomization-878691743/kustomize/tester: no such file or directory',
        ]),
        gitRepo('apps', READY()),
      ],
    },
    {
      name: 'source does not exist and GitRepositories were read (flux.reference-missing)',
      objects: [
        ks('apps', ['False', 'ArtifactFailed', 'gitrepositories.source.toolkit.fluxcd.io "apps" not found']),
        gitRepo('other', READY()),
      ],
    },
    {
      name: 'progressing Kustomization (Ready=Unknown)',
      objects: [ks('apps', ['Unknown', 'Progressing', 'Reconciliation in progress'])],
    },
    {
      name: 'only an old Warning event, Kustomization now ready',
      objects: [
        ks('apps', ['True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:0123456789ab']),
        event(
          { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
          'ArtifactFailed',
          'Source artifact not found, retrying in 30s',
        ),
      ],
    },
    {
      name: 'the NotFound text of a source whose kind was not read (flux.reference-missing, by its pattern)',
      source:
        'kustomize-controller@v1.9.3 internal/controller/kustomization_controller.go getSource (NotFound returned unwrapped)',
      objects: [ks('apps', ['False', 'ArtifactFailed', 'gitrepositories.source.toolkit.fluxcd.io "apps" not found'])],
    },
    {
      name: 'v1beta2: v0.26 "Source \'<ref>\' not found" (flux.reference-missing)',
      source: 'kustomize-controller@v0.26.3 controllers/kustomization_controller.go "Source \'%s\' not found"',
      objects: [
        {
          ...ks('apps', ['False', 'ArtifactFailed', "Source 'GitRepository/apps' not found"]),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        },
      ],
    },
  ],
  invalid: [
    {
      name: 'source still reconciling: no artifact yet',
      source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go (Source artifact not found)',
      objects: [
        ks('apps', ['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s']),
        gitRepo('apps', status(['Unknown', 'Progressing', 'building artifact: new upstream revision']), {}),
      ],
      expect: [
        {
          object: 'Kustomization/flux-system/apps',
          cause: 'no-artifact',
          data: { source: 'GitRepository flux-system/apps' },
          summary:
            'Kustomization flux-system/apps cannot get its source artifact: GitRepository flux-system/apps has no artifact yet; it is still reconciling (building artifact: new upstream revision)',
          fixTarget: { kind: 'GitRepository', namespace: 'flux-system', name: 'apps' },
          evidence: [/Source artifact not found, retrying in 30s/],
          remediation: [
            /kubectl describe gitrepositor/,
            /flux reconcile kustomization apps -n flux-system --with-source/,
          ],
        },
      ],
    },
    {
      name: 'ExternalArtifact nothing produces: no status, no artifact',
      source:
        'captured from kustomize-controller v1.9.3 (Flux v2.9.2, --feature-gates=ExternalArtifact=true) in the fluxdoctor test environment (scenario ks-source-no-artifact)',
      objects: [
        ks('app', ['False', 'ArtifactFailed', 'Source artifact not found, retrying in 5s'], {
          path: './',
          sourceRef: { kind: 'ExternalArtifact', name: 'app' },
        }),
        obj('ExternalArtifact', 'app', { spec: {} }),
      ],
      expect: [
        {
          object: 'Kustomization/flux-system/app',
          summary:
            /ExternalArtifact flux-system\/app has no artifact yet; it has no status yet: source-watcher has not reconciled it/,
          fixTarget: { kind: 'ExternalArtifact', namespace: 'flux-system', name: 'app' },
          remediation: [/^kubectl logs -n flux-system deploy\/source-watcher/],
        },
      ],
    },
    {
      name: 'source suspended without artifact',
      source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go (Source artifact not found)',
      objects: [
        ks('apps', ['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s']),
        gitRepo('apps', undefined, { suspend: true }),
      ],
      expect: [
        {
          summary: /it is suspended/,
          remediation: [/flux resume source git apps -n flux-system/],
        },
      ],
    },
    {
      name: 'source kind not read at all',
      source: 'fluxcd/kustomize-controller internal/controller/kustomization_controller.go (Source artifact not found)',
      objects: [
        ks('apps', ['False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s'], {
          sourceRef: { kind: 'OCIRepository', name: 'manifests', namespace: 'oci' },
        }),
      ],
      expect: [
        {
          summary: /OCIRepository oci\/manifests has no artifact yet; it was not in what fluxdoctor read/,
          fixTarget: { kind: 'OCIRepository', namespace: 'oci', name: 'manifests' },
        },
      ],
    },
    {
      name: 'artifact 404 from source-controller storage',
      source:
        'fluxcd/kustomize-controller internal/controller/kustomization_fetcher_test.go ("retries on not found errors": Ready message contains "artifact not found")',
      objects: [
        ks('apps', ['False', 'ArtifactFailed', 'Source is not ready, artifact not found, retrying in 30s']),
        gitRepo(
          'apps',
          status(['True', 'Succeeded', "stored artifact for revision 'main@sha1:0123456789ab'"], [], {
            artifact: { revision: 'main@sha1:0123456789ab' },
          }),
        ),
      ],
      expect: [
        {
          cause: 'artifact-not-in-storage',
          summary:
            "Kustomization flux-system/apps cannot get its source artifact: the artifact file of GitRepository flux-system/apps is missing from source-controller's storage (HTTP 404); it reports Ready with revision main@sha1:0123456789ab",
        },
      ],
    },
    {
      name: 'download from source-controller refused (source Ready)',
      source: 'https://github.com/fluxcd/flux2/issues/2067 (kustomize-controller error log)',
      objects: [
        ks(
          'flux-system',
          [
            'False',
            'ArtifactFailed',
            'failed to download artifact, error: GET http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/437f3d5915f678979e0f607f30c88e3d353a1456.tar.gz giving up after 10 attempt(s): Get "http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/437f3d5915f678979e0f607f30c88e3d353a1456.tar.gz": dial tcp 10.100.47.29:80: connect: connection refused',
          ],
          { sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
        ),
        gitRepo(
          'flux-system',
          status(['True', 'Succeeded', "stored artifact for revision 'main@sha1:437f3d59'"], [], {
            artifact: { revision: 'main@sha1:437f3d59' },
          }),
        ),
      ],
      expect: [
        {
          cause: 'artifact-download-failed',
          data: { server: 'source-controller', error: 'dial tcp 10.100.47.29:80: connect: connection refused' },
          summary:
            'Kustomization flux-system/flux-system could not download the artifact of GitRepository flux-system/flux-system from source-controller: dial tcp 10.100.47.29:80: connect: connection refused (it reports Ready with revision main@sha1:437f3d59)',
          fixTarget: { kind: 'Deployment', namespace: 'flux-system', name: 'source-controller' },
          remediation: [/kubectl -n flux-system logs deploy\/source-controller/],
        },
      ],
    },
    {
      name: 'cross-namespace source reference blocked',
      source:
        'fluxcd/kustomize-controller internal/controller/kustomization_controller.go getSource (acl.AccessDeniedError)',
      objects: [
        obj('Kustomization', 'team-a/apps', {
          spec: { path: './', sourceRef: { kind: 'GitRepository', name: 'platform', namespace: 'flux-system' } },
          status: status([
            'False',
            'AccessDenied',
            "can't access 'GitRepository/flux-system/platform', cross-namespace references have been blocked",
          ]),
        }),
        gitRepo('platform', READY()),
      ],
      expect: [
        {
          object: 'Kustomization/team-a/apps',
          cause: 'access-denied',
          summary: /may not use GitRepository flux-system\/platform: kustomize-controller blocks cross-namespace/,
          fixTarget: { kind: 'Kustomization', namespace: 'team-a', name: 'apps' },
        },
      ],
    },
    {
      name: 'v1beta2: kustomize-controller v0.26 "Source is not ready, artifact not found" (no artifact in the source status)',
      source:
        'kustomize-controller@v0.26.3 controllers/kustomization_controller.go "Source is not ready, artifact not found"',
      objects: [
        {
          ...ks('apps', ['False', 'ArtifactFailed', 'Source is not ready, artifact not found']),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        },
        gitRepo('apps', status(['False', 'GitOperationFailed', 'unable to clone']), {}),
      ],
      expect: [{ cause: 'no-artifact', fixTarget: { kind: 'GitRepository', namespace: 'flux-system', name: 'apps' } }],
    },
    {
      name: 'v1beta1: v0.9 "faild to download artifact from <url>, status: 404 Not Found", Flux outside flux-system',
      source:
        'kustomize-controller@v0.9.0 controllers/kustomization_controller.go "faild to download artifact from %s, status: %s"',
      objects: [
        {
          ...ks('apps', [
            'False',
            'ArtifactFailed',
            'faild to download artifact from http://source-controller.gitops-system/gitrepository/gitops-system/podinfo/latest.tar.gz, status: 404 Not Found',
          ]),
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
        },
        gitRepo('apps', READY()),
      ],
      expect: [
        {
          cause: 'artifact-download-failed',
          data: { server: 'source-controller' },
          fixTarget: { kind: 'Deployment', namespace: 'gitops-system', name: 'source-controller' },
        },
      ],
    },
    {
      name: 'reading the source from the API failed (not a NotFound)',
      source:
        'kustomize-controller@v1.9.3 internal/controller/kustomization_controller.go getSource "unable to get source \'%s\': %w"',
      objects: [
        ks('apps', [
          'False',
          'ArtifactFailed',
          'unable to get source \'flux-system/apps\': Get "https://10.96.0.1:443/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/apps": context deadline exceeded',
        ]),
      ],
      expect: [{ cause: 'get-source-failed', summary: /reading GitRepository flux-system\/apps from the API failed/ }],
    },
  ],
});
