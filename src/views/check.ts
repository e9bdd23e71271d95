// fluxdoctor check: what `flux check` checks, and more — the API server and its version, each Flux
// controller's Deployment (ready, version from the image tag), every Flux CRD (established, versions
// served and stored), whether the API versions the objects use are served, and whether
// source-controller serves artifacts for the ready sources. Pure over a Graph; the one live extra
// (an HTTP HEAD of one artifact URL) is done by the command and passed in as `probe`.

import { countObjects, type ObjectCounts } from '../diagnose/engine.js';
import type { Graph } from '../graph/graph.js';
import { condition } from '../kinds/status.js';
import { KINDS, versionOf } from '../kinds/table.js';
import { cleanLine } from '../render/sanitize.js';
import { controllerOf as fluxControllerOf } from '../signals/controllers.js';
import type { K8sObject } from '../types.js';

export type CheckStatus = 'ok' | 'fail' | 'warn' | 'skip';
export type CheckSection = 'cluster' | 'controllers' | 'crds' | 'apiVersions' | 'storage';

export interface CheckItem {
  section: CheckSection;
  status: CheckStatus;
  /** One line: what was checked and what was found (cluster text sanitised). */
  title: string;
  /** More detail (a condition message, an image, a hint). */
  detail?: string;
  /** Machine-readable facts (controller version, served versions, …). */
  data?: Record<string, unknown>;
}

export interface CheckReport {
  /** True when nothing failed (warnings allowed). */
  ok: boolean;
  input: 'live' | 'snapshot';
  context?: string;
  server?: string;
  serverVersion?: string;
  capturedAt?: string;
  fluxNamespace: string;
  counts: Record<CheckStatus, number>;
  items: CheckItem[];
  /** Flux objects and their health: check is about the installation; `diagnose` explains these. */
  objects: ObjectCounts;
}

/** The result of trying one artifact URL (done by the command, only on a live cluster). */
export interface ArtifactProbe {
  url: string;
  /**
   * ok: 2xx; fail: the storage answered with an error; unreachable / in-cluster: not checked from
   * here; local: not checked because the URL names a loopback, link-local or metadata address.
   */
  outcome: 'ok' | 'fail' | 'unreachable' | 'in-cluster' | 'local';
  detail: string;
}

export interface CheckOptions {
  live: boolean;
  probe?: ArtifactProbe;
}

/** The controllers `flux install` deploys by default (flux2 rootArgs.defaults.Components). */
export const DEFAULT_CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
];

/** Every Deployment name a Flux distribution runs. */
const KNOWN_CONTROLLERS = new Set<string>([
  ...DEFAULT_CONTROLLERS,
  ...KINDS.map((k) => k.controller).filter((c): c is string => !!c),
  'flux-operator',
]);

/**
 * The Kubernetes versions the current Flux release supports (flux2 cmd/flux/check.go
 * `kubernetesConstraints`). Older Flux releases support older Kubernetes, so below it is a warning.
 */
export const MIN_KUBERNETES = [1, 33] as const;

/** Kinds whose ready objects must have an artifact that source-controller serves. */
const ARTIFACT_KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'HelmChart'];

const line = (s: unknown, max = 300) => cleanLine(s, max);

/** `ghcr.io/fluxcd/source-controller:v1.9.3@sha256:…` → `v1.9.3`. */
export function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(colon + 1) : undefined;
}

