// Test helpers: build snapshots from YAML or objects, run one rule (ESLint RuleTester style) or
// the whole engine.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { diagnose, evaluate, type Report, type RuleFinding } from '../src/diagnose/engine.js';
import { Graph } from '../src/graph/graph.js';
import { type Snapshot, SnapshotBuilder } from '../src/read/snapshot.js';
import { docsOf } from '../src/rules/docs.js';
import type { Rule } from '../src/rules/types.js';
import type { Condition, K8sObject, ObjRef } from '../src/types.js';
import { refKey } from '../src/types.js';
import { stepProblems } from './rules/steps.js';

// biome-ignore lint/suspicious/noExplicitAny: test input is loose on purpose
export type Doc = string | Record<string, any>;

/** Build a snapshot from YAML strings (one or many documents) and/or objects. */
export function snapshotOf(docs: Doc[] | Doc, logs: Doc[] = []): Snapshot {
  const b = new SnapshotBuilder();
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (typeof d === 'string') b.addText(d, 'test.yaml');
    else b.addText(stringify(d), 'test.yaml');
  }
  for (const l of logs) b.addLogText(typeof l === 'string' ? l : JSON.stringify(l), 'test.log');
  return b.build();
}

export function graphOf(docs: Doc[] | Doc, logs: Doc[] = [], opts: { now?: Date } = {}): Graph {
  return new Graph(snapshotOf(docs, logs), opts);
}

export function diagnoseDocs(docs: Doc[] | Doc, logs: Doc[] = []): Report {
  return diagnose(graphOf(docs, logs));
}

// ---------- object builders ----------

const GROUP_VERSION: Record<string, string> = {
  GitRepository: 'source.toolkit.fluxcd.io/v1',
  OCIRepository: 'source.toolkit.fluxcd.io/v1',
  HelmRepository: 'source.toolkit.fluxcd.io/v1',
  Bucket: 'source.toolkit.fluxcd.io/v1',
  HelmChart: 'source.toolkit.fluxcd.io/v1',
  ExternalArtifact: 'source.toolkit.fluxcd.io/v1',
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  HelmRelease: 'helm.toolkit.fluxcd.io/v2',
  ImageRepository: 'image.toolkit.fluxcd.io/v1',
  ImagePolicy: 'image.toolkit.fluxcd.io/v1',
  ImageUpdateAutomation: 'image.toolkit.fluxcd.io/v1',
  Receiver: 'notification.toolkit.fluxcd.io/v1',
  Provider: 'notification.toolkit.fluxcd.io/v1beta3',
  Alert: 'notification.toolkit.fluxcd.io/v1beta3',
  FluxInstance: 'fluxcd.controlplane.io/v1',
  ResourceSet: 'fluxcd.controlplane.io/v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  Pod: 'v1',
  Secret: 'v1',
  ConfigMap: 'v1',
  ServiceAccount: 'v1',
  Namespace: 'v1',
  Service: 'v1',
  PersistentVolumeClaim: 'v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
};

export interface ObjOpts {
  // biome-ignore lint/suspicious/noExplicitAny: loose
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: loose
  status?: any;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generation?: number;
  uid?: string;
  // biome-ignore lint/suspicious/noExplicitAny: loose
  extra?: Record<string, any>;
}

