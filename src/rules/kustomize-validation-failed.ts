// kustomize.validation-failed: the API server rejected an object in kustomize-controller's
// server-side dry-run (invalid field, unknown kind or API version, missing namespace, admission
// webhook). RBAC denials and immutable fields have their own, more specific codes.

import type { Graph } from '../graph/graph.js';
import { kubectlResource } from '../kinds/table.js';
import { titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import { clip, firstLine, innermostCause, isFailing, signalFor, ssaObject } from '../signals/index.js';
import type { ObjRef } from '../types.js';
import type { MessageTemplate, Rule } from './types.js';
import { evidenceOf, reconcileCmd, show } from './util.js';

// The texts (fluxcd/pkg/ssa "<id> dry-run failed (<Reason>): …", older ", reason: …, error: …", "<id> not
// found: …", "<id> namespace not specified: …", "<id> apply failed: …", and the Kubernetes API texts they
// carry; kubectl-era "validation failed: <kubectl output>" of kustomize-controller v0.1–v0.14) are catalogued
// in src/signals/patterns/ssa.ts and src/signals/patterns/kustomize-controller.ts. RBAC denials, immutable
// fields and SOPS errors inside them classify as their own codes (innermost match wins).

/** The causes the catalogue gives this code; the summary names what the API server said. */
const CAUSES = [
  'kind-not-registered',
  'api-not-served',
  'namespace-missing',
  'namespace-not-specified',
  'referenced-object-missing',
  'admission-denied',
  'webhook-unavailable',
  'invalid-object',
  'api-migration-failed',
  'dry-run-rejected',
  'apply-failed',
  'kubectl-rejected',
  'validation-error',
];
const SUMMARY: MessageTemplate = {
  summary:
    '{object} cannot apply {target}: the API server rejected it in the server-side dry-run — {what}. Nothing from this revision is applied',
};

interface Detail {
  what: string;
  steps: string[];
  fixTarget?: ObjRef;
}

function crdFor(graph: Graph, kind: string, apiVersion: string): { served: string[]; name: string } | undefined {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  for (const crd of graph.byKind('CustomResourceDefinition')) {
    if (crd.spec?.names?.kind !== kind || (crd.spec?.group ?? '') !== group) continue;
    const served = Array.isArray(crd.spec?.versions)
      ? // biome-ignore lint/suspicious/noExplicitAny: untyped CRD versions
        crd.spec.versions.filter((v: any) => v?.served !== false).map((v: any) => String(v.name))
      : [];
    return { served, name: crd.metadata.name };
  }
  return undefined;
}

function explain(
  graph: Graph,
  text: string,
  target: ObjRef | undefined,
  ksName: string,
  c: { cause: string; data: Record<string, string> },
): Detail {
  const t = text;
  if (c.cause === 'kind-not-registered' && c.data.kind && c.data.version) {
    const { kind, version: apiVersion } = c.data;
    const version = apiVersion.split('/').pop()!;
    const crd = crdFor(graph, kind, apiVersion);
    if (crd && !crd.served.includes(version)) {
      return {
        what: `API version ${apiVersion} of ${kind} is not served: CustomResourceDefinition ${crd.name} serves ${crd.served.join(', ') || 'no version'}`,
        steps: [
          `Change the manifest's apiVersion to one the CRD serves (${crd.served.map((v) => `${apiVersion.split('/')[0]}/${v}`).join(', ')}), or upgrade the CRD`,
        ],
        fixTarget: target,
      };
    }
    return {
      what: crd
        ? `kind ${kind} (${apiVersion}) was not known to the API server when the dry-run ran; CustomResourceDefinition ${crd.name} exists now`
        : `kind ${kind} (${apiVersion}) is unknown to the API server: its CustomResourceDefinition is not installed${graph.kindRead('CustomResourceDefinition') ? '' : ' (or that API version is not served)'}`,
      steps: [
        `Install the CRD for ${kind} before this Kustomization: move the CRDs (or the HelmRelease that installs them) into a separate Kustomization and add it to spec.dependsOn of Kustomization ${ksName}`,
        ...titled(
          'Check what the cluster serves',
          `kubectl api-resources --api-group=${shq(apiVersion.includes('/') ? apiVersion.split('/')[0]! : '')}`,
        ),
      ],
      fixTarget: target,
    };
  }
  const nsMissing = c.cause === 'namespace-missing' ? c.data.namespace : undefined;
  if (nsMissing) {
    return {
      what: `namespace ${nsMissing} does not exist`,
      steps: [
        `Add a Namespace manifest for ${nsMissing} to the Kustomization's path (Flux applies Namespaces first), or create it in a Kustomization listed in spec.dependsOn`,
      ],
      fixTarget: target,
    };
  }
  const refMissing = /\S+ not found: (.+ not found)\s*$/m.exec(t);
  if (refMissing) {
    return {
      what: `something it refers to does not exist (${clip(refMissing[1]!, 160)})`,
      steps: [
        'Create the referenced object before this one: in a Kustomization listed in spec.dependsOn, or fix the reference in the manifest',
      ],
      fixTarget: target,
    };
  }
  if (/namespace not specified/.test(t)) {
    return {
      what: 'the object is namespaced but has no metadata.namespace',
      steps: ['Set metadata.namespace in the manifest, or spec.targetNamespace on the Kustomization'],
      fixTarget: target,
    };
  }
  if (c.cause === 'admission-denied' && c.data.webhook) {
    const webhook = c.data.webhook;
    const why = /denied the request: ?([^\n]*)/.exec(t)?.[1] ?? '';
    return {
      what: `admission webhook ${webhook} denied it: ${clip(why, 200)}`,
      steps: [`Change the manifest to satisfy the policy enforced by webhook ${webhook}, or adjust the policy`],
      fixTarget: target,
    };
  }
  const unknownField = /unknown field "([^"]+)"|(\S+): field not declared in schema/.exec(t);
  if (unknownField) {
    const field = unknownField[1] ?? unknownField[2];
    return {
      what: `field ${field} does not exist in the schema of the object`,
      steps: [
        `Remove or rename ${field} in the manifest`,
        ...(target
          ? titled("Check the apiVersion's schema", `kubectl explain ${shq(kubectlResource(target.kind))}`)
          : []),
      ],
      fixTarget: target,
    };
  }
  const invalid = /is invalid: (.+)/.exec(firstLine(t));
  if (invalid) {
    return {
      what: `the object is invalid: ${clip(invalid[1]!, 240)}`,
      steps: ['Fix the field named in the error in the manifest'],
      fixTarget: target,
    };
  }
  return {
    what: clip(innermostCause(t), 240),
    steps: ['Fix the manifest so the API server accepts it'],
    fixTarget: target,
  };
}

