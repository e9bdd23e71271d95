// Builders for realistic `kubectl get -A -o yaml` snapshots. Not part of the repo.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';

export const FLUX_VERSION = 'v2.9.0';
export const CONTROLLERS = {
  'source-controller': 'v1.9.0',
  'kustomize-controller': 'v1.9.0',
  'helm-controller': 'v1.6.0',
  'notification-controller': 'v1.9.0',
  'image-reflector-controller': 'v1.2.0',
  'image-automation-controller': 'v1.2.0',
};
const API = {
  GitRepository: 'source.toolkit.fluxcd.io/v1',
  OCIRepository: 'source.toolkit.fluxcd.io/v1',
  HelmRepository: 'source.toolkit.fluxcd.io/v1',
  HelmChart: 'source.toolkit.fluxcd.io/v1',
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  HelmRelease: 'helm.toolkit.fluxcd.io/v2',
  ImageRepository: 'image.toolkit.fluxcd.io/v1',
  ImagePolicy: 'image.toolkit.fluxcd.io/v1',
  ImageUpdateAutomation: 'image.toolkit.fluxcd.io/v1',
  Receiver: 'notification.toolkit.fluxcd.io/v1',
  Provider: 'notification.toolkit.fluxcd.io/v1beta3',
  Alert: 'notification.toolkit.fluxcd.io/v1beta3',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Pod: 'v1',
  Secret: 'v1',
  ConfigMap: 'v1',
  ServiceAccount: 'v1',
  Service: 'v1',
  Namespace: 'v1',
};
export const groupOf = (kind) => {
  const a = API[kind];
  return a.includes('/') ? a.slice(0, a.lastIndexOf('/')) : '';
};