/** `obj('GitRepository', 'flux-system/apps', {...})` — name may be `ns/name`; namespace defaults to flux-system. */
export function obj(kind: string, nsName: string, o: ObjOpts = {}): K8sObject {
  const [namespace, name] = nsName.includes('/') ? nsName.split('/') : ['flux-system', nsName];
  const cluster = kind === 'Namespace' || kind === 'CustomResourceDefinition';
  return {
    apiVersion: GROUP_VERSION[kind] ?? 'v1',
    kind,
    metadata: {
      name: name!,
      ...(cluster ? {} : { namespace }),
      generation: o.generation ?? 1,
      creationTimestamp: '2026-11-20T10:00:00Z',
      ...(o.uid ? { uid: o.uid } : {}),
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    ...(o.spec !== undefined ? { spec: o.spec } : {}),
    ...(o.status !== undefined ? { status: o.status } : {}),
    ...(o.extra ?? {}),
  };
}

export function cond(
  type: string,
  status: string,
  reason: string,
  message = '',
  at = '2026-11-24T10:00:00Z',
): Condition {
  return { type, status, reason, message, lastTransitionTime: at, observedGeneration: 1 };
}

/** A status with observedGeneration 1 and a Ready condition (plus any other conditions). */
// biome-ignore lint/suspicious/noExplicitAny: loose
export function status(ready: [string, string, string?], more: Condition[] = [], extra: Record<string, any> = {}) {
  return {
    observedGeneration: 1,
    conditions: [cond('Ready', ready[0], ready[1], ready[2] ?? ''), ...more],
    ...extra,
  };
}

export const READY = (msg = 'Applied revision: main@sha1:0123456789abcdef') => status(['True', 'Succeeded', msg]);

export function secret(nsName: string, keys: string[] = ['username', 'password'], type = 'Opaque'): K8sObject {
  const o = obj('Secret', nsName, { extra: { type, data: Object.fromEntries(keys.map((k) => [k, 'c2VjcmV0'])) } });
  return o;
}

/** A Kubernetes Event about an object. */
export function event(about: ObjRef, reason: string, message: string, type = 'Warning', at = '2026-11-24T10:00:00Z') {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${about.name}.${reason}`.toLowerCase(), namespace: about.namespace ?? 'default' },
    involvedObject: { kind: about.kind, namespace: about.namespace, name: about.name },
    reason,
    message,
    type,
    count: 1,
    lastTimestamp: at,
    firstTimestamp: at,
  };
}

/** A Flux controller JSON log line about an object. */
export function logLine(about: ObjRef, msg: string, error?: string, level = 'error') {
  return {
    level,
    ts: '2026-11-24T10:00:00.000Z',
    msg,
    controller: about.kind.toLowerCase(),
    controllerGroup: 'source.toolkit.fluxcd.io',
    controllerKind: about.kind,
    [about.kind]: { name: about.name, namespace: about.namespace },
    namespace: about.namespace,
    name: about.name,
    reconcileID: '00000000-0000-0000-0000-000000000000',
    ...(error ? { error } : {}),
  };
}

// ---------- RuleTester ----------

export interface RuleCase {
  name: string;
  objects: Doc[];
  logs?: Doc[];
  /** Where the controller message in this case comes from (file and line, or issue URL). */
  source?: string;
}

export interface ExpectedFinding {
  /** `Kind/namespace/name` of the object the finding is about (the checked object by default). */
  object?: string;
  code?: string;
  severity?: string;
  /** The cause the rule returned (meta.messages key). */
  cause?: string;
  /** Values the finding must carry in `data` (a subset). */
  data?: Record<string, string | number>;
  /** A regex the summary must match, or the exact rendered summary. */
  summary?: RegExp | string;
  fixTarget?: ObjRef;
  /** Each regex must match at least one remediation step. */
  remediation?: RegExp[];
  /** Each regex must match at least one evidence text. */
  evidence?: RegExp[];
  reportAt?: string;
}

export interface InvalidCase extends RuleCase {
  expect: ExpectedFinding[];
}

const idOf = (r: ObjRef) => (r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`);

/** Run one rule over every object of a case through the engine's own dispatch (overrides, fallbacks, templates). */
export function runRule(rule: Rule, c: RuleCase): RuleFinding[] {
  const graph = graphOf(c.objects, c.logs ?? []);
  const { findings, problems } = evaluate(graph, [rule]);
  assert.deepEqual(problems, [], `the rule failed: ${JSON.stringify(problems)}`);
  return findings;
}

const pick = (o: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

/**
 * Every finding the rule gave must survive the engine's root-cause walk: reported (same code, at its
 * reportAt or object) or listed as affected by a finding that is.
 */
function assertReported(rule: Rule, c: RuleCase, got: RuleFinding[]): void {
  const report = diagnose(graphOf(c.objects, c.logs ?? []), { rules: [rule] });
  for (const f of got) {
    const at = f.reportAt ?? f.object;
    const reported = report.findings.some(
      (d) =>
        (d.code === f.code && refKey(d.rootCause) === refKey(at)) ||
        d.affected.some((a) => refKey(a) === refKey(f.object)),
    );
    assert.ok(reported, `the engine dropped ${f.code} on ${idOf(f.object)}: ${findingKeys(report).join(', ')}`);
  }
}

/**
 * ESLint-style rule tests: every `valid` case must give no finding of the rule's code; every
 * `invalid` case must give exactly the expected findings.
 */
export function ruleTester(rule: Rule, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(`rule ${rule.meta.code}`, () => {
    it('has complete docs', () => {
      const d = docsOf(rule);
      for (const [k, v] of Object.entries({ description: d.description, detection: d.detection, fix: d.fix })) {
        assert.ok(v && v !== 'TODO' && v.length > 40, `docs.${k} must be written`);
      }
      assert.ok(d.commands.length > 0, 'docs.commands must list commands that confirm the problem');
    });
    assert.ok(cases.valid.length > 0 && cases.invalid.length > 0, 'a rule needs valid and invalid cases');
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const got = runRule(rule, c).filter((f) => f.code === rule.meta.code);
        assert.deepEqual(
          got.map((f) => `${f.code} ${idOf(f.object)}: ${f.summary}`),
          [],
          'expected no finding',
        );
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const got = runRule(rule, c);
        assertReported(rule, c, got);
        assert.equal(
          got.length,
          c.expect.length,
          `expected ${c.expect.length} finding(s), got ${got.length}: ${got.map((f) => `${f.code} ${idOf(f.object)}`).join(', ')}`,
        );
        c.expect.forEach((e, i) => {
          const f = got[i]!;
          assert.equal(f.code, e.code ?? rule.meta.code);
          if (e.object) assert.equal(idOf(f.object), e.object);
          if (e.severity) assert.equal(f.severity ?? rule.meta.severity, e.severity);
          if (e.cause) assert.equal(f.cause, e.cause, 'cause');
          if (e.data) assert.deepEqual(pick(f.data ?? {}, Object.keys(e.data)), e.data, 'data');
          if (typeof e.summary === 'string') assert.equal(f.summary, e.summary);
          else if (e.summary) assert.match(f.summary, e.summary);
          if (e.fixTarget) assert.deepEqual(f.fixTarget, e.fixTarget);
          if (e.reportAt) assert.equal(f.reportAt ? idOf(f.reportAt) : undefined, e.reportAt);
          for (const re of e.remediation ?? [])
            assert.ok(
              f.remediation.some((s) => re.test(s)),
              `no remediation step matches ${re}: ${JSON.stringify(f.remediation)}`,
            );
          for (const re of e.evidence ?? [])
            assert.ok(
              f.evidence.some((s) => re.test(s.text)),
              `no evidence matches ${re}: ${JSON.stringify(f.evidence)}`,
            );
          assert.ok(f.evidence.length > 0, 'a finding needs evidence');
          assert.ok(f.remediation.length > 0, 'a finding needs remediation');
          // One prose sentence or one command per step; no kubectl edit/patch/set of what Flux applies.
          assert.deepEqual(stepProblems(f.remediation, graphOf(c.objects, c.logs ?? [])), [], 'fix step shape');
        });
      });
    }
  });
}

export function findingKeys(r: Report): string[] {
  return r.findings.map((f) => `${f.severity} ${f.code} ${idOf(f.rootCause)}`);
}

export { idOf, refKey };