/** `v1.34.4+k3s1` → [1, 34]. */
function majorMinor(v: string | undefined): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(v ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** A hostname only resolvable inside the cluster (`source-controller.flux-system.svc.cluster.local.`). */
export function inClusterHost(hostname: string): boolean {
  const h = hostname.replace(/\.$/, '').toLowerCase();
  if (h === 'localhost' || /^[\d.]+$/.test(h) || h.includes(':')) return false;
  return !h.includes('.') || h.endsWith('.svc') || h.endsWith('.cluster.local') || /\.svc\.[a-z0-9-]+$/.test(h);
}

function isStaticHelmRepo(o: K8sObject): boolean {
  return o.kind === 'HelmRepository' && o.spec?.type === 'oci';
}

/** The artifact URL to try: the most recently updated artifact of a ready source. */
export function artifactProbeTarget(graph: Graph): string | undefined {
  let best: { url: string; at: string } | undefined;
  for (const kind of ARTIFACT_KINDS) {
    for (const o of graph.byKind(kind)) {
      const url = o.status?.artifact?.url;
      if (typeof url !== 'string' || !/^https?:\/\//.test(url) || graph.health(o).state !== 'Ready') continue;
      const at = String(o.status?.artifact?.lastUpdateTime ?? '');
      if (!best || at > best.at) best = { url, at };
    }
  }
  return best?.url;
}

function controllerDeployments(graph: Graph): K8sObject[] {
  return graph
    .byKind('Deployment')
    .filter(
      (d) =>
        d.metadata.namespace === graph.fluxNamespace &&
        (d.metadata.labels?.['app.kubernetes.io/part-of'] === 'flux' || KNOWN_CONTROLLERS.has(d.metadata.name)),
    )
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** The controller a Deployment runs: its own name, or the controller it shards (`source-controller-shard1`). */
const controllerOf = (name: string): string => fluxControllerOf(name) ?? name;

export function checkView(graph: Graph, opts: CheckOptions): CheckReport {
  const items: CheckItem[] = [];
  const add = (
    section: CheckSection,
    status: CheckStatus,
    title: string,
    detail?: string,
    data?: Record<string, unknown>,
  ) => items.push({ section, status, title, ...(detail ? { detail } : {}), ...(data ? { data } : {}) });
  const info = graph.snapshot.info;
  const fluxNs = graph.fluxNamespace;

  // ---------- cluster ----------
  const server = info.server ? line(info.server, 200) : undefined;
  const version = info.serverVersion ? line(info.serverVersion, 60) : undefined;
  if (opts.live) {
    add(
      'cluster',
      'ok',
      `API server ${server ?? '(unknown address)'} reachable${info.context ? ` (context ${line(info.context, 100)})` : ''}`,
    );
  } else if (server) {
    add(
      'cluster',
      'ok',
      `the snapshot recorded API server ${server}${info.context ? ` (context ${line(info.context, 100)})` : ''}${info.capturedAt ? `, captured at ${line(info.capturedAt, 40)}` : ''}`,
      'not contacted: checks describe the snapshot, not the cluster now',
    );
  } else {
    add('cluster', 'skip', 'API server: not recorded in the snapshot (not a `fluxdoctor snapshot` file)');
  }
  if (version) {
    const mm = majorMinor(version);
    const [minMaj, minMin] = MIN_KUBERNETES;
    const tooOld = mm && (mm[0] < minMaj || (mm[0] === minMaj && mm[1] < minMin));
    add(
      'cluster',
      tooOld ? 'warn' : 'ok',
      `Kubernetes ${version}${tooOld ? ` is older than ${minMaj}.${minMin}, the oldest the current Flux release supports` : ''}`,
      tooOld
        ? 'older Flux releases support older Kubernetes versions; see https://fluxcd.io/flux/installation/#prerequisites'
        : undefined,
      { serverVersion: version },
    );
  } else if (opts.live || server) {
    add('cluster', 'warn', 'Kubernetes version: unknown (GET /version did not answer)');
  }
  const crds = graph.byKind('CustomResourceDefinition');
  const fluxCrds = crds
    .filter((c) => String(c.spec?.group ?? '').includes('fluxcd'))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const distributions = new Map<string, number>();
  for (const c of fluxCrds) {
    const v = c.metadata.labels?.['app.kubernetes.io/version'];
    if (v) distributions.set(line(v, 60), (distributions.get(line(v, 60)) ?? 0) + 1);
  }
  if (distributions.size === 1) {
    const [v] = [...distributions.keys()];
    add('cluster', 'ok', `Flux ${v} (from the CRDs' app.kubernetes.io/version label)`, undefined, { flux: v });
  } else if (distributions.size > 1) {
    const list = [...distributions].map(([v, n]) => `${v} (${n})`).join(', ');
    add(
      'cluster',
      'warn',
      `the Flux CRDs come from several Flux versions: ${list}`,
      'an upgrade did not finish: apply the CRDs of one Flux version (flux install, or bootstrap again)',
    );
  }
  const partial = graph.snapshot.problems.filter((p) => p.partial);
  if (partial.length > 0) {
    add(
      'cluster',
      'warn',
      `could not read: ${partial
        .slice(0, 6)
        .map((p) => line(p.source, 80))
        .join(', ')}${partial.length > 6 ? `, … ${partial.length - 6} more` : ''}`,
      partial
        .slice(0, 6)
        .map((p) => `${line(p.source, 80)}: ${line(p.message, 200)}`)
        .join('; '),
    );
  }

  // ---------- controllers ----------
  const deployments = controllerDeployments(graph);
  const present = new Set(deployments.map((d) => controllerOf(d.metadata.name)));
  if (!graph.kindRead('Deployment', fluxNs)) {
    add('controllers', 'skip', `Deployments in ${fluxNs}: not read, controllers not checked`);
  } else {
    for (const d of deployments) {
      const h = graph.health(d);
      const containers: { name?: string; image?: string }[] = d.spec?.template?.spec?.containers ?? [];
      const manager = containers.find((c) => c.name === 'manager') ?? containers[0];
      const tag = imageTag(manager?.image);
      const want = typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
      const ready = typeof d.status?.readyReplicas === 'number' ? d.status.readyReplicas : 0;
      const name = line(d.metadata.name, 100);
      const what = `${name}${tag ? ` ${line(tag, 60)}` : ''}`;
      const data = {
        name,
        version: tag ? line(tag, 60) : undefined,
        image: manager?.image ? line(manager.image, 200) : undefined,
        ready,
        replicas: want,
        state: h.state,
      };
      if (h.state === 'Ready') add('controllers', 'ok', `${what}: ready (${ready}/${want})`, data.image, data);
      else if (h.state === 'Progressing' && ready > 0)
        add(
          'controllers',
          'warn',
          `${what}: rolling out (${ready}/${want} ready)`,
          line(h.message ?? h.reason ?? '', 300),
          data,
        );
      else if (h.state === 'Suspended')
        add('controllers', 'warn', `${what}: rollout paused (${ready}/${want} ready)`, undefined, data);
      else
        add(
          'controllers',
          'fail',
          `${what}: not ready (${ready}/${want})${h.reason ? ` — ${line(h.reason, 100)}` : ''}`,
          h.message ? line(h.message, 300) : undefined,
          data,
        );
    }
    if (deployments.length === 0) {
      add(
        'controllers',
        'fail',
        `no Flux controllers in namespace ${line(fluxNs, 100)}`,
        'is Flux installed? If it runs in another namespace, pass --flux-namespace',
      );
    } else {
      // A controller that is absent while objects it reconciles exist: they are never reconciled.
      const needed = new Map<string, number>();
      for (const k of KINDS)
        if (k.flux && k.controller && !k.statusless)
          needed.set(k.controller, (needed.get(k.controller) ?? 0) + graph.byKind(k.kind).length);
      for (const [c, n] of [...needed].sort()) {
        if (present.has(c) || n === 0) continue;
        const kinds = KINDS.filter((k) => k.controller === c && graph.byKind(k.kind).length > 0).map((k) => k.kind);
        add(
          'controllers',
          'fail',
          `${c}: no Deployment in ${line(fluxNs, 100)}, but ${n} ${kinds.join('/')} object${n > 1 ? 's need' : ' needs'} it`,
          `install it (flux install --components-extra=${c}) or remove the objects`,
        );
      }
    }
  }

  // ---------- CRDs ----------
  const crdsRead = graph.kindRead('CustomResourceDefinition');
  const crdByName = new Map(fluxCrds.map((c) => [c.metadata.name, c]));
  if (!crdsRead) {
    add('crds', 'skip', 'CustomResourceDefinitions: not read, CRDs not checked');
  } else if (fluxCrds.length === 0) {
    add(
      'crds',
      'fail',
      'no Flux CRDs installed (no CustomResourceDefinition of a *.fluxcd.io group)',
      'install Flux: flux install, or flux bootstrap',
    );
  } else {
    for (const c of fluxCrds) {
      const versions: { name: string; served?: boolean; storage?: boolean }[] = Array.isArray(c.spec?.versions)
        ? c.spec.versions
        : [];
      const served = versions.filter((v) => v.served !== false).map((v) => line(v.name, 30));
      const stored: string[] = Array.isArray(c.status?.storedVersions)
        ? c.status.storedVersions.map((v: unknown) => line(v, 30))
        : [];
      const name = line(c.metadata.name, 200);
      const data = { name, served, stored };
      const est = condition(c, 'Established');
      const unservedStored = stored.filter((v) => !served.includes(v));
      if (est && est.status !== 'True') {
        add(
          'crds',
          'fail',
          `${name}: not established${est.reason ? ` (${line(est.reason, 100)})` : ''}`,
          est.message ? line(est.message, 300) : undefined,
          data,
        );
      } else if (unservedStored.length > 0) {
        add(
          'crds',
          'warn',
          `${name}: serves ${served.join(', ') || 'no version'}; objects are still stored as ${unservedStored.join(', ')}, which is no longer served`,
          'migrate the stored objects before the next upgrade removes that version: flux migrate',
          data,
        );
      } else {
        add(
          'crds',
          'ok',
          `${name}: serves ${served.join(', ') || 'no version'}${stored.length ? ` (stored ${stored.join(', ')})` : ''}`,
          undefined,
          data,
        );
      }
    }
    // Kinds of a running controller whose CRD is missing.
    for (const k of KINDS) {
      if (!k.flux || !k.controller || !present.has(k.controller)) continue;
      const name = `${k.plural}.${k.group}`;
      if (crdByName.has(name)) continue;
      add(
        'crds',
        graph.byKind(k.kind).length > 0 ? 'fail' : 'warn',
        `${name}: not installed, although ${k.controller} runs`,
        `reinstall the CRDs of the Flux version the controllers run (flux install)`,
      );
    }
  }

  // ---------- API versions the objects use ----------
  const used = KINDS.filter((k) => k.flux && graph.byKind(k.kind).length > 0);
  if (used.length === 0) {
    add('apiVersions', 'skip', 'no Flux objects: no API versions to check');
  }
  const unverified: string[] = [];
  for (const k of used) {
    const objs = graph.byKind(k.kind);
    const byVersion = new Map<string, number>();
    for (const o of objs) byVersion.set(o.apiVersion, (byVersion.get(o.apiVersion) ?? 0) + 1);
    const crd = crdByName.get(`${k.plural}.${k.group}`);
    const served: string[] | undefined = crd
      ? (crd.spec?.versions ?? [])
          .filter((v: { served?: boolean }) => v.served !== false)
          .map((v: { name: string }) => v.name)
      : undefined;
    for (const [apiVersion, n] of [...byVersion].sort()) {
      const v = versionOf(apiVersion);
      const what = `${k.kind}: ${n} object${n > 1 ? 's' : ''} in ${line(apiVersion, 100)}`;
      const data = {
        kind: k.kind,
        apiVersion: line(apiVersion, 100),
        objects: n,
        current: `${k.group}/${k.versions[0]}`,
      };
      if (served && !served.includes(v)) {
        add(
          'apiVersions',
          'fail',
          `${what}: not served by the CRD (serves ${served.join(', ') || 'nothing'})`,
          'upgrade the manifests to a served version, or install the Flux version they were written for',
          data,
        );
      } else if (!served && !opts.live && crdsRead) {
        add('apiVersions', 'fail', `${what}: its CRD ${k.plural}.${k.group} is not installed`, undefined, data);
      } else if (v !== k.versions[0]) {
        add(
          'apiVersions',
          'warn',
          `${what}: ${served || opts.live ? 'served, but ' : ''}deprecated (current: ${k.group}/${k.versions[0]})`,
          'upgrade Flux and move the manifests to the current API version before it is removed',
          data,
        );
      } else if (!served && !opts.live) {
        unverified.push(`${k.kind} ${v}`);
      } else {
        add('apiVersions', 'ok', `${what}: served`, undefined, data);
      }
    }
  }
  if (unverified.length > 0)
    add('apiVersions', 'skip', `CRDs not in the snapshot: served versions not checked (${unverified.join(', ')})`);

  // ---------- source-controller storage ----------
  const sources = ARTIFACT_KINDS.flatMap((kind) => graph.byKind(kind)).filter((o) => !isStaticHelmRepo(o));
  const readySources = sources.filter((o) => graph.health(o).state === 'Ready');
  if (sources.length === 0) {
    add('storage', 'skip', 'no sources: artifact storage not checked');
  } else if (readySources.length === 0) {
    add('storage', 'warn', `none of the ${sources.length} sources is ready: no artifact to check`);
  } else {
    const missing = readySources.filter((o) => typeof o.status?.artifact?.url !== 'string' || !o.status.artifact.url);
    const origins = new Set<string>();
    for (const o of readySources) {
      try {
        if (o.status?.artifact?.url) origins.add(new URL(o.status.artifact.url).origin);
      } catch {}
    }
    const served = readySources.length - missing.length;
    if (served > 0)
      add(
        'storage',
        'ok',
        `${served} ready source${served > 1 ? 's have' : ' has'} an artifact${
          origins.size
            ? `, served at ${[...origins]
                .slice(0, 3)
                .map((u) => line(u, 200))
                .join(', ')}`
            : ''
        }`,
        undefined,
        { ready: readySources.length, withArtifact: served, origins: [...origins].map((u) => line(u, 200)) },
      );
    if (missing.length > 0) {
      add(
        'storage',
        'fail',
        `${missing.length} ready source${missing.length > 1 ? 's have' : ' has'} no artifact URL: ${missing
          .slice(0, 5)
          .map((o) => `${o.kind} ${line(o.metadata.namespace, 100)}/${line(o.metadata.name, 200)}`)
          .join(', ')}${missing.length > 5 ? ', …' : ''}`,
        'source-controller cannot serve these to kustomize-controller and helm-controller: check its storage (logs, the storage volume)',
      );
    }
    if (opts.probe) {
      const p = opts.probe;
      const url = line(p.url, 300);
      if (p.outcome === 'ok') add('storage', 'ok', `artifact download works: ${url}`, line(p.detail, 200));
      else if (p.outcome === 'fail') add('storage', 'fail', `artifact download fails: ${url}`, line(p.detail, 300));
      else if (p.outcome === 'local')
        add('storage', 'skip', `artifact download not checked: ${url}`, line(p.detail, 300));
      else
        add('storage', 'skip', `artifact download not checked from outside the cluster: ${url}`, line(p.detail, 300));
    }
  }

  const counts: Record<CheckStatus, number> = { ok: 0, fail: 0, warn: 0, skip: 0 };
  for (const i of items) counts[i.status]++;
  return {
    ok: counts.fail === 0,
    input: opts.live ? 'live' : 'snapshot',
    ...(info.context ? { context: line(info.context, 100) } : {}),
    ...(server ? { server } : {}),
    ...(version ? { serverVersion: version } : {}),
    ...(info.capturedAt ? { capturedAt: line(info.capturedAt, 40) } : {}),
    fluxNamespace: line(fluxNs, 100),
    counts,
    items,
    objects: countObjects(graph),
  };
}
