import { rule } from '../../src/rules/flux-reconcile-failed.js';
import { obj, READY, ruleTester, status } from '../helpers.js';

// fluxcd/source-controller internal/controller/gitrepository_controller.go (reconcileArtifact):
//   serror.NewGeneric(fmt.Errorf("failed to create temporary working directory: %w", err), sourcev1.DirCreationFailedReason)
// No specific code covers a full or read-only controller disk: the fallback reports it with the condition quoted.
const dirFailed = status([
  'False',
  'DirectoryCreationFailed',
  'failed to create temporary working directory: mkdir /tmp/gitrepository-flux-system-apps-123: no space left on device',
]);

ruleTester(rule, {
  valid: [
    { name: 'ready object', objects: [obj('GitRepository', 'apps', { status: READY() })] },
    {
      name: 'waiting on a dependency is not a failure',
      objects: [
        obj('Kustomization', 'apps', {
          status: status(['False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"]),
        }),
      ],
    },
    {
      name: 'progressing',
      objects: [obj('HelmRelease', 'web', { status: status(['Unknown', 'Progressing', 'Fresh install in progress']) })],
    },
  ],
  invalid: [
    {
      name: 'unrecognised source-controller failure',
      source: 'fluxcd/source-controller internal/controller/gitrepository_controller.go DirCreationFailedReason',
      objects: [obj('GitRepository', 'apps', { status: dirFailed })],
      expect: [
        {
          cause: 'unrecognised',
          data: { reason: 'DirectoryCreationFailed' },
          summary:
            'GitRepository flux-system/apps failed to reconcile: DirectoryCreationFailed — failed to create temporary working directory: mkdir /tmp/gitrepository-flux-system-apps-123: no space left on device',
          evidence: [/Ready=False \(DirectoryCreationFailed\)/],
          remediation: [
            /flux reconcile source git apps -n flux-system/,
            /kubectl describe gitrepositories.source.toolkit.fluxcd.io apps -n flux-system/,
          ],
        },
      ],
    },
    {
      name: 'stalled without a Ready condition',
      objects: [
        obj('Kustomization', 'apps', {
          status: {
            observedGeneration: 1,
            conditions: [
              {
                type: 'Stalled',
                status: 'True',
                reason: 'InvalidCELExpression',
                message: 'terminal error: invalid CEL expression',
              },
            ],
          },
        }),
      ],
      expect: [
        {
          cause: 'unrecognised',
          summary:
            'Kustomization flux-system/apps failed to reconcile: InvalidCELExpression — terminal error: invalid CEL expression',
        },
      ],
    },
  ],
});