export function hex(seed, n = 40) {
  let out = '';
  let i = 0;
  while (out.length < n) out += createHash('sha256').update(`${seed}#${i++}`).digest('hex');
  return out.slice(0, n);
}
export function uid(seed) {
  const h = hex(`uid:${seed}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Number.parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
export function suffix(seed, n) {
  const h = hex(`sfx:${seed}`, n * 2);
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[Number.parseInt(h.slice(i * 2, i * 2 + 2), 16) % ALNUM.length];
  return s;
}

/** One example's world: a capture time, a resourceVersion counter, objects, events. */
export class World {
  constructor(name, capture) {
    this.name = name;
    this.capture = new Date(capture);
    this.rv = 4_812_000 + Number.parseInt(hex(name, 4), 16);
    this.items = [];
    this.events = [];
    this.logs = {};
    this.byKey = new Map();
  }
  /** ISO time `min` minutes before capture. */
  t(min) {
    return new Date(this.capture.getTime() - min * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  }
  /** RFC3339Nano-ish time for logs/lastUpdateTime. */
  tn(min, frac = '.123Z') {
    return this.t(min).replace('Z', frac);
  }
  nextRv() {
    this.rv += 7 + (this.rv % 13);
    return String(this.rv);
  }
  add(o) {
    this.items.push(o);
    this.byKey.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
    return o;
  }
  get(kind, ns, name) {
    return this.byKey.get(`${kind}/${ns ?? ''}/${name}`);
  }
  meta(kind, ns, name, opts = {}) {
    const m = {};
    if (opts.annotations) m.annotations = opts.annotations;
    m.creationTimestamp = this.t(opts.created ?? 60 * 24 * 21);
    if (opts.finalizers) m.finalizers = opts.finalizers;
    if (opts.generateName) m.generateName = opts.generateName;
    if (opts.generation !== undefined) m.generation = opts.generation;
    if (opts.labels) m.labels = opts.labels;
    m.name = name;
    if (ns) m.namespace = ns;
    if (opts.owner) m.ownerReferences = [opts.owner];
    m.resourceVersion = this.nextRv();
    m.uid = uid(`${this.name}/${kind}/${ns}/${name}`);
    return m;
  }
  obj(kind, ns, name, opts, spec, status) {
    const o = { apiVersion: API[kind], kind, metadata: this.meta(kind, ns, name, opts) };
    if (spec !== undefined) o.spec = spec;
    if (status !== undefined) o.status = status;
    return this.add(o);
  }
  event(o, type, reason, message, opts = {}) {
    const first = opts.first ?? 5;
    const last = opts.last ?? 1;
    const count = opts.count ?? 1;
    const ns = o.metadata.namespace ?? 'default';
    const e = {
      apiVersion: 'v1',
      count,
      eventTime: null,
      firstTimestamp: this.t(first),
      involvedObject: {
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.metadata.name,
        namespace: ns,
        resourceVersion: o.metadata.resourceVersion,
        uid: o.metadata.uid,
      },
      kind: 'Event',
      lastTimestamp: this.t(last),
      message,
      metadata: {
        creationTimestamp: this.t(first),
        name: `${o.metadata.name}.${hex(`${o.metadata.uid}/${reason}/${message}`, 16)}`,
        namespace: ns,
        resourceVersion: this.nextRv(),
        uid: uid(`event/${o.metadata.uid}/${reason}/${message}`),
      },
      reason,
      reportingComponent: opts.reportingComponent ?? '',
      reportingInstance: opts.reportingInstance ?? '',
      source: opts.host ? { component: opts.component, host: opts.host } : { component: opts.component },
      type,
    };
    if (opts.fieldPath) e.involvedObject.fieldPath = opts.fieldPath;
    if (opts.annotations) e.metadata.annotations = opts.annotations;
    this.events.push(e);
    return e;
  }
  /** A Flux controller JSON log line about a Flux object. */
  log(controller, o, level, msg, opts = {}) {
    const line = {
      level,
      ts: this.tn(opts.min ?? 1, opts.frac ?? `.${hex(msg + (opts.min ?? 1), 3).replace(/[a-f]/g, '7')}Z`),
      msg,
      controller: o.kind.toLowerCase(),
      controllerGroup: groupOf(o.kind),
      controllerKind: o.kind,
      [o.kind]: { name: o.metadata.name, namespace: o.metadata.namespace },
      namespace: o.metadata.namespace,
      name: o.metadata.name,
      reconcileID: uid(`rid/${o.metadata.uid}/${msg}/${opts.min ?? 1}`),
    };
    Object.assign(line, opts.extra ?? {});
    if (opts.error) line.error = opts.error;
    this.logLines(controller).push(line);
    return line;
  }
  rawLog(controller, line) {
    this.logLines(controller).push(line);
  }
  logLines(controller) {
    if (!this.logs[controller]) this.logs[controller] = [];
    return this.logs[controller];
  }
  write(dir) {
    mkdirSync(dir, { recursive: true });
    const order = Object.keys(API);
    const items = [...this.items].sort(
      (a, b) =>
        order.indexOf(a.kind) - order.indexOf(b.kind) ||
        (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
    const list = { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
    writeFileSync(join(dir, 'cluster.yaml'), kube(list));
    const events = this.events.sort((a, b) => a.lastTimestamp.localeCompare(b.lastTimestamp));
    const el = { apiVersion: 'v1', items: events, kind: 'List', metadata: { resourceVersion: '' } };
    writeFileSync(join(dir, 'events.yaml'), kube(el));
    const names = Object.keys(this.logs);
    if (names.length > 0) {
      mkdirSync(join(dir, 'logs'), { recursive: true });
      for (const n of names) {
        const lines = this.logs[n].sort((a, b) => String(a.ts).localeCompare(String(b.ts)));
        writeFileSync(join(dir, 'logs', `${n}.log`), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      }
    }
  }
}

/** YAML the way kubectl prints it: sequences not indented, timestamps quoted. */
function kube(v) {
  return stringify(v, { lineWidth: 0, indentSeq: false, aliasDuplicateObjects: false }).replace(
    /^(\s*(?:- )?[A-Za-z]+: )(\d{4}-\d\d-\d\dT[\d:.]+Z)$/gm,
    '$1"$2"',
  );
}

// ---------- conditions ----------

export function cond(w, type, status, reason, message, gen, min) {
  return { lastTransitionTime: w.t(min), message, observedGeneration: gen, reason, status, type };
}

export const ksLabels = (ks, ksNs = 'flux-system') => ({
  'kustomize.toolkit.fluxcd.io/name': ks,
  'kustomize.toolkit.fluxcd.io/namespace': ksNs,
});
export const hrLabels = (hr, hrNs) => ({
  'helm.toolkit.fluxcd.io/name': hr,
  'helm.toolkit.fluxcd.io/namespace': hrNs,
});
export const invId = (o) => `${o.metadata.namespace ?? ''}_${o.metadata.name}_${groupOf(o.kind)}_${o.kind}`;
export const inventory = (objs) => ({
  entries: objs
    .map((o) => ({ id: invId(o), v: o.apiVersion.includes('/') ? o.apiVersion.split('/')[1] : o.apiVersion }))
    .sort((a, b) => a.id.localeCompare(b.id)),
});

const FINALIZER = 'finalizers.fluxcd.io';
const SC_URL = 'http://source-controller.flux-system.svc.cluster.local.';

export function gitRevision(seed, branch = 'main') {
  return `${branch}@sha1:${hex(`git:${seed}`, 40)}`;
}

// ---------- sources ----------

export function gitRepository(w, ns, name, o = {}) {
  const gen = o.generation ?? 1;
  const spec = { interval: o.interval ?? '1m0s', ref: o.ref ?? { branch: 'main' } };
  if (o.secretRef) spec.secretRef = { name: o.secretRef };
  spec.timeout = '60s';
  spec.url = o.url;
  const labels = o.labels;
  let status;
  if (o.failure) {
    const f = o.failure;
    status = {
      conditions: [
        cond(w, 'Reconciling', 'True', 'ProgressingWithRetry', f.reconciling ?? 'building artifact', gen, f.since),
        cond(w, 'Ready', 'False', f.reason, f.message, gen, f.since),
        cond(w, 'FetchFailed', 'True', f.reason, f.message, gen, f.since),
      ],
      observedGeneration: -1,
    };
  } else {
    const rev = o.revision ?? gitRevision(`${w.name}/${ns}/${name}`, spec.ref.branch ?? 'main');
    const sha = rev.split('sha1:')[1];
    const msg = `stored artifact for revision '${rev}'`;
    status = {
      artifact: {
        digest: `sha256:${hex(`dig:${rev}`, 64)}`,
        lastUpdateTime: w.t(o.updated ?? 180),
        path: `gitrepository/${ns}/${name}/${sha}.tar.gz`,
        revision: rev,
        size: o.size ?? 48213,
        url: `${SC_URL}/gitrepository/${ns}/${name}/${sha}.tar.gz`,
      },
      conditions: [
        cond(w, 'Ready', 'True', 'Succeeded', msg, gen, o.updated ?? 180),
        cond(w, 'ArtifactInStorage', 'True', 'Succeeded', msg, gen, o.updated ?? 180),
      ],
      observedGeneration: gen,
    };
  }
  return w.obj(
    'GitRepository',
    ns,
    name,
    { finalizers: [FINALIZER], generation: gen, labels, created: o.created },
    spec,
    status,
  );
}

export function ociRepository(w, ns, name, o = {}) {
  const gen = o.generation ?? 1;
  const spec = { interval: o.interval ?? '10m0s' };
  if (o.certSecretRef) spec.certSecretRef = { name: o.certSecretRef };
  spec.ref = o.ref ?? { semver: '*' };
  spec.timeout = '60s';
  spec.url = o.url;
  let status;
  if (o.failure) {
    const f = o.failure;
    status = {
      conditions: [
        cond(w, 'Reconciling', 'True', 'ProgressingWithRetry', 'reconciliation in progress', gen, f.since),
        cond(w, 'Ready', 'False', f.reason, f.message, gen, f.since),
        cond(w, 'FetchFailed', 'True', f.reason, f.message, gen, f.since),
      ],
      observedGeneration: -1,
    };
  } else {
    const digest = `sha256:${hex(`oci:${w.name}/${name}`, 64)}`;
    const rev = `${o.tag ?? '6.7.1'}@${digest}`;
    const msg = `stored artifact for digest '${rev}'`;
    status = {
      artifact: {
        digest: `sha256:${hex(`ocidig:${rev}`, 64)}`,
        lastUpdateTime: w.t(o.updated ?? 600),
        metadata: {
          'org.opencontainers.image.created': w.t(o.updated ? o.updated + 30 : 660),
          'org.opencontainers.image.revision': `${o.tag ?? '6.7.1'}@sha1:${hex(`ocirev:${name}`, 40)}`,
          'org.opencontainers.image.source': o.sourceUrl ?? 'https://github.com/stefanprodan/podinfo',
        },
        path: `ocirepository/${ns}/${name}/${digest.slice(7)}.tar.gz`,
        revision: rev,
        size: 1532,
        url: `${SC_URL}/ocirepository/${ns}/${name}/${digest.slice(7)}.tar.gz`,
      },
      conditions: [
        cond(w, 'Ready', 'True', 'Succeeded', msg, gen, o.updated ?? 600),
        cond(w, 'ArtifactInStorage', 'True', 'Succeeded', msg, gen, o.updated ?? 600),
      ],
      observedGeneration: gen,
      url: `${SC_URL}/ocirepository/${ns}/${name}/latest.tar.gz`,
    };
  }
  return w.obj(
    'OCIRepository',
    ns,
    name,
    { finalizers: [FINALIZER], generation: gen, labels: o.labels, created: o.created },
    spec,
    status,
  );
}

export function helmRepository(w, ns, name, o = {}) {
  const gen = o.generation ?? 1;
  const spec = { interval: o.interval ?? '1h0m0s', provider: 'generic' };
  if (o.secretRef) spec.secretRef = { name: o.secretRef };
  spec.timeout = '1m0s';
  spec.url = o.url;
  let status;
  if (o.failure) {
    const f = o.failure;
    status = {
      conditions: [
        cond(
          w,
          'Reconciling',
          'True',
          'ProgressingWithRetry',
          'processing object: new generation 0 -> 1',
          gen,
          f.since,
        ),
        cond(w, 'Ready', 'False', f.reason, f.message, gen, f.since),
        cond(w, 'FetchFailed', 'True', f.reason, f.message, gen, f.since),
      ],
      observedGeneration: -1,
    };
  } else {
    const rev = `sha256:${hex(`idx:${w.name}/${name}`, 64)}`;
    const msg = `stored artifact: revision '${rev}'`;
    status = {
      artifact: {
        digest: rev,
        lastUpdateTime: w.t(o.updated ?? 25),
        path: `helmrepository/${ns}/${name}/index-${rev.slice(7)}.yaml`,
        revision: rev,
        size: o.size ?? 51329,
        url: `${SC_URL}/helmrepository/${ns}/${name}/index-${rev.slice(7)}.yaml`,
      },
      conditions: [
        cond(w, 'Ready', 'True', 'Succeeded', msg, gen, o.updated ?? 25),
        cond(w, 'ArtifactInStorage', 'True', 'Succeeded', msg, gen, o.updated ?? 25),
      ],
      observedGeneration: gen,
      url: `${SC_URL}/helmrepository/${ns}/${name}/index.yaml`,
    };
  }
  return w.obj(
    'HelmRepository',
    ns,
    name,
    { finalizers: [FINALIZER], generation: gen, labels: o.labels, created: o.created },
    spec,
    status,
  );
}

/** The HelmChart helm-controller generates for a HelmRelease (spec.chart). */
export function helmChart(w, hr, o = {}) {
  const src = hr.spec.chart.spec.sourceRef;
  const ns = src.namespace ?? hr.metadata.namespace;
  const name = `${hr.metadata.namespace}-${hr.metadata.name}`;
  const gen = o.generation ?? 1;
  const spec = {
    chart: hr.spec.chart.spec.chart,
    interval: hr.spec.chart.spec.interval ?? '5m0s',
    reconcileStrategy: 'ChartVersion',
    sourceRef: { kind: src.kind, name: src.name },
    version: hr.spec.chart.spec.version ?? '*',
  };
  let status;
  if (o.failure) {
    const f = o.failure;
    const conds = [];
    if (f.stalled) {
      conds.push(cond(w, 'Stalled', 'True', f.reason, f.message, gen, f.since));
      conds.push(cond(w, 'Ready', 'False', f.reason, f.message, gen, f.since));
      conds.push(cond(w, 'FetchFailed', 'True', f.reason, f.message, gen, f.since));
    } else {
      conds.push(cond(w, 'Reconciling', 'True', 'ProgressingWithRetry', 'reconciliation in progress', gen, f.since));
      conds.push(cond(w, 'Ready', 'False', f.reason, f.message, gen, f.since));
      conds.push(cond(w, 'FetchFailed', 'True', f.reason, f.message, gen, f.since));
    }
    status = { conditions: conds, observedGeneration: f.stalled ? gen : -1 };
    if (f.observedSourceArtifactRevision) status.observedSourceArtifactRevision = f.observedSourceArtifactRevision;
  } else {
    const version = o.version;
    const msg = `pulled '${spec.chart}' chart with version '${version}'`;
    const repo = w.get(src.kind, ns, src.name);
    status = {
      artifact: {
        digest: `sha256:${hex(`chart:${w.name}/${name}/${version}`, 64)}`,
        lastUpdateTime: w.t(o.updated ?? 2000),
        path: `helmchart/${ns}/${name}/${spec.chart}-${version}.tgz`,
        revision: version,
        size: o.size ?? 14612,
        url: `${SC_URL}/helmchart/${ns}/${name}/${spec.chart}-${version}.tgz`,
      },
      conditions: [
        cond(w, 'Ready', 'True', 'ChartPullSucceeded', msg, gen, o.updated ?? 2000),
        cond(w, 'ArtifactInStorage', 'True', 'ChartPullSucceeded', msg, gen, o.updated ?? 2000),
      ],
      observedChartName: spec.chart,
      observedGeneration: gen,
      observedSourceArtifactRevision: repo?.status?.artifact?.revision,
      url: `${SC_URL}/helmchart/${ns}/${name}/latest.tar.gz`,
    };
  }
  return w.obj(
    'HelmChart',
    ns,
    name,
    { finalizers: [FINALIZER], generation: gen, created: o.created ?? hr.metadata.created },
    spec,
    status,
  );
}

// ---------- sync ----------

export function kustomization(w, ns, name, o = {}) {
  const gen = o.generation ?? 1;
  const spec = {};
  if (o.decryption) spec.decryption = o.decryption;
  if (o.dependsOn) spec.dependsOn = o.dependsOn.map((d) => ({ name: d }));
  spec.force = false;
  if (o.healthChecks) spec.healthChecks = o.healthChecks;
  spec.interval = o.interval ?? '10m0s';
  spec.path = o.path;
  if (o.postBuild) spec.postBuild = o.postBuild;
  spec.prune = true;
  if (o.retryInterval) spec.retryInterval = o.retryInterval;
  if (o.serviceAccountName) spec.serviceAccountName = o.serviceAccountName;
  spec.sourceRef = { kind: o.sourceKind ?? 'GitRepository', name: o.source ?? 'flux-system' };
  if (o.sourceNamespace) spec.sourceRef.namespace = o.sourceNamespace;
  if (o.suspend) spec.suspend = true;
  if (o.targetNamespace) spec.targetNamespace = o.targetNamespace;
  spec.timeout = o.timeout ?? '5m0s';
  spec.wait = o.wait ?? false;
  const src = w.get(spec.sourceRef.kind, spec.sourceRef.namespace ?? ns, spec.sourceRef.name);
  const rev = o.revision ?? src?.status?.artifact?.revision;
  let status;
  const st = o.state ?? 'ready';
  if (st === 'ready') {
    const conds = [
      cond(w, 'Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${rev}`, gen, o.since ?? 170),
    ];
    if (o.wait || o.healthChecks)
      conds.push(
        cond(
          w,
          'Healthy',
          'True',
          'Succeeded',
          `Health check passed in ${o.healthTook ?? '2.03819745s'}`,
          gen,
          o.since ?? 170,
        ),
      );
    status = {
      conditions: conds,
      inventory: inventory(o.applies ?? []),
      lastAppliedRevision: rev,
      lastAttemptedRevision: rev,
      observedGeneration: gen,
    };
  } else if (st === 'suspended') {
    status = {
      conditions: [
        cond(
          w,
          'Ready',
          'True',
          'ReconciliationSucceeded',
          `Applied revision: ${o.lastRevision ?? rev}`,
          gen,
          o.since ?? 60 * 24 * 6,
        ),
      ],
      inventory: inventory(o.applies ?? []),
      lastAppliedRevision: o.lastRevision ?? rev,
      lastAttemptedRevision: o.lastRevision ?? rev,
      observedGeneration: gen,
    };
  } else if (st === 'no-artifact') {
    status = {
      conditions: [
        cond(w, 'Ready', 'False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s', gen, o.since ?? 40),
      ],
      observedGeneration: -1,
    };
  } else if (st === 'dependency') {
    status = {
      conditions: [
        cond(w, 'Reconciling', 'True', 'ProgressingWithRetry', 'Reconciliation in progress', gen, o.since ?? 40),
        cond(w, 'Ready', 'False', 'DependencyNotReady', o.message, gen, o.since ?? 40),
      ],
      observedGeneration: -1,
    };
  } else if (st === 'failed') {
    const conds = [
      cond(
        w,
        'Reconciling',
        'True',
        'ProgressingWithRetry',
        o.reconcilingMessage ?? `Detecting drift for revision ${rev} with a timeout of ${spec.timeout}`,
        gen,
        o.since ?? 30,
      ),
      cond(w, 'Ready', 'False', o.reason, o.message, gen, o.since ?? 30),
    ];
    if (o.healthyMessage)
      conds.push(cond(w, 'Healthy', 'False', 'HealthCheckFailed', o.healthyMessage, gen, o.since ?? 30));
    status = { conditions: conds };
    if (o.applies) status.inventory = inventory(o.applies);
    if (o.lastApplied) status.lastAppliedRevision = o.lastApplied;
    status.lastAttemptedRevision = o.attemptedRevision ?? rev;
    status.observedGeneration = o.observedGeneration ?? (o.lastApplied ? gen - (o.specChanged ? 1 : 0) : -1);
  }
  if (status && o.history) status.history = o.history;
  return w.obj(
    'Kustomization',
    ns,
    name,
    { finalizers: [FINALIZER], generation: gen, labels: o.labels, created: o.created },
    spec,
    status,
  );
}

