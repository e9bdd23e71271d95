// Shared helpers for the kustomize.* rules: reading the current failure of a Kustomization (or
// HelmRelease), and parsing the object ids kustomize-controller and fluxcd/pkg/ssa write.

import type { Graph } from '../graph/graph.js';
import { nsArg } from '../render/shell.js';
import type { K8sObject, ObjRef } from '../types.js';
import { type MatchSpec, matchSignals, type Signal, show } from './util.js';

/** Condition types whose failing status carries the controller's current error. */
export const CONDITION_SOURCES = ['Ready', 'Stalled', 'Healthy', 'Released', 'Remediated', 'TestSuccess'];

export interface Detection {
  /** Matching failing conditions (the current state). */
  current: Signal[];
  /** The same, followed by matching Warning events and controller log lines (for evidence). */
  all: Signal[];
}

/**
 * Match a spec against the object's current failure only: the object must be Failed and a failing
 * condition must match (old Warning events alone never trigger). Matching events and log lines are
 * added as evidence.
 */
export function detect(obj: K8sObject, graph: Graph, spec: MatchSpec): Detection | undefined {
  if (graph.health(obj).state !== 'Failed') return undefined;
  const current = matchSignals(obj, graph, { ...spec, from: CONDITION_SOURCES });
  if (current.length === 0) return undefined;
  const all = [...current, ...matchSignals(obj, graph, { ...spec, from: ['event', 'log'] })];
  return { current, all };
}

/** The first line of a (possibly multi-line) controller message, trimmed. */
export function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}

/** Cut a message to a readable length for a summary. */
export function clip(text: string, max = 300): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** The innermost cause of a wrapped Go error message (`a: b: dial tcp …: connection refused`). */
export function innermost(text: string): string {
  const line = firstLine(text);
  const m = /(dial tcp .+|lookup \S+ .+|x509: .+|tls: .+)$/.exec(line);
  if (m) return m[1]!;
  return line.split(': ').slice(-2).join(': ');
}

/**
 * `Kind/namespace/name` or `Kind/name` as fluxcd/pkg/ssa formats objects (utils.FmtObjMetadata).
 * Cluster-scoped objects have no namespace segment.
 */
export function parseObjId(kind: string, a: string, b?: string): ObjRef {
  return b ? { kind, namespace: a, name: b } : { kind, name: a };
}

// fluxcd/pkg ssa: "<Kind>/<ns>/<name> dry-run failed (<Reason>): <err>" (ssa/errors/errors.go DryRunErr),
// "<obj> not found: <err>", "<obj> namespace not specified: <err>", "<obj> apply failed: <err>",
// "<obj> immutable field detected, failed to delete object: <err>" (ssa/manager_apply.go),
// "<obj> delete failed: <err>" (ssa/manager_delete.go). Older releases wrote
// "<obj> dry-run failed, reason: <Reason>, error: <err>".
const SSA_OBJECT =
  /([A-Z][A-Za-z0-9]*)\/([^\s/]+)(?:\/([^\s/]+))? (?:dry-run failed|apply failed|immutable field detected|not found:|namespace not specified:|delete failed|failed to migrate API version)/;

/** The object a server-side apply error is about, when the message names one. */
export function ssaObject(text: string): ObjRef | undefined {
  const m = SSA_OBJECT.exec(text);
  return m ? parseObjId(m[1]!, m[2]!, m[3]) : undefined;
}

/** The first object named by ssa errors in any of the signals. */
export function ssaObjectOf(signals: Signal[]): ObjRef | undefined {
  for (const s of signals) {
    const r = ssaObject(s.text);
    if (r) return r;
  }
  return undefined;
}

/** The Kustomization's spec.sourceRef, with kind and namespace defaulted the way the controller does. */
export function sourceRefOf(ks: K8sObject): ObjRef | undefined {
  const r = ks.spec?.sourceRef;
  if (!r || typeof r.name !== 'string' || !r.name) return undefined;
  return {
    kind: typeof r.kind === 'string' && r.kind ? r.kind : 'GitRepository',
    namespace: r.namespace || ks.metadata.namespace,
    name: r.name,
  };
}

