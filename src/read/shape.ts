// The shape of each object, checked once at the read boundary: the fields the graph, the engine, the
// rules and the views read have the type they expect, or they are dropped (or read as text) here,
// with a problem naming the object and the field. Past this point code can trust those types; the
// report is partial, never absent, whatever a file or a cluster holds.
//
// Only the fields fluxdoctor uses are checked (lenient `passthrough` schemas), so the check stays
// cheap on large snapshots and never looks inside spec.values or other free-form data.

import { type ZodIssue, type ZodTypeAny, z } from 'zod';
import { kindInfo } from '../kinds/table.js';

// ---------- building blocks ----------

const str = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();
const obj = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough().nullish();
const list = <T extends ZodTypeAny>(item: T) => z.array(item).nullish();
/** A map of strings (labels, annotations). */
const strMap = z.record(z.string()).nullish();
/** Somewhere free-form (an object whose content is not checked). */
const anyObj = z.object({}).passthrough().nullish();

/** `{kind?, name, namespace?}` references of Flux specs. */
const ref = obj({ kind: str, name: str, namespace: str, apiVersion: str });
const refList = list(z.object({ kind: str, name: str, namespace: str, apiVersion: str }).passthrough());
const secretRef = obj({ name: str });

const condition = z
  .object({
    type: str,
    status: str,
    reason: str,
    message: str,
    lastTransitionTime: str,
    observedGeneration: num,
  })
  .passthrough();

const metadata = z
  .object({
    name: z.string(),
    namespace: str,
    uid: str,
    generation: num,
    resourceVersion: str,
    creationTimestamp: str,
    deletionTimestamp: str,
    labels: strMap,
    annotations: strMap,
    ownerReferences: list(
      z.object({ apiVersion: str, kind: z.string(), name: z.string(), uid: str, controller: bool }).passthrough(),
    ),
  })
  .passthrough();

const commonStatus = {
  conditions: list(condition),
  observedGeneration: num,
};

const common = { metadata };

// ---------- kind families ----------

const fluxSpecShape = {
  suspend: bool,
  interval: str,
  timeout: str,
  retryInterval: str,
  url: str,
  path: str,
  serviceAccountName: str,
  targetNamespace: str,
  sourceRef: ref,
  chartRef: ref,
  imageRepositoryRef: ref,
  providerRef: ref,
  secretRef,
  certSecretRef: secretRef,
  proxySecretRef: secretRef,
  kubeConfig: obj({ secretRef }),
  decryption: obj({ provider: str, secretRef }),
  verify: obj({ provider: str, secretRef, trustedRootSecretRef: secretRef }),
  sts: obj({ secretRef, certSecretRef: secretRef }),
  ref: anyObj,
  dependsOn: refList,
  healthChecks: refList,
  valuesFrom: list(z.object({ kind: str, name: str, valuesKey: str, targetPath: str, optional: bool }).passthrough()),
  postBuild: obj({
    substitute: anyObj,
    substituteFrom: list(z.object({ kind: str, name: str, optional: bool }).passthrough()),
  }),
  include: list(z.object({ repository: ref, fromPath: str, toPath: str }).passthrough()),
  eventSources: refList,
  resources: list(z.object({}).passthrough()),
  inputsFrom: refList,
  git: obj({ commit: obj({ signingKey: obj({ secretRef }) }), checkout: anyObj, push: anyObj }),
};
/** `spec.chart` is a template in a HelmRelease, the chart's name in a HelmChart. */
const fluxSpec = obj(fluxSpecShape);
const helmReleaseSpec = obj({
  ...fluxSpecShape,
  chart: obj({
    spec: obj({ chart: str, version: str, sourceRef: ref, reconcileStrategy: str, valuesFiles: list(z.string()) }),
  }),
});
const helmChartSpec = obj({ ...fluxSpecShape, chart: str, version: str, valuesFiles: list(z.string()) });

const fluxStatus = obj({
  ...commonStatus,
  artifact: obj({ revision: str, url: str, digest: str, path: str, lastUpdateTime: str }),
  inventory: obj({ entries: list(z.object({ id: str, v: str }).passthrough()) }),
  history: list(
    z.object({ status: str, chartName: str, chartVersion: str, version: num, testHooks: anyObj }).passthrough(),
  ),
  lastAppliedRevision: str,
  lastAttemptedRevision: str,
  lastHandledReconcileAt: str,
  helmChart: str,
  storageNamespace: str,
  failures: num,
  installFailures: num,
  upgradeFailures: num,
  lastScanResult: obj({ tagCount: num, scanTime: str, latestTags: list(z.string()) }),
  webhookPath: str,
  latestRef: anyObj,
  lastPushCommit: str,
});