export function helmRelease(w, ns, name, o = {}) {
  const gen = o.generation ?? 1;
  const spec = {
    chart: {
      spec: {
        chart: o.chart ?? name,
        reconcileStrategy: 'ChartVersion',
        sourceRef: { kind: 'HelmRepository', name: o.repo, namespace: o.repoNamespace ?? 'flux-system' },
        version: o.version,
      },
    },
  };
  if (o.dependsOn) spec.dependsOn = o.dependsOn;
  if (o.install) spec.install = o.install;
  spec.interval = o.interval ?? '30m0s';
  if (o.releaseName) spec.releaseName = o.releaseName;
  if (o.targetNamespace) spec.targetNamespace = o.targetNamespace;
  if (o.timeout) spec.timeout = o.timeout;
  if (o.upgrade) spec.upgrade = o.upgrade;
  if (o.values) spec.values = o.values;
  if (o.valuesFrom) spec.valuesFrom = o.valuesFrom;
  const relNs = o.targetNamespace ?? ns;
  const relName = o.releaseName ?? (o.targetNamespace ? `${o.targetNamespace}-${name}` : name);
  const chartName = `${ns}-${name}`;
  const srcNs = spec.chart.spec.sourceRef.namespace;
  let status;
  if (o.state === 'ready' || !o.state) {
    const v = o.appliedVersion;
    const msg = `Helm install succeeded for release ${relNs}/${relName}.v1 with chart ${spec.chart.spec.chart}@${v}`;
    status = {
      conditions: [
        cond(w, 'Ready', 'True', 'InstallSucceeded', msg, gen, o.since ?? 1990),
        cond(w, 'Released', 'True', 'InstallSucceeded', msg, gen, o.since ?? 1990),
      ],
      helmChart: `${srcNs}/${chartName}`,
      history: [
        {
          appVersion: o.appVersion ?? v,
          chartName: spec.chart.spec.chart,
          chartVersion: v,
          configDigest: `sha256:${hex(`cfg:${w.name}/${name}`, 64)}`,
          digest: `sha256:${hex(`rel:${w.name}/${name}`, 64)}`,
          firstDeployed: w.t(o.since ?? 1990),
          lastDeployed: w.t(o.since ?? 1990),
          name: relName,
          namespace: relNs,
          status: 'deployed',
          version: 1,
        },
      ],
      lastAttemptedConfigDigest: `sha256:${hex(`cfg:${w.name}/${name}`, 64)}`,
      lastAttemptedGeneration: gen,
      lastAttemptedReleaseAction: 'install',
      lastAttemptedRevision: v,
      observedGeneration: gen,
      storageNamespace: relNs,
    };
  } else if (o.state === 'source-not-ready') {
    status = {
      conditions: [
        cond(w, 'Reconciling', 'True', 'Progressing', 'Fulfilling prerequisites', gen, o.since ?? 45),
        cond(w, 'Ready', 'False', 'SourceNotReady', o.message, gen, o.since ?? 45),
      ],
      helmChart: `${srcNs}/${chartName}`,
      observedGeneration: -1,
    };
  } else if (o.state === 'values-error') {
    status = {
      conditions: [
        cond(w, 'Reconciling', 'True', 'Progressing', 'Fulfilling prerequisites', gen, o.since ?? 45),
        cond(w, 'Ready', 'False', 'ValuesError', o.message, gen, o.since ?? 45),
      ],
      helmChart: `${srcNs}/${chartName}`,
      observedGeneration: -1,
    };
  } else if (o.state === 'install-failed') {
    // o.message: the Released=False message; o.stalled: retries exhausted.
    const conds = [];
    if (o.stalled)
      conds.push(
        cond(w, 'Stalled', 'True', 'RetriesExceeded', 'Failed to install after 1 attempt(s)', gen, o.since ?? 20),
      );
    conds.push(cond(w, 'Ready', 'False', 'InstallFailed', o.message, gen, o.since ?? 20));
    conds.push(cond(w, 'Released', 'False', 'InstallFailed', o.message, gen, o.since ?? 20));
    if (!o.stalled)
      conds.unshift(
        cond(
          w,
          'Reconciling',
          'True',
          'ProgressingWithRetry',
          "Running 'install' action with timeout of 5m0s",
          gen,
          o.since ?? 20,
        ),
      );
    const v = o.attemptedVersion;
    status = {
      conditions: conds,
      failures: o.failures ?? 1,
      helmChart: `${srcNs}/${chartName}`,
      installFailures: o.failures ?? 1,
      lastAttemptedConfigDigest: `sha256:${hex(`cfg:${w.name}/${name}`, 64)}`,
      lastAttemptedGeneration: gen,
      lastAttemptedReleaseAction: 'install',
      lastAttemptedRevision: v,
      observedGeneration: o.stalled ? gen : -1,
      storageNamespace: relNs,
    };
    if (o.history)
      status.history = [
        {
          appVersion: o.appVersion ?? v,
          chartName: spec.chart.spec.chart,
          chartVersion: v,
          configDigest: `sha256:${hex(`cfg:${w.name}/${name}`, 64)}`,
          digest: `sha256:${hex(`rel:${w.name}/${name}`, 64)}`,
          firstDeployed: w.t(o.installedAt ?? 26),
          lastDeployed: w.t(o.installedAt ?? 26),
          name: relName,
          namespace: relNs,
          status: 'failed',
          version: 1,
        },
      ];
  }
  return w.obj(
    'HelmRelease',
    ns,
    name,
    { finalizers: [FINALIZER], generation: gen, labels: o.labels, created: o.created },
    spec,
    status,
  );
}

