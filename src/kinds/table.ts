// The one table of every kind fluxdoctor knows. Listing, graph edges, status reading,
// remediation commands and the API reference are all driven from here: a new kind or
// API version is one entry.

import { shq } from '../render/shell.js';
import type { K8sObject, ObjRef } from '../types.js';

export type KindCategory = 'source' | 'sync' | 'notification' | 'image' | 'operator' | 'core' | 'workload';

/** The kinds of edge a reference can make in the graph. */
export type EdgeType =
  | 'source' // Kustomization/HelmChart/IUA → source object
  | 'chart' // HelmRelease → HelmChart (generated from spec.chart, or spec.chartRef)
  | 'dependsOn'
  | 'secret'
  | 'configMap'
  | 'serviceAccount'
  | 'imageRepository'
  | 'provider'
  | 'receiverResource'
  | 'eventSource'
  | 'include' // GitRepository include
  | 'healthCheck' // Kustomization spec.healthChecks entry
  | 'inputProvider'; // ResourceSet → ResourceSetInputProvider

export interface Reference {
  type: EdgeType;
  target: ObjRef;
  /** The field path the reference was read from, e.g. `spec.sourceRef`. */
  field: string;
  /** True when the object tolerates the target's absence (valuesFrom optional, substituteFrom optional). */
  optional?: boolean;
  /** Keys of the target (Secret/ConfigMap) the reference needs, when known. */
  keys?: string[];
  /** Label selector instead of a name (Receiver resources, Alert eventSources with name `*`). */
  wildcard?: boolean;
}

export interface KindInfo {
  kind: string;
  group: string; // '' for core
  /** Served versions, preferred (current) first; older ones are still read. */
  versions: string[];
  plural: string;
  shortNames?: string[];
  namespaced: boolean;
  category: KindCategory;
  /** True for the Flux custom resources (and the Flux Operator's). */
  flux: boolean;
  /** Deployment name of the controller that reconciles it. */
  controller?: string;
  /** The kind name the controllers write in their log lines' `controllerKind` field. */
  logKind?: string;
  /** `flux` CLI words for this kind, e.g. `source git` (used in remediation commands). */
  fluxCli?: string;
  /** True when the kind carries no Ready condition (static config objects). */
  statusless?: boolean;
  refs?: (o: K8sObject) => Reference[];
  /**
   * Findings about an object of this kind are reported at the object that points at it along this edge,
   * when `when` holds for that object (a HelmChart helm-controller generated from a HelmRelease's
   * spec.chart is part of that release, so its failure is the release's).
   */
  reportAt?: { edge: EdgeType; from: string; when: (from: K8sObject) => boolean };
}

// ---------- reference helpers ----------

type Obj = K8sObject;
const ns = (o: Obj) => o.metadata.namespace;
// biome-ignore lint/suspicious/noExplicitAny: walking untyped YAML
const get = (o: any, path: string): any => path.split('.').reduce((v, k) => (v == null ? undefined : v[k]), o);

function named(o: Obj, path: string, type: EdgeType, kind: string, extra: Partial<Reference> = {}): Reference[] {
  const v = get(o, path);
  if (!v || typeof v !== 'object' || typeof v.name !== 'string' || !v.name) return [];
  return [{ type, target: { kind, namespace: ns(o), name: v.name }, field: path, ...extra }];
}

/** A `{kind?, name, namespace?}` reference: namespace defaults to the object's own. */
function crossNs(
  o: Obj,
  path: string,
  type: EdgeType,
  defaultKind: string,
  extra: Partial<Reference> = {},
): Reference[] {
  const v = get(o, path);
  if (!v || typeof v !== 'object' || typeof v.name !== 'string' || !v.name) return [];
  return [
    {
      type,
      target: {
        kind: typeof v.kind === 'string' && v.kind ? v.kind : defaultKind,
        namespace: v.namespace || ns(o),
        name: v.name,
      },
      field: path,
      ...extra,
    },
  ];
}

function saName(o: Obj, path = 'spec.serviceAccountName'): Reference[] {
  const v = get(o, path);
  return typeof v === 'string' && v
    ? [{ type: 'serviceAccount', target: { kind: 'ServiceAccount', namespace: ns(o), name: v }, field: path }]
    : [];
}

function secret(o: Obj, path: string, keys?: string[]): Reference[] {
  return named(o, path, 'secret', 'Secret', keys ? { keys } : {});
}

