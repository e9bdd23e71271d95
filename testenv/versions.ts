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

export type Versions = typeof VERSIONS;
export type Controller = keyof typeof VERSIONS.controllers;

/** The core tier always runs; the rest are built when time allows (see docs/testenv.md). */
export const CORE_CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
];
export const IMAGE_CONTROLLERS = ['image-reflector-controller', 'image-automation-controller'];

/**
 * The apiVersion the scenarios write and read each Flux kind in: what the controllers of a release
 * serve and use. The current release's; an older release overrides the kinds that differ.
 */
export const CURRENT_API: Record<string, string> = {
  GitRepository: 'source.toolkit.fluxcd.io/v1',
  HelmRepository: 'source.toolkit.fluxcd.io/v1',
  HelmChart: 'source.toolkit.fluxcd.io/v1',
  OCIRepository: 'source.toolkit.fluxcd.io/v1',
  Bucket: 'source.toolkit.fluxcd.io/v1',
  ExternalArtifact: 'source.toolkit.fluxcd.io/v1',
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  HelmRelease: 'helm.toolkit.fluxcd.io/v2',
  ImageRepository: 'image.toolkit.fluxcd.io/v1',
  ImagePolicy: 'image.toolkit.fluxcd.io/v1',
  ImageUpdateAutomation: 'image.toolkit.fluxcd.io/v1',
  Receiver: 'notification.toolkit.fluxcd.io/v1',
  Alert: 'notification.toolkit.fluxcd.io/v1beta3',
  Provider: 'notification.toolkit.fluxcd.io/v1beta3',
};

/**
 * A set of controllers the environment can run: the current release (built by CI) or an older
 * one (optional, built by hand with `--flux <tier>`, never by CI).
 */
export interface Tier {
  /** `current`, or the Flux minor release (`2.2`). */
  name: string;
  /** What is built; hashed into the binary cache key (same shape as VERSIONS). */
  versions: Versions;
  /** apiVersion per Flux kind (see CURRENT_API). */
  api: Record<string, string>;
  /** Controllers that are started: the core ones for this tier. */
  core: string[];
  /** Optional controllers (started when built). */
  optional: string[];
  /** Extra command-line arguments per controller (feature gates the release has). */
  extraArgs: Record<string, string[]>;
  /**
   * CRD versions added to an older CRD, so a newer controller of the tier can watch the kind:
   * the listed kinds get, as served non-storage versions, the versions the module at `from`
   * defines and they lack. Conversion stays `None`, as between Flux's own API versions.
   */
  crdBridge?: { module: string; version: string; kinds: string[] }[];
  /** The scenarios that apply to this tier (undefined: all). */
  scenarios?: string[];
  /** Where its captured fixtures go, under test/fixtures/real/ ('' for the current tier). */
  fixtures: string;
}

export const CURRENT_TIER: Tier = {
  name: 'current',
  versions: VERSIONS,
  api: CURRENT_API,
  core: CORE_CONTROLLERS,
  optional: IMAGE_CONTROLLERS,
  // ExternalArtifact sources are enabled as in a cluster that runs source-watcher.
  extraArgs: { 'kustomize-controller': ['--feature-gates=ExternalArtifact=true'] },
  fixtures: '',
};

/**
 * Flux v2.2: source-controller and helm-controller of Flux v2.2.2 (fluxcd/flux2
 * manifests/bases/*\/kustomization.yaml at v2.2.2), with the current kustomize-controller and
 * notification-controller, because the Go module proxy this machine reaches serves no
 * kustomize-controller v1.2.x nor notification-controller v1.2.x (nor any complete Flux minor
 * release from v2.2 to v2.8: see docs/testenv.md).
 * API versions as source-controller v1.2.3 and helm-controller v0.37.2 serve them
 * (config/crd/bases): HelmRepository/HelmChart/OCIRepository/Bucket v1beta2 (storage), GitRepository
 * v1, HelmRelease v2beta2 (storage; v2beta1 also served, no v2).
 */
export const FLUX_2_2: Tier = {
  name: '2.2',
  versions: {
    kubernetes: VERSIONS.kubernetes,
    etcd: VERSIONS.etcd,
    flux: '2.2.2',
    controllers: {
      'source-controller': 'v1.2.3',
      'kustomize-controller': VERSIONS.controllers['kustomize-controller']!,
      'helm-controller': 'v0.37.2',
      'notification-controller': VERSIONS.controllers['notification-controller']!,
    },
  },
  api: {
    ...CURRENT_API,
    HelmRepository: 'source.toolkit.fluxcd.io/v1beta2',
    HelmChart: 'source.toolkit.fluxcd.io/v1beta2',
    OCIRepository: 'source.toolkit.fluxcd.io/v1beta2',
    Bucket: 'source.toolkit.fluxcd.io/v1beta2',
    HelmRelease: 'helm.toolkit.fluxcd.io/v2beta2',
  },
  core: CORE_CONTROLLERS,
  optional: [],
  extraArgs: {},
  // kustomize-controller v1.9.3 watches OCIRepository and Bucket in v1
  // (internal/controller/kustomization_manager.go), which source-controller v1.2.3's CRDs do not serve.
  crdBridge: [
    {
      module: 'source-controller',
      version: VERSIONS.controllers['source-controller']!,
      kinds: ['OCIRepository', 'Bucket'],
    },
  ],
  scenarios: [
    'git-wrong-password',
    'git-no-credentials',
    'git-branch-missing',
    'git-unreachable',
    'git-secret-missing',
    'git-unsigned-commit',
    'helm-repo-untrusted-ca',
    'helm-chart-version-missing',
    'helm-values-schema',
    'helm-valuesfrom-missing',
    'helm-install-timeout',
    'helm-upgrade-immutable',
    'helm-test-failed',
    'helm-chart-dependency-missing',
    'helm-repo-wrong-password',
    'helm-impersonation-forbidden',
    'helm-depends-on-missing',
    'helm-dependency-failing',
    'controller-stopped',
  ],
  fixtures: 'v2.2',
};

export const TIERS: Record<string, Tier> = { current: CURRENT_TIER, '2.2': FLUX_2_2 };

/**
 * The tier of this process: `--flux <name>` on the command line (which also sets
 * FLUXDOCTOR_TESTENV_FLUX for child processes), else FLUXDOCTOR_TESTENV_FLUX, else current.
 */
export function tier(argv: string[] = process.argv): Tier {
  const at = argv.indexOf('--flux');
  const name = at >= 0 ? argv[at + 1] : process.env.FLUXDOCTOR_TESTENV_FLUX;
  if (!name || name === 'current' || name === VERSIONS.flux) return CURRENT_TIER;
  const t = TIERS[name] ?? TIERS[name.replace(/^v/, '').split('.').slice(0, 2).join('.')];
  if (!t) throw new Error(`unknown Flux tier ${name}: one of ${Object.keys(TIERS).join(', ')}`);
  process.env.FLUXDOCTOR_TESTENV_FLUX = t.name;
  return t;
}

/** The apiVersion of a Flux kind in the active tier. */
export function apiOf(kind: string): string {
  const v = tier().api[kind];
  if (!v) throw new Error(`no apiVersion for ${kind}`);
  return v;
}