// ---------- core ----------

export function secret(w, ns, name, data, o = {}) {
  const s = w.obj('Secret', ns, name, { labels: o.labels, created: o.created, annotations: o.annotations });
  s.data = data;
  s.type = o.type ?? 'Opaque';
  return s;
}
export function configMap(w, ns, name, data, o = {}) {
  const c = w.obj('ConfigMap', ns, name, { labels: o.labels, created: o.created });
  c.data = data;
  return c;
}
export const b64 = (s) => Buffer.from(s).toString('base64');

/**
 * A Deployment with its ReplicaSet and Pods. `pod(i, podName)` returns {status, extra} per pod;
 * `ready` says how many replicas are available.
 */
export function deployment(w, ns, name, o) {
  const replicas = o.replicas ?? 1;
  const gen = o.generation ?? 1;
  const podLabels = o.podLabelsOnly ?? { 'app.kubernetes.io/name': name, ...(o.podLabels ?? {}) };
  const hash = suffix(`${w.name}/${ns}/${name}/rs`, 10).replace(/^(.)/, '6');
  const rsName = `${name}-${hash.slice(0, 9)}`;
  const available = o.available ?? replicas;
  const containers = o.containers ?? [
    {
      image: o.image,
      imagePullPolicy: 'IfNotPresent',
      name: o.container ?? name,
      ports: o.ports ?? (o.port ? [{ containerPort: o.port, name: 'http', protocol: 'TCP' }] : undefined),
      readinessProbe: o.readinessProbe,
      resources: o.resources ?? { limits: { memory: '256Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
  ];
  for (const c of containers) for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  const template = {
    metadata: { creationTimestamp: null, labels: podLabels },
    spec: {
      containers,
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccountName: o.serviceAccount,
      terminationGracePeriodSeconds: 30,
    },
  };
  if (!o.serviceAccount) delete template.spec.serviceAccountName;
  if (o.nodeSelector) template.spec.nodeSelector = o.nodeSelector;
  const rolled = o.rolledOut ?? 60 * 24 * 3;
  const depConds =
    available >= replicas
      ? [
          cond(
            w,
            'Available',
            'True',
            'MinimumReplicasAvailable',
            'Deployment has minimum availability.',
            undefined,
            rolled - 1,
          ),
          cond(
            w,
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${rsName}" has successfully progressed.`,
            undefined,
            rolled,
          ),
        ]
      : [
          cond(
            w,
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
            undefined,
            rolled,
          ),
          o.progressDeadlineExceeded
            ? cond(
                w,
                'Progressing',
                'False',
                'ProgressDeadlineExceeded',
                `ReplicaSet "${rsName}" has timed out progressing.`,
                undefined,
                rolled - 10,
              )
            : cond(
                w,
                'Progressing',
                'True',
                'ReplicaSetUpdated',
                `ReplicaSet "${rsName}" is progressing.`,
                undefined,
                rolled,
              ),
        ];
  for (const c of depConds) {
    delete c.observedGeneration;
    c.lastUpdateTime = c.lastTransitionTime;
  }
  const depStatus = {
    conditions: depConds,
    observedGeneration: gen,
    readyReplicas: available || undefined,
    availableReplicas: available || undefined,
    replicas,
    unavailableReplicas: replicas - available || undefined,
    updatedReplicas: replicas,
  };
  for (const k of Object.keys(depStatus)) if (depStatus[k] === undefined) delete depStatus[k];
  const dep = w.obj(
    'Deployment',
    ns,
    name,
    {
      annotations: { 'deployment.kubernetes.io/revision': String(o.revision ?? 1), ...(o.annotations ?? {}) },
      generation: gen,
      labels: { 'app.kubernetes.io/name': name, ...(o.labels ?? {}) },
      created: o.created ?? rolled,
    },
    {
      progressDeadlineSeconds: 600,
      replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: o.selector ?? podLabels },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template,
    },
    depStatus,
  );
  const rs = w.obj(
    'ReplicaSet',
    ns,
    rsName,
    {
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas * 0.25)),
        'deployment.kubernetes.io/revision': String(o.revision ?? 1),
      },
      generation: 1,
      labels: { ...podLabels, 'pod-template-hash': hash.slice(0, 9) },
      created: rolled,
      owner: {
        apiVersion: 'apps/v1',
        blockOwnerDeletion: true,
        controller: true,
        kind: 'Deployment',
        name,
        uid: dep.metadata.uid,
      },
    },
    {
      replicas,
      selector: { matchLabels: { ...podLabels, 'pod-template-hash': hash.slice(0, 9) } },
      template: {
        ...template,
        metadata: { creationTimestamp: null, labels: { ...podLabels, 'pod-template-hash': hash.slice(0, 9) } },
      },
    },
    {
      availableReplicas: available || undefined,
      fullyLabeledReplicas: replicas,
      observedGeneration: 1,
      readyReplicas: available || undefined,
      replicas,
    },
  );
  for (const k of Object.keys(rs.status)) if (rs.status[k] === undefined) delete rs.status[k];
  const pods = [];
  for (let i = 0; i < replicas; i++) {
    const podName = `${rsName}-${suffix(`${w.name}/${ns}/${name}/pod${i}`, 5)}`;
    const node = o.unscheduled ? undefined : `worker-${['a1', 'b2', 'c3'][i % 3]}`;
    const p = o.pod ? o.pod(i, podName, node) : healthyPod(w, rolled);
    const spec = {
      containers: template.spec.containers,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      nodeName: node,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: o.serviceAccount ?? 'default',
      serviceAccountName: o.serviceAccount ?? 'default',
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
    };
    if (o.nodeSelector) spec.nodeSelector = o.nodeSelector;
    if (!node) delete spec.nodeName;
    const pod = w.obj(
      'Pod',
      ns,
      podName,
      {
        generateName: `${rsName}-`,
        labels: { ...podLabels, 'pod-template-hash': hash.slice(0, 9) },
        created: rolled,
        owner: {
          apiVersion: 'apps/v1',
          blockOwnerDeletion: true,
          controller: true,
          kind: 'ReplicaSet',
          name: rsName,
          uid: rs.metadata.uid,
        },
      },
      spec,
      p.status,
    );
    if (p.status && !p.status.podIP && node) {
      p.status.hostIP = `10.0.${(i % 3) + 1}.${10 + i}`;
      const ip = Number.parseInt(hex(podName, 2), 16);
      p.status.podIP = `10.244.${(i % 3) + 1}.${ip}`;
      p.status.podIPs = [{ ip: p.status.podIP }];
    }
    for (const cs of p.status?.containerStatuses ?? []) {
      cs.image ??= containers[0].image;
      cs.imageID ??=
        p.pulled === false
          ? ''
          : `${containers[0].image.split(':')[0]}@sha256:${hex(`img:${containers[0].image}`, 64)}`;
      if (p.pulled !== false) cs.containerID ??= `containerd://${hex(`ctr:${podName}:${cs.restartCount}`, 64)}`;
      cs.name ??= containers[0].name;
    }
    pods.push(pod);
  }
  return { dep, rs, pods };
}