function dependsOn(o: Obj, kind: string): Reference[] {
  const list = get(o, 'spec.dependsOn');
  if (!Array.isArray(list)) return [];
  return list
    .filter((d) => d && typeof d.name === 'string')
    .map((d, i) => ({
      type: 'dependsOn' as const,
      target: {
        kind: typeof d.kind === 'string' && d.kind ? d.kind : kind,
        namespace: d.namespace || ns(o),
        name: d.name,
      },
      field: `spec.dependsOn[${i}]`,
    }));
}

function kubeConfig(o: Obj): Reference[] {
  return secret(o, 'spec.kubeConfig.secretRef');
}

function valuesRefs(o: Obj, path: string): Reference[] {
  const list = get(o, path);
  if (!Array.isArray(list)) return [];
  return list
    .filter((v) => v && typeof v.name === 'string' && (v.kind === 'Secret' || v.kind === 'ConfigMap'))
    .map((v, i) => ({
      type: v.kind === 'Secret' ? ('secret' as const) : ('configMap' as const),
      target: { kind: v.kind, namespace: ns(o), name: v.name },
      field: `${path}[${i}]`,
      optional: v.optional === true,
      keys: path.endsWith('valuesFrom') ? [v.valuesKey || 'values.yaml'] : undefined,
    }));
}

/** The name helm-controller gives the HelmChart it creates for a HelmRelease's spec.chart. */
export function helmChartNameFor(hr: Obj): string {
  return `${hr.metadata.namespace}-${hr.metadata.name}`;
}

function helmReleaseRefs(o: Obj): Reference[] {
  const out: Reference[] = [];
  const chartSpec = get(o, 'spec.chart.spec');
  if (chartSpec?.sourceRef?.name) {
    // status.helmChart ("<namespace>/<name>") is what the controller created; the naming rule is the fallback.
    const reported = typeof o.status?.helmChart === 'string' ? o.status.helmChart.split('/') : [];
    const srcNs = reported.length === 2 ? reported[0] : chartSpec.sourceRef.namespace || ns(o);
    const name = reported.length === 2 ? reported[1] : helmChartNameFor(o);
    out.push({ type: 'chart', target: { kind: 'HelmChart', namespace: srcNs, name }, field: 'spec.chart' });
    out.push(...crossNs(o, 'spec.chart.spec.sourceRef', 'source', 'HelmRepository'));
  }
  const chartRef = get(o, 'spec.chartRef');
  if (chartRef?.name) out.push(...crossNs(o, 'spec.chartRef', 'chart', 'OCIRepository'));
  out.push(...dependsOn(o, 'HelmRelease'));
  out.push(...valuesRefs(o, 'spec.valuesFrom'));
  out.push(...kubeConfig(o));
  out.push(...saName(o));
  return out;
}

function healthChecks(o: Obj): Reference[] {
  const list = get(o, 'spec.healthChecks');
  if (!Array.isArray(list)) return [];
  return list
    .filter((h) => h?.kind && h.name)
    .map((h, i) => ({
      type: 'healthCheck' as const,
      target: { kind: h.kind, namespace: h.namespace || ns(o), name: h.name },
      field: `spec.healthChecks[${i}]`,
    }));
}

function kustomizationRefs(o: Obj): Reference[] {
  return [
    ...healthChecks(o),
    ...crossNs(o, 'spec.sourceRef', 'source', 'GitRepository'),
    ...dependsOn(o, 'Kustomization'),
    ...secret(o, 'spec.decryption.secretRef'),
    ...valuesRefs(o, 'spec.postBuild.substituteFrom'),
    ...kubeConfig(o),
    ...saName(o),
  ];
}

/**
 * The keys source-controller requires in a source's spec.secretRef when the key names alone tell
 * (source-controller@v1.9.3: Git over SSH reads `identity` and `known_hosts`; a generic Bucket
 * `accesskey` and `secretkey`).
 */
function authSecretKeys(o: Obj): string[] | undefined {
  const url = get(o, 'spec.url');
  if (o.kind === 'GitRepository' && typeof url === 'string' && url.startsWith('ssh://'))
    return ['identity', 'known_hosts'];
  const provider = get(o, 'spec.provider');
  if (o.kind === 'Bucket' && (!provider || provider === 'generic')) return ['accesskey', 'secretkey'];
  return undefined;
}

