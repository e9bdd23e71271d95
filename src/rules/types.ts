// The shape of a rule: ESLint-style `meta` with its docs page, and a pure `check`.

import type { Graph } from '../graph/graph.js';
import type { Evidence, K8sObject, ObjRef, Severity } from '../types.js';

/**
 * Which edges may explain a finding. When the object at the other end of such an edge is not
 * ready, the engine follows it and reports the deeper cause instead (see diagnose/engine.ts).
 * - source: sourceRef / chart source / GitRepository include
 * - chart: HelmRelease → HelmChart (or chartRef target)
 * - dependsOn: spec.dependsOn entries
 * - applied: objects a Kustomization/HelmRelease applied (inventory, owner labels) or health-checks: workloads, nested Flux objects
 * - controller: the Flux controller Deployment that reconciles the kind
 * - imageRepository, provider: ImagePolicy → ImageRepository, Alert → Provider
 */
export type Explainer = 'source' | 'chart' | 'dependsOn' | 'applied' | 'controller' | 'imageRepository' | 'provider';

export interface RuleDocs {
  /** What the code means, in one paragraph. */
  description: string;
  /** How fluxdoctor detects it: conditions, reasons, messages, object state. */
  detection: string;
  /** How to fix it, as Markdown (lists welcome). */
  fix: string;
  /** Commands that confirm the problem or the fix. Use <name>/<namespace> placeholders. */
  commands: string[];
  /** Optional: real controller messages this code covers, with their source. */
  examples?: { message: string; source: string }[];
}

export interface RuleMeta {
  code: string;
  /** Default severity of findings (a finding may set its own). */
  severity: Severity;
  title: string;
  /** Kinds `check` is called for. */
  kinds: string[];
  /** Edges the engine may follow to find a deeper cause (symptom codes). Empty/absent: a root-cause code. */
  explainedBy?: Explainer[];
  /** Codes this one supersedes on the same object (e.g. source.secret-missing over source.auth). */
  overrides?: string[];
  /**
   * `problem` (the default): something is broken. `advice`: a practice worth changing on an object that
   * may be healthy; advice never explains another finding, is never escalated, and never hides a problem.
   */
  type?: 'problem' | 'advice';
  /** A catch-all: its findings stand only when no other problem rule found anything on the object. */
  fallback?: boolean;
  /**
   * Summary and remediation templates per cause (ESLint's `messages`): `check` returns `{cause, data}`
   * and the engine renders the text. `{name}` inserts `data.name` as text, `{sh:name}` shell-quoted
   * (for commands), `{?name}` as text or nothing when absent. A remediation line whose values are absent from `data` is left out.
   */
  messages?: Record<string, MessageTemplate>;
  /** The page inline; normally absent: the page is docs/codes/<code>.md (src/rules/docs.ts docsOf). */
  docs?: RuleDocs;
}

export interface MessageTemplate {
  summary: string;
  remediation?: string[];
}

/** Values a finding's templates are filled with. */
export type FindingData = Record<string, string | number | undefined>;

/** What `check` returns: a finding about the object it was given (or about `object`). */
export interface RawFinding {
  /** Defaults to the rule's code. */
  code?: string;
  severity?: Severity;
  /** The object whose status shows the failure. Defaults to the checked object. */
  object?: ObjRef;
  /** The cause within the code: picks `meta.messages[cause]` when `summary`/`remediation` are not given. */
  cause?: string;
  /** Values for the cause's templates (also kept for machine use). */
  data?: FindingData;
  /** Given text wins over the cause's template. */
  summary?: string;
  evidence: Evidence[];
  remediation?: string[];
  fixTarget?: ObjRef;
  /** Overrides meta.explainedBy for this finding. */
  explainedBy?: Explainer[];
  /**
   * Report at this object instead (a HelmChart generated from a HelmRelease is reported at the
   * HelmRelease, with the HelmChart among the affected objects).
   */
  reportAt?: ObjRef;
}

/** A raw finding with its text rendered from the rule's templates. */
export interface RenderedFinding extends RawFinding {
  summary: string;
  remediation: string[];
}

export interface RuleContext {
  graph: Graph;
}

export interface Rule {
  meta: RuleMeta;
  check(obj: K8sObject, ctx: RuleContext): RawFinding[] | RawFinding | undefined;
}
