// Pinned versions of everything the test environment builds. Changing one changes the cache key.
// Flux v2.9.2's component versions (fluxcd/flux2 manifests/bases/*/kustomization.yaml at v2.9.2).
// v2.9.3/v2.9.4 cannot be built here: the Go module proxy this machine reaches does not serve
// github.com/fluxcd/pkg/artifact v0.18.2+ (source-controller v1.9.4) nor the github.com/fluxcd/helm/v4
// fork (helm-controller v1.6.3); see docs/testenv.md.

export const VERSIONS = {
  kubernetes: '1.34.4',
  etcd: '3.6.14',
  flux: '2.9.2',
  controllers: {
    'source-controller': 'v1.9.3',
    'kustomize-controller': 'v1.9.3',
    'helm-controller': 'v1.6.2',
    'notification-controller': 'v1.9.2',
    'image-reflector-controller': 'v1.2.3',
    'image-automation-controller': 'v1.2.3',
  } as Record<string, string>,
};

export type Controller = keyof typeof VERSIONS.controllers;

/** The core tier always runs; the rest are built when time allows (see docs/testenv.md). */
export const CORE_CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
];
export const IMAGE_CONTROLLERS = ['image-reflector-controller', 'image-automation-controller'];