function commonSourceSecrets(o: Obj): Reference[] {
  return [
    ...secret(o, 'spec.secretRef', authSecretKeys(o)),
    ...secret(o, 'spec.certSecretRef'),
    // source-controller@v1.9.3 internal/controller/gitrepository_controller.go "invalid proxy secret '%s/%s': key 'address' is missing"
    ...secret(o, 'spec.proxySecretRef', ['address']),
    ...secret(o, 'spec.verify.secretRef'),
    ...secret(o, 'spec.verify.trustedRootSecretRef'),
    ...secret(o, 'spec.sts.secretRef'),
    ...secret(o, 'spec.sts.certSecretRef'),
    ...saName(o),
  ];
}

function gitRepositoryRefs(o: Obj): Reference[] {
  const out = commonSourceSecrets(o);
  const inc = get(o, 'spec.include');
  if (Array.isArray(inc)) {
    inc.forEach((i, idx) => {
      if (i?.repository?.name)
        out.push({
          type: 'include',
          target: { kind: 'GitRepository', namespace: ns(o), name: i.repository.name },
          field: `spec.include[${idx}].repository`,
        });
    });
  }
  return out;
}

// HelmChart.spec.sourceRef is a LocalHelmChartSourceReference {kind, name}: always the chart's own namespace.
function helmChartRefs(o: Obj): Reference[] {
  const r = get(o, 'spec.sourceRef');
  const out: Reference[] = [];
  if (r?.name) {
    out.push({
      type: 'source',
      target: { kind: r.kind || 'HelmRepository', namespace: ns(o), name: r.name },
      field: 'spec.sourceRef',
    });
  }
  return [...out, ...secret(o, 'spec.verify.secretRef')];
}

function receiverRefs(o: Obj): Reference[] {
  const out = secret(o, 'spec.secretRef', ['token']);
  const res = get(o, 'spec.resources');
  if (Array.isArray(res)) {
    res.forEach((r, i) => {
      if (r?.kind && r.name)
        out.push({
          type: 'receiverResource',
          target: { kind: r.kind, namespace: r.namespace || ns(o), name: r.name },
          field: `spec.resources[${i}]`,
          wildcard: r.name === '*',
        });
    });
  }
  return out;
}

function alertRefs(o: Obj): Reference[] {
  const out = named(o, 'spec.providerRef', 'provider', 'Provider');
  const src = get(o, 'spec.eventSources');
  if (Array.isArray(src)) {
    src.forEach((r, i) => {
      if (r?.kind && r.name)
        out.push({
          type: 'eventSource',
          target: { kind: r.kind, namespace: r.namespace || ns(o), name: r.name },
          field: `spec.eventSources[${i}]`,
          wildcard: r.name === '*',
        });
    });
  }
  return out;
}

function resourceSetRefs(o: Obj): Reference[] {
  const out: Reference[] = [...saName(o)];
  const inputs = get(o, 'spec.inputsFrom');
  if (Array.isArray(inputs)) {
    inputs.forEach((r, i) => {
      if (r?.name)
        out.push({
          type: 'inputProvider',
          target: { kind: r.kind || 'ResourceSetInputProvider', namespace: ns(o), name: r.name },
          field: `spec.inputsFrom[${i}]`,
        });
    });
  }
  const deps = get(o, 'spec.dependsOn');
  if (Array.isArray(deps)) {
    deps.forEach((d, i) => {
      if (d?.kind && d.name)
        out.push({
          type: 'dependsOn',
          target: { kind: d.kind, namespace: d.namespace || ns(o), name: d.name },
          field: `spec.dependsOn[${i}]`,
        });
    });
  }
  return out;
}

// ---------- the table ----------

const SRC = 'source.toolkit.fluxcd.io';
const KS = 'kustomize.toolkit.fluxcd.io';
const HELM = 'helm.toolkit.fluxcd.io';
const IMG = 'image.toolkit.fluxcd.io';
const NOTIF = 'notification.toolkit.fluxcd.io';
const OP = 'fluxcd.controlplane.io';