/** "GitRepository flux-system/apps (path ./clusters/prod)" — how a Kustomization's input is named in summaries. */
export function ksInput(ks: K8sObject): string {
  const src = sourceRefOf(ks);
  const path = typeof ks.spec?.path === 'string' && ks.spec.path ? ks.spec.path : './';
  return src ? `path ${path} of ${show(src)}` : `path ${path}`;
}

/** Whether an object absent from the graph is known not to exist (its kind was read). */
export function knownMissing(graph: Graph, ref: ObjRef): boolean {
  return !graph.has(ref) && graph.kindRead(ref.kind, ref.namespace);
}

/** `kubectl`-style resource word for a kind (lower-case), for commands about arbitrary objects. */
export function kubectlWord(kind: string): string {
  return kind.toLowerCase();
}

/** ` -n <ns>` or nothing. */
export function nsFlag(ref: ObjRef): string {
  return nsArg(ref.namespace);
}

// ---------- message families shared between rules (so that look-alikes can be excluded) ----------

// SOPS decryption (kustomize-controller internal/decryptor/decryptor.go and kustomization_controller.go build/apply):
//   "decryption failed for '<gvk>/<name>': failed to decrypt and format '<ns>/<name>' Secret data: cannot get sops data key: ..."
//   "error decrypting sources: ...", "cannot get sops decryption Secret '<ns>/<name>': ...",
//   "failed to import '<key>' data from sops decryption Secret '<ns>/<name>': ...",
//   "<Kind>/<ns>/<name> is SOPS encrypted, configuring decryption is required for this secret to be reconciled"
export const DECRYPTION_PATTERNS = [
  /decryption failed for '/,
  /error decrypting sources/,
  /cannot get \S+ (?:SOPS age )?decryption Secret '/,
  /failed to import '[^']+' data from \S+ (?:SOPS age )?decryption Secret '/,
  /is SOPS encrypted, configuring decryption is required/,
  /failed to decrypt and format '/,
  /cannot get sops data key|error decrypting sops tree|failed to verify sops data integrity|failed to load encrypted \S+ data/,
];

// Post-build variable substitution (kustomization_controller.go build, fluxcd/pkg kustomize/kustomize_varsub.go):
//   "post build failed for '<gvk>/<name>': ..." (since v1.5), "var substitution failed for '<name>': ..." (before),
//   "substitute from 'ConfigMap/<name>' error: ...", "envsubst error: variable substitution failed: ...",
//   "'<var>' var name is invalid, must match '<re>'", "unable to get subsituteFrom: ..."
export const SUBSTITUTION_PATTERNS = [
  /post build failed for '/,
  /var substitution failed for '/,
  /substitute from '(?:ConfigMap|Secret)\/[^']+' error/,
  /envsubst error|variable substitution failed/,
  /var name is invalid, must match/,
  /unable to get subsituteFrom/,
];

// RBAC denials (Kubernetes authorizer text, wrapped by kustomize-controller/ssa or Helm):
//   `<res> "<name>" is forbidden: User "system:serviceaccount:<ns>:<sa>" cannot <verb> resource "<res>" in API group "<g>" in the namespace "<ns>"`
//   `... cannot <verb> resource "<res>" in API group "<g>" at the cluster scope`
//   RBAC escalation: `... is forbidden: user "<u>" (groups=[...]) is attempting to grant RBAC permissions not currently held`
export const RBAC_DENIED =
  /is forbidden: [Uu]ser "([^"]+)" (?:\(groups=[^)]*\) )?(?:cannot (\S+) (?:resource )?"?([^"\s]+)"?(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)"| at the cluster scope)?|is attempting to grant RBAC permissions not currently held)/;

// Immutable fields (Kubernetes validation and CEL text; fluxcd/pkg ssa/errors/immutable.go matches `is immutable` / `immutable field`).
export const IMMUTABLE_PATTERNS = [
  /field is immutable/,
  /immutable field/,
  /\bis immutable\b/,
  /may not change once set/,
  /updates to statefulset spec for fields other than/,
];