const containerState = obj({
  waiting: obj({ reason: str, message: str }),
  terminated: obj({ reason: str, message: str, exitCode: num, finishedAt: str, startedAt: str }),
  running: obj({ startedAt: str }),
});
const containerStatus = z
  .object({
    name: str,
    image: str,
    ready: bool,
    started: bool,
    restartCount: num,
    state: containerState,
    lastState: containerState,
  })
  .passthrough();
const container = z.object({ name: str, image: str }).passthrough();

const workloadStatus = obj({
  ...commonStatus,
  replicas: num,
  readyReplicas: num,
  availableReplicas: num,
  updatedReplicas: num,
  unavailableReplicas: num,
  desiredNumberScheduled: num,
  numberReady: num,
  numberAvailable: num,
  numberUnavailable: num,
  updatedNumberScheduled: num,
});
const workloadSpec = obj({
  replicas: num,
  paused: bool,
  template: obj({ spec: obj({ containers: list(container), initContainers: list(container) }) }),
});

const SCHEMAS = {
  flux: z.object({ ...common, spec: fluxSpec, status: fluxStatus }).passthrough(),
  helmRelease: z.object({ ...common, spec: helmReleaseSpec, status: fluxStatus }).passthrough(),
  helmChart: z.object({ ...common, spec: helmChartSpec, status: fluxStatus }).passthrough(),
  workload: z.object({ ...common, spec: workloadSpec, status: workloadStatus }).passthrough(),
  pod: z
    .object({
      ...common,
      spec: obj({ containers: list(container), initContainers: list(container), nodeName: str }),
      status: obj({
        ...commonStatus,
        phase: str,
        reason: str,
        message: str,
        containerStatuses: list(containerStatus),
        initContainerStatuses: list(containerStatus),
      }),
    })
    .passthrough(),
  crd: z
    .object({
      ...common,
      spec: obj({
        group: str,
        names: obj({ kind: str, plural: str }),
        versions: list(z.object({ name: str, served: bool, storage: bool }).passthrough()),
      }),
      status: obj({ ...commonStatus, storedVersions: list(z.string()) }),
    })
    .passthrough(),
  other: z.object({ ...common, status: obj(commonStatus) }).passthrough(),
};

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The schema an object of this kind is checked against. */
export function schemaFor(kind: string): ZodTypeAny {
  if (kind === 'Pod') return SCHEMAS.pod;
  if (WORKLOADS.has(kind)) return SCHEMAS.workload;
  if (kind === 'CustomResourceDefinition') return SCHEMAS.crd;
  if (kind === 'HelmRelease') return SCHEMAS.helmRelease;
  if (kind === 'HelmChart') return SCHEMAS.helmChart;
  if (kindInfo(kind)?.flux) return SCHEMAS.flux;
  return SCHEMAS.other;
}

const EVENT = z
  .object({
    metadata: obj({ name: str, namespace: str, creationTimestamp: str }),
    involvedObject: obj({ kind: str, name: str, namespace: str }),
    regarding: obj({ kind: str, name: str, namespace: str }),
    type: str,
    reason: str,
    message: str,
    note: str,
    count: num,
    deprecatedCount: num,
    series: obj({ count: num, lastObservedTime: str }),
    firstTimestamp: str,
    lastTimestamp: str,
    eventTime: str,
    deprecatedFirstTimestamp: str,
    deprecatedLastTimestamp: str,
    reportingController: str,
    reportingComponent: str,
    source: obj({ component: str }),
    deprecatedSource: obj({ component: str }),
  })
  .passthrough();

const LOG = z
  .object({
    level: str,
    ts: z.union([z.string(), z.number()]).nullish(),
    msg: z.string(),
    error: str,
    controller: str,
    controllerKind: str,
    name: str,
    namespace: str,
    reconcileID: str,
    alert: obj({ name: str, namespace: str }),
  })
  .passthrough();

const INFO = z
  .object({
    capturedAt: str,
    context: str,
    server: str,
    serverVersion: str,
    namespace: str,
    fluxNamespace: str,
    kindsRead: list(z.string()),
    readErrors: list(z.object({ source: z.string(), message: z.string() }).passthrough()),
  })
  .passthrough();

// ---------- checking and repairing ----------

/** At most this many problems are written per object; the rest are counted. */
const MAX_PROBLEMS = 3;

type Path = (string | number)[];

const article = (t: string): string => {
  switch (t) {
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'null':
      return 'null';
    case 'undefined':
      return 'missing';
    case 'nan':
      return 'NaN';
    case 'integer':
      return 'an integer';
    default:
      return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
  }
};