export const KINDS: KindInfo[] = [
  // Sources
  {
    kind: 'GitRepository',
    group: SRC,
    versions: ['v1', 'v1beta2', 'v1beta1', 'v1alpha1'],
    plural: 'gitrepositories',
    shortNames: ['gitrepo'],
    namespaced: true,
    category: 'source',
    flux: true,
    controller: 'source-controller',
    fluxCli: 'source git',
    refs: gitRepositoryRefs,
  },
  {
    kind: 'OCIRepository',
    group: SRC,
    versions: ['v1', 'v1beta2'],
    plural: 'ocirepositories',
    shortNames: ['ocirepo'],
    namespaced: true,
    category: 'source',
    flux: true,
    controller: 'source-controller',
    fluxCli: 'source oci',
    refs: commonSourceSecrets,
  },
  {
    kind: 'HelmRepository',
    group: SRC,
    versions: ['v1', 'v1beta2', 'v1beta1', 'v1alpha1'],
    plural: 'helmrepositories',
    shortNames: ['helmrepo'],
    namespaced: true,
    category: 'source',
    flux: true,
    controller: 'source-controller',
    fluxCli: 'source helm',
    refs: commonSourceSecrets,
  },
  {
    kind: 'Bucket',
    group: SRC,
    versions: ['v1', 'v1beta2', 'v1beta1', 'v1alpha1'],
    plural: 'buckets',
    namespaced: true,
    category: 'source',
    flux: true,
    controller: 'source-controller',
    fluxCli: 'source bucket',
    refs: commonSourceSecrets,
  },
  {
    kind: 'HelmChart',
    group: SRC,
    versions: ['v1', 'v1beta2', 'v1beta1', 'v1alpha1'],
    plural: 'helmcharts',
    shortNames: ['hc'],
    namespaced: true,
    category: 'source',
    flux: true,
    controller: 'source-controller',
    fluxCli: 'source chart',
    refs: helmChartRefs,
    reportAt: { edge: 'chart', from: 'HelmRelease', when: (hr) => Boolean(hr.spec?.chart) },
  },
  {
    kind: 'ExternalArtifact',
    group: SRC,
    versions: ['v1'],
    plural: 'externalartifacts',
    shortNames: ['ea'],
    namespaced: true,
    category: 'source',
    flux: true,
    controller: 'source-watcher',
  },
  // Sync
  {
    kind: 'Kustomization',
    group: KS,
    versions: ['v1', 'v1beta2', 'v1beta1', 'v1alpha1'],
    plural: 'kustomizations',
    shortNames: ['ks'],
    namespaced: true,
    category: 'sync',
    flux: true,
    controller: 'kustomize-controller',
    fluxCli: 'kustomization',
    refs: kustomizationRefs,
  },
  {
    kind: 'HelmRelease',
    group: HELM,
    versions: ['v2', 'v2beta2', 'v2beta1', 'v2alpha1'],
    plural: 'helmreleases',
    shortNames: ['hr'],
    namespaced: true,
    category: 'sync',
    flux: true,
    controller: 'helm-controller',
    fluxCli: 'helmrelease',
    refs: helmReleaseRefs,
  },
  // Image automation
  {
    kind: 'ImageRepository',
    group: IMG,
    // v1alpha1: image-reflector-controller v0.1–v0.22, v1alpha2: v0.9–v0.22 (api/ of those tags)
    versions: ['v1', 'v1beta2', 'v1beta1', 'v1alpha2', 'v1alpha1'],
    plural: 'imagerepositories',
    shortNames: ['imgrepo', 'imagerepo'],
    namespaced: true,
    category: 'image',
    flux: true,
    controller: 'image-reflector-controller',
    fluxCli: 'image repository',
    refs: commonSourceSecrets,
  },
  {
    kind: 'ImagePolicy',
    group: IMG,
    // v1alpha1: image-reflector-controller v0.1–v0.22, v1alpha2: v0.9–v0.22 (api/ of those tags)
    versions: ['v1', 'v1beta2', 'v1beta1', 'v1alpha2', 'v1alpha1'],
    plural: 'imagepolicies',
    shortNames: ['imgpol', 'imagepol'],
    namespaced: true,
    category: 'image',
    flux: true,
    controller: 'image-reflector-controller',
    fluxCli: 'image policy',
    refs: (o) => crossNs(o, 'spec.imageRepositoryRef', 'imageRepository', 'ImageRepository'),
  },
  {
    kind: 'ImageUpdateAutomation',
    group: IMG,
    versions: ['v1', 'v1beta2', 'v1beta1', 'v1alpha2', 'v1alpha1'],
    plural: 'imageupdateautomations',
    shortNames: ['iua', 'imgupd', 'imgauto'],
    namespaced: true,
    category: 'image',
    flux: true,
    controller: 'image-automation-controller',
    fluxCli: 'image update',
    refs: (o) => [
      ...crossNs(o, 'spec.sourceRef', 'source', 'GitRepository'),
      ...secret(o, 'spec.git.commit.signingKey.secretRef'),
    ],
  },
  // Notification
  {
    kind: 'Receiver',
    group: NOTIF,
    versions: ['v1', 'v1beta3', 'v1beta2', 'v1beta1', 'v1alpha1'],
    plural: 'receivers',
    namespaced: true,
    category: 'notification',
    flux: true,
    controller: 'notification-controller',
    fluxCli: 'receiver',
    refs: receiverRefs,
  },
  {
    kind: 'Provider',
    group: NOTIF,
    versions: ['v1beta3', 'v1', 'v1beta2', 'v1beta1', 'v1alpha1'],
    plural: 'providers',
    namespaced: true,
    category: 'notification',
    flux: true,
    controller: 'notification-controller',
    statusless: true,
    refs: (o) => [
      ...secret(o, 'spec.secretRef'),
      ...secret(o, 'spec.certSecretRef'),
      ...secret(o, 'spec.proxySecretRef'),
      ...saName(o),
    ],
  },
  {
    kind: 'Alert',
    group: NOTIF,
    versions: ['v1beta3', 'v1', 'v1beta2', 'v1beta1', 'v1alpha1'],
    plural: 'alerts',
    namespaced: true,
    category: 'notification',
    flux: true,
    controller: 'notification-controller',
    fluxCli: 'alert',
    statusless: true,
    refs: alertRefs,
  },
  // Flux Operator
  {
    kind: 'FluxInstance',
    group: OP,
    versions: ['v1'],
    plural: 'fluxinstances',
    namespaced: true,
    category: 'operator',
    flux: true,
    controller: 'flux-operator',
    refs: (o) => kubeConfig(o),
  },
  {
    kind: 'FluxReport',
    group: OP,
    versions: ['v1'],
    plural: 'fluxreports',
    namespaced: true,
    category: 'operator',
    flux: true,
    controller: 'flux-operator',
  },
  {
    kind: 'ResourceSet',
    group: OP,
    versions: ['v1'],
    plural: 'resourcesets',
    shortNames: ['rset'],
    namespaced: true,
    category: 'operator',
    flux: true,
    controller: 'flux-operator',
    refs: resourceSetRefs,
  },
  {
    kind: 'ResourceSetInputProvider',
    group: OP,
    versions: ['v1'],
    plural: 'resourcesetinputproviders',
    shortNames: ['rsip'],
    namespaced: true,
    category: 'operator',
    flux: true,
    controller: 'flux-operator',
    refs: (o) => [...secret(o, 'spec.secretRef'), ...secret(o, 'spec.certSecretRef')],
  },
  // Kubernetes kinds the diagnosis needs
  {
    kind: 'Namespace',
    group: '',
    versions: ['v1'],
    plural: 'namespaces',
    shortNames: ['ns'],
    namespaced: false,
    category: 'core',
    flux: false,
  },
  { kind: 'Secret', group: '', versions: ['v1'], plural: 'secrets', namespaced: true, category: 'core', flux: false },
  {
    kind: 'ConfigMap',
    group: '',
    versions: ['v1'],
    plural: 'configmaps',
    shortNames: ['cm'],
    namespaced: true,
    category: 'core',
    flux: false,
  },
  {
    kind: 'ServiceAccount',
    group: '',
    versions: ['v1'],
    plural: 'serviceaccounts',
    shortNames: ['sa'],
    namespaced: true,
    category: 'core',
    flux: false,
  },
  { kind: 'Event', group: '', versions: ['v1'], plural: 'events', namespaced: true, category: 'core', flux: false },
  {
    kind: 'Service',
    group: '',
    versions: ['v1'],
    plural: 'services',
    shortNames: ['svc'],
    namespaced: true,
    category: 'core',
    flux: false,
  },
  {
    kind: 'PersistentVolumeClaim',
    group: '',
    versions: ['v1'],
    plural: 'persistentvolumeclaims',
    shortNames: ['pvc'],
    namespaced: true,
    category: 'workload',
    flux: false,
  },
  {
    kind: 'Pod',
    group: '',
    versions: ['v1'],
    plural: 'pods',
    shortNames: ['po'],
    namespaced: true,
    category: 'workload',
    flux: false,
  },
  {
    kind: 'Deployment',
    group: 'apps',
    versions: ['v1'],
    plural: 'deployments',
    shortNames: ['deploy'],
    namespaced: true,
    category: 'workload',
    flux: false,
  },
  {
    kind: 'StatefulSet',
    group: 'apps',
    versions: ['v1'],
    plural: 'statefulsets',
    shortNames: ['sts'],
    namespaced: true,
    category: 'workload',
    flux: false,
  },
  {
    kind: 'DaemonSet',
    group: 'apps',
    versions: ['v1'],
    plural: 'daemonsets',
    shortNames: ['ds'],
    namespaced: true,
    category: 'workload',
    flux: false,
  },
  {
    kind: 'ReplicaSet',
    group: 'apps',
    versions: ['v1'],
    plural: 'replicasets',
    shortNames: ['rs'],
    namespaced: true,
    category: 'workload',
    flux: false,
  },
  {
    kind: 'Job',
    group: 'batch',
    versions: ['v1'],
    plural: 'jobs',
    namespaced: true,
    category: 'workload',
    flux: false,
  },
  {
    kind: 'Ingress',
    group: 'networking.k8s.io',
    versions: ['v1'],
    plural: 'ingresses',
    shortNames: ['ing'],
    namespaced: true,
    category: 'core',
    flux: false,
  },
  {
    kind: 'CustomResourceDefinition',
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    plural: 'customresourcedefinitions',
    shortNames: ['crd'],
    namespaced: false,
    category: 'core',
    flux: false,
  },
];