export const rule: Rule = {
  meta: {
    code: 'kustomize.validation-failed',
    severity: 'error',
    title: 'The API server rejected an object in the server-side dry-run',
    kinds: ['Kustomization'],
    messages: Object.fromEntries(CAUSES.map((c) => [c, SUMMARY])),
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const c = signalFor(obj, graph, rule.meta.code);
    if (!c) return undefined;
    const text = c.signal.text;
    const target = ssaObject(text);
    const detail = explain(graph, text, target, obj.metadata.name, c);
    return {
      cause: CAUSES.includes(c.cause) ? c.cause : 'validation-error',
      data: {
        object: show(obj),
        target: target ? show(target) : 'an object',
        what: detail.what,
        kind: c.data.kind,
        version: c.data.version,
        namespace: c.data.namespace,
        webhook: c.data.webhook,
        field: c.data.field,
      },
      evidence: evidenceOf(c.signals),
      fixTarget: detail.fixTarget,
      remediation: [
        ...detail.steps,
        ...(target
          ? titled(
              `Reproduce it with the file that contains ${show(target)}`,
              'kubectl apply --server-side --dry-run=server -f <file>',
            )
          : []),
        'After pushing the fix to Git, reconcile it with its source:',
        reconcileCmd(obj, true),
      ],
    };
  },
};