export function pathText(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function at(root: unknown, path: Path): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/**
 * Repair `doc` in place so it fits `schema`: a wrongly typed value is dropped (a list entry is
 * removed from its list), or read as text when a string was expected and a number or boolean found.
 * Returns one message per repair (what was found, what was expected, what was done), bounded.
 */
export function repair(doc: Record<string, unknown>, schema: ZodTypeAny, label: string): string[] {
  if (fits(schema)(doc)) return [];
  const res = schema.safeParse(doc);
  if (res.success) return [];
  const messages: string[] = [];
  let more = 0;
  const say = (m: string) => {
    if (messages.length < MAX_PROBLEMS) messages.push(`${label}: ${m}`);
    else more++;
  };
  // List entries to remove, per list, highest index first so the other indices stay valid.
  const removals = new Map<unknown[], Set<number>>();
  for (const issue of flatten(res.error.issues)) {
    const path = issue.path;
    if (path.length === 0) continue;
    const parentPath = path.slice(0, -1);
    const parent = at(doc, parentPath);
    const key = path[path.length - 1]!;
    if (parent === null || typeof parent !== 'object') continue; // already dropped with an ancestor
    const value = (parent as Record<string | number, unknown>)[key];
    const expected = issue.code === 'invalid_type' ? article(String(issue.expected)) : 'another value';
    const found = issue.code === 'invalid_type' ? article(String(issue.received)) : 'not valid';
    const where = pathText(path);
    if (issue.code === 'invalid_type' && issue.received === 'undefined') {
      // A required field is missing: drop the list entry that lacks it.
      const entryPath = nearestListEntry(doc, parentPath);
      if (entryPath) {
        removeLater(removals, doc, entryPath);
        say(`${where} is missing; ${pathText(entryPath)} ignored`);
      } else say(`${where} is missing`);
      continue;
    }
    if (
      issue.code === 'invalid_type' &&
      issue.expected === 'string' &&
      (typeof value === 'number' || typeof value === 'boolean')
    ) {
      (parent as Record<string | number, unknown>)[key] = String(value);
      say(`${where} is ${found}, expected ${expected}; read as text`);
      continue;
    }
    if (Array.isArray(parent) && typeof key === 'number') {
      removeLater(removals, doc, path);
      say(`${where} is ${found}, expected ${expected}; entry ignored`);
    } else {
      delete (parent as Record<string | number, unknown>)[key];
      say(`${where} is ${found}, expected ${expected}; ignored`);
    }
  }
  for (const [arr, idx] of removals) {
    for (const i of [...idx].sort((a, b) => b - a)) arr.splice(i, 1);
  }
  if (more > 0) messages.push(`${label}: ${more} more field${more === 1 ? '' : 's'} of the wrong type ignored`);
  return messages;
}

// zod builds a copy of every object it parses; most objects fit, so a predicate compiled from the
// same schema (no allocation) decides first, and zod only runs on the objects that need repair.
type Check = (v: unknown) => boolean;
const compiled = new WeakMap<ZodTypeAny, Check>();

function fits(schema: ZodTypeAny): Check {
  let c = compiled.get(schema);
  if (!c) {
    c = compile(schema);
    compiled.set(schema, c);
  }
  return c;
}

function compile(schema: ZodTypeAny): Check {
  if (schema instanceof z.ZodOptional) {
    const inner = compile(schema.unwrap());
    return (v) => v === undefined || inner(v);
  }
  if (schema instanceof z.ZodNullable) {
    const inner = compile(schema.unwrap());
    return (v) => v === null || inner(v);
  }
  if (schema instanceof z.ZodString) return (v) => typeof v === 'string';
  if (schema instanceof z.ZodNumber) return (v) => typeof v === 'number' && !Number.isNaN(v);
  if (schema instanceof z.ZodBoolean) return (v) => typeof v === 'boolean';
  if (schema instanceof z.ZodArray) {
    const item = compile(schema.element);
    return (v) => {
      if (!Array.isArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
      return true;
    };
  }
  if (schema instanceof z.ZodRecord) {
    const value = compile(schema.valueSchema);
    return (v) => {
      if (!isObj(v)) return false;
      for (const k in v) if (!value(v[k])) return false;
      return true;
    };
  }
  if (schema instanceof z.ZodUnion) {
    const options = (schema.options as ZodTypeAny[]).map(compile);
    return (v) => options.some((o) => o(v));
  }
  if (schema instanceof z.ZodObject) {
    const entries = Object.entries(schema.shape as Record<string, ZodTypeAny>);
    const keys = entries.map(([k]) => k);
    const checks = entries.map(([, f]) => compile(f));
    const required = entries.map(([, f]) => !f.isOptional());
    const n = keys.length;
    return (v) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
      const o = v as Record<string, unknown>;
      for (let i = 0; i < n; i++) {
        const x = o[keys[i]!];
        // Most checked fields are absent: skip them without a call.
        if (x === undefined ? required[i] : !checks[i]!(x)) return false;
      }
      return true;
    };
  }
  // Anything else: let zod decide.
  return (v) => schema.safeParse(v).success;
}

function flatten(issues: ZodIssue[]): ZodIssue[] {
  const out: ZodIssue[] = [];
  for (const i of issues) {
    if (i.code === 'invalid_union') {
      // ts (string or number) is the only union: report it as one type error.
      out.push({ ...i, code: 'invalid_type', expected: 'string', received: 'object' } as ZodIssue);
    } else out.push(i);
  }
  return out;
}

function nearestListEntry(doc: unknown, path: Path): Path | undefined {
  for (let n = path.length; n > 0; n--) {
    if (typeof path[n - 1] === 'number' && Array.isArray(at(doc, path.slice(0, n - 1)))) return path.slice(0, n);
  }
  return undefined;
}

function removeLater(removals: Map<unknown[], Set<number>>, doc: unknown, entryPath: Path): void {
  const arr = at(doc, entryPath.slice(0, -1));
  if (!Array.isArray(arr)) return;
  const s = removals.get(arr) ?? new Set<number>();
  s.add(entryPath[entryPath.length - 1] as number);
  removals.set(arr, s);
}

// biome-ignore lint/suspicious/noExplicitAny: decoded documents are untyped
const isObj = (v: any): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

const objectLabel = (kind: string, md: unknown): string => {
  const m = isObj(md) ? md : {};
  const name = typeof m.name === 'string' ? m.name : '?';
  return typeof m.namespace === 'string' && m.namespace ? `${kind} ${m.namespace}/${name}` : `${kind} ${name}`;
};

/**
 * Check (and repair, in place) the fields of a decoded Kubernetes object or Event that fluxdoctor
 * reads. `problem` receives one message per repair; the object is returned for chaining. Documents
 * without an object `metadata` with a string name are left to the caller (it refuses them).
 */
export function checkShape<T>(doc: T, problem: (message: string) => void): T {
  if (!isObj(doc) || typeof doc.kind !== 'string') return doc;
  const kind = doc.kind;
  if (kind === 'Event') {
    for (const m of repair(doc, EVENT, `Event ${objectLabel(kind, doc.metadata).slice(6)}`)) problem(m);
    return doc;
  }
  if (!isObj(doc.metadata) || typeof doc.metadata.name !== 'string') return doc;
  for (const m of repair(doc, schemaFor(kind), objectLabel(kind, doc.metadata))) problem(m);
  return doc;
}

/** Check (and repair) one controller log line; `msg` must already be a string. */
// biome-ignore lint/suspicious/noExplicitAny: decoded log lines are untyped
export function checkLogShape<T extends Record<string, any>>(line: T, problem: (message: string) => void): T {
  const label = `log line${typeof line.controller === 'string' ? ` of ${line.controller}` : ''}`;
  for (const m of repair(line, LOG, label)) problem(m);
  if (typeof line.ts === 'number' && !Number.isFinite(new Date(line.ts * 1000).getTime())) {
    delete line.ts;
    problem(`${label}: ts is not a valid time; ignored`);
  }
  return line;
}

/** Check (and repair) the capture info of a fluxdoctor snapshot file. */
// biome-ignore lint/suspicious/noExplicitAny: decoded documents are untyped
export function checkInfoShape(info: any, problem: (message: string) => void): Record<string, any> {
  if (!isObj(info)) {
    if (info !== undefined && info !== null)
      problem(`snapshot info is ${article(typeOf(info))}, expected an object; ignored`);
    return {};
  }
  const copy = { ...info };
  for (const m of repair(copy, INFO, 'snapshot info')) problem(m);
  if (typeof copy.capturedAt === 'string' && Number.isNaN(Date.parse(copy.capturedAt))) {
    delete copy.capturedAt;
    problem('snapshot info: capturedAt is not a valid time; ignored');
  }
  return copy;
}

const typeOf = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** A zap epoch timestamp (seconds) as ISO text; undefined when it is not a time a Date can hold. */
export function epochToIso(seconds: number): string | undefined {
  const d = new Date(seconds * 1000);
  return Number.isFinite(d.getTime()) ? d.toISOString() : undefined;
}