export function healthyPod(w, started) {
  return {
    status: {
      conditions: [
        cond(w, 'PodReadyToStartContainers', 'True', undefined, undefined, undefined, started - 0.2),
        cond(w, 'Initialized', 'True', undefined, undefined, undefined, started - 0.1),
        cond(w, 'Ready', 'True', undefined, undefined, undefined, started - 0.3),
        cond(w, 'ContainersReady', 'True', undefined, undefined, undefined, started - 0.3),
        cond(w, 'PodScheduled', 'True', undefined, undefined, undefined, started),
      ].map(clean),
      containerStatuses: [
        {
          lastState: {},
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: w.t(started - 0.2) } },
        },
      ],
      phase: 'Running',
      qosClass: 'Burstable',
      startTime: w.t(started),
    },
  };
}
export function clean(c) {
  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  return c.lastTransitionTime ? { lastProbeTime: null, ...c } : c;
}

/** The six Flux controllers, healthy, applied by the flux-system Kustomization. */
export function fluxControllers(w, opts = {}) {
  const out = [];
  const only = opts.only ?? Object.keys(CONTROLLERS);
  for (const c of only) {
    const v = CONTROLLERS[c];
    const { dep } = deployment(w, 'flux-system', c, {
      image: `ghcr.io/fluxcd/${c}:${v}`,
      container: 'manager',
      port: 8080,
      serviceAccount: c,
      labels: {
        'app.kubernetes.io/component': c,
        'app.kubernetes.io/instance': 'flux-system',
        'app.kubernetes.io/part-of': 'flux',
        'app.kubernetes.io/version': FLUX_VERSION,
        'control-plane': 'controller',
        ...ksLabels('flux-system'),
      },
      podLabelsOnly: { app: c },
      ports: [
        { containerPort: 8080, name: 'http-prom', protocol: 'TCP' },
        { containerPort: 9440, name: 'healthz', protocol: 'TCP' },
      ],
      selector: { app: c },
      resources: { limits: { cpu: '1000m', memory: '1Gi' }, requests: { cpu: '100m', memory: '64Mi' } },
      readinessProbe: {
        failureThreshold: 3,
        httpGet: { path: '/readyz', port: 'healthz', scheme: 'HTTP' },
        periodSeconds: 10,
        successThreshold: 1,
        timeoutSeconds: 1,
      },
      rolledOut: opts.installed ?? 60 * 24 * 12,
    });
    delete dep.metadata.labels['app.kubernetes.io/name'];
    out.push(dep);
  }
  return out;
}

/** The flux-system GitRepository + Kustomization of a bootstrapped cluster. */
export function bootstrap(w, o) {
  const gitCreds = secret(
    w,
    'flux-system',
    'flux-system',
    { password: b64('ghp_FAKEfakeFAKEfakeFAKEfakeFAKEfake0000'), username: b64('git') },
    { labels: ksLabels('flux-system'), created: 60 * 24 * 21 },
  );
  const repo = gitRepository(w, 'flux-system', 'flux-system', {
    url: o.url ?? 'https://github.com/acme/fleet-infra.git',
    secretRef: 'flux-system',
    labels: ksLabels('flux-system'),
    revision: o.revision,
    updated: o.repoUpdated ?? 180,
  });
  return { gitCreds, repo };
}

/** The findings an example must give, kept beside the tests (not in the snapshot directory). */
export function writeExpected(dir, findings) {
  const out = join(dir, '..', '..', 'test', 'examples', `${basename(dir)}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(findings, null, 2)}\n`);
}