// events.k8s.io/v1 Events are read as kind Event too (see read/normalize.ts).
export const EVENTS_V1_GROUP = 'events.k8s.io';

const byKind = new Map(KINDS.map((k) => [k.kind, k]));
const byLower = new Map<string, KindInfo>();
for (const k of KINDS) {
  for (const n of [k.kind, k.plural, ...(k.shortNames ?? [])]) byLower.set(n.toLowerCase(), k);
  byLower.set(k.kind.toLowerCase().replace(/s$/, ''), k);
}

export function kindInfo(kind: string): KindInfo | undefined {
  return byKind.get(kind);
}

/** Resolve what a user typed (`hr`, `helmreleases`, `HelmRelease`, `kustomization`) to a kind. */
export function resolveKind(word: string): KindInfo | undefined {
  const w = word.toLowerCase();
  return byLower.get(w) ?? byLower.get(w.replace(/s$/, '')) ?? byLower.get(w.split('.')[0]!);
}

export function isFluxKind(kind: string): boolean {
  return byKind.get(kind)?.flux === true;
}

/** The group of an apiVersion string (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function versionOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? apiVersion : apiVersion.slice(i + 1);
}

/** Is (apiVersion, kind) one the table knows? Returns the entry or undefined. */
export function knownKind(apiVersion: string, kind: string): KindInfo | undefined {
  const g = groupOf(apiVersion);
  if (kind === 'Event' && g === EVENTS_V1_GROUP) return byKind.get('Event');
  const k = byKind.get(kind);
  if (!k || k.group !== g) return undefined;
  return k;
}

export function referencesOf(o: K8sObject): Reference[] {
  const k = byKind.get(o.kind);
  if (!k?.refs) return [];
  try {
    return k.refs(o);
  } catch {
    return [];
  }
}

/** `flux reconcile …` command for an object, or undefined when the flux CLI has no verb for it. */
export function fluxReconcileCommand(ref: ObjRef, withSource = false): string | undefined {
  const k = byKind.get(ref.kind);
  if (!k?.fluxCli) return undefined;
  const ns = ref.namespace ? ` -n ${shq(ref.namespace)}` : '';
  const src = withSource && (ref.kind === 'Kustomization' || ref.kind === 'HelmRelease') ? ' --with-source' : '';
  return `flux reconcile ${k.fluxCli} ${shq(ref.name)}${ns}${src}`;
}

/** `kubectl` resource word for an object (plural with group, e.g. `helmreleases.helm.toolkit.fluxcd.io`). */
export function kubectlResource(kind: string): string {
  const k = byKind.get(kind);
  if (!k) return kind.toLowerCase();
  return k.group && k.flux ? `${k.plural}.${k.group}` : k.kind.toLowerCase();
}
