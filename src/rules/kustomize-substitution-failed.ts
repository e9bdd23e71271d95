// kustomize.substitution-failed: post-build variable substitution failed: a ConfigMap/Secret named
// in spec.postBuild.substituteFrom is missing (and not optional), a variable is undefined in strict
// mode, a `${...}` expression cannot be parsed, or the substituted manifest is no longer valid YAML.

import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { clip, innermostCause, isFailing, knownMissing, signalFor } from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import type { Rule } from './types.js';
import { evidenceOf, reconcileCmd, show } from './util.js';

// The texts are catalogued in src/signals/patterns/kustomize-controller.ts (substitute-from-missing,
// variable-not-set-strict, var-name-invalid, substitution-syntax and the wrappers of each era); the regexes
// below only read the values the fix needs out of the matched message.
// kustomize-controller internal/controller/kustomization_controller.go build():
//   fmt.Errorf("post build failed for '%s/%s': %w", res.GetGvk(), res.GetName(), err)   (Gvk prints as ~G_v1_ConfigMap)
//   before 2025-11 (commit 4d6d430): "post build failed for '%s': %w"; v0.x–v1.2: "var substitution failed for '%s': %w"
//   → Ready=False BuildFailed.
// fluxcd/pkg kustomize/kustomize_varsub.go: "substitute from 'ConfigMap/%s' error: %w" / "substitute from 'Secret/%s' error: %w"
//   (skipped when the entry is optional and NotFound), "envsubst error: %w", "variable substitution failed: %w",
//   "'%s' var name is invalid, must match '%s'", "YAMLToJSON: %w";
// fluxcd/pkg envsubst: "variable not set (strict mode): %q", "missing closing brace", "bad substitution",
//   "unable to parse variable name", "unable to parse substitution within function", "unable to parse default function".
const FROM_ERROR = /substitute from '(ConfigMap|Secret)\/([^']+)' error: (.+)/;
const STRICT = /variable not set \(strict mode\): \\?"([^"\\]+)\\?"/;
const SYNTAX =
  /missing closing brace|bad substitution|unable to parse variable name|unable to parse substitution within function|unable to parse default function/;
const BAD_VAR_NAME = /'([^']+)' var name is invalid, must match '([^']+)'/;
const YAML_BROKEN = /YAMLToJSON: (?:YAMLToJSON: )?(.+)/;

/** The resource being substituted: "ConfigMap app" from "post build failed for '~G_v1_ConfigMap/app'". */
function resourceOf(text: string): string | undefined {
  const m = /(?:post build|var substitution) failed for '([^']+)'/.exec(text);
  if (!m) return undefined;
  const id = m[1]!;
  const slash = id.indexOf('/');
  if (slash < 0) return `'${id}'`;
  const kind = id.slice(0, slash).split('_').pop();
  return `${kind} ${id.slice(slash + 1)}`;
}

function substituteFrom(obj: K8sObject): { kind: string; name: string; optional: boolean }[] {
  const list = obj.spec?.postBuild?.substituteFrom;
  if (!Array.isArray(list)) return [];
  return (
    list
      // biome-ignore lint/suspicious/noExplicitAny: untyped spec
      .filter((r: any) => r && typeof r.name === 'string' && (r.kind === 'ConfigMap' || r.kind === 'Secret'))
      // biome-ignore lint/suspicious/noExplicitAny: untyped spec
      .map((r: any) => ({ kind: r.kind, name: r.name, optional: r.optional === true }))
  );
}

export const rule: Rule = {
  meta: {
    code: 'kustomize.substitution-failed',
    severity: 'error',
    title: 'Post-build variable substitution failed',
    kinds: ['Kustomization'],
    overrides: ['kustomize.build-failed'],
    // Summaries with optional parts (the resource, the substituteFrom objects holding a key) are computed
    // in check; these templates name the causes and render the ones whose text has no optional part.
    messages: {
      'substitute-from-missing': {
        summary:
          '{object} cannot substitute variables: {ref} in spec.postBuild.substituteFrom does not exist (and is not optional)',
      },
      'substitute-from-unreadable': {
        summary: '{object} cannot read {ref} named in spec.postBuild.substituteFrom: {error}',
      },
      'variable-not-set': { summary: '{object} cannot substitute variables: a variable is not defined in strict mode' },
      'var-name-invalid': {
        summary:
          "{object} cannot substitute variables: key '{key}' in {where} is not a valid variable name (letters, digits and underscores only)",
      },
      'bad-syntax': {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: envsubst syntax, not a template
        summary: '{object} cannot substitute variables: a ${...} expression cannot be parsed ({error})',
      },
      'invalid-yaml': { summary: '{object} produced invalid YAML after substituting variables: {error}' },
      'substitution-error': { summary: '{object} cannot substitute variables: {error}' },
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const c = signalFor(obj, graph, rule.meta.code);
    if (!c) return undefined;
    const text = c.signal.text;
    const ns = obj.metadata.namespace;
    const ks: ObjRef = { kind: 'Kustomization', namespace: ns, name: obj.metadata.name };
    const res = resourceOf(text);
    const inRes = res ? ` in ${res}` : '';
    const evidence = evidenceOf(c.signals);
    const base = { object: show(obj), resource: res };
    const final = reconcileCmd(obj, true);
    const from = substituteFrom(obj);

    const fe = FROM_ERROR.exec(text);
    if (fe) {
      const ref: ObjRef = { kind: fe[1]!, namespace: ns, name: fe[2]! };
      const missing = /not found/.test(fe[3]!) || knownMissing(graph, ref);
      const create =
        ref.kind === 'ConfigMap'
          ? `kubectl create configmap ${shq(ref.name)}${nsArg(ns)} --from-literal=<VAR>=<value>`
          : `kubectl create secret generic ${shq(ref.name)}${nsArg(ns)} --from-literal=<VAR>=<value>`;
      return {
        cause: missing ? 'substitute-from-missing' : 'substitute-from-unreadable',
        data: { ...base, ref: `${ref.kind} ${ns}/${ref.name}`, error: clip(innermostCause(fe[3]!), 200) },
        evidence,
        fixTarget: ref,
        remediation: missing
          ? [
              ...titled('Create it with the variables the manifests use', create),
              ...changeInGit(
                graph,
                obj,
                `fix the name in spec.postBuild.substituteFrom of ${show(obj)}, or mark the entry optional: true`,
                { when: 'or' },
              ),
              final,
            ]
          : [
              `Check that kustomize-controller (or the impersonated service account) can read ${ref.kind} ${ns}/${ref.name}`,
              final,
            ],
      };
    }

    const strict = STRICT.exec(text);
    if (strict) {
      const v = strict[1]!;
      const holders = from.filter((f) => {
        const o = graph.get({ kind: f.kind, namespace: ns, name: f.name });
        return Array.isArray(o?.dataKeys) && o!.dataKeys.includes(v);
      });
      return {
        cause: 'variable-not-set',
        data: { ...base, variable: v },
        summary: `${show(obj)} cannot substitute variables: \${${v}}${inRes} is not defined in spec.postBuild.substitute${from.length ? ` or ${from.map((f) => `${f.kind} ${f.name}`).join(', ')}` : ''}, and strict substitution is on${holders.length ? ` (${holders.map((f) => `${f.kind} ${f.name}`).join(', ')} has that key now: reconcile again)` : ''}`,
        evidence,
        fixTarget: from.length === 1 ? { kind: from[0]!.kind, namespace: ns, name: from[0]!.name } : ks,
        remediation: [
          ...(from.length ? [`Add key ${v} to ${from.map((f) => `${f.kind} ${ns}/${f.name}`).join(' or ')}`] : []),
          ...changeInGit(
            graph,
            obj,
            `add ${v} to spec.postBuild.substitute of ${show(obj)}`,
            from.length ? { when: 'or' } : {},
          ),
          `Or give it a default in the manifest: \${${v}:=<default>}`,
          final,
        ],
      };
    }

    const bad = BAD_VAR_NAME.exec(text);
    if (bad) {
      const key = bad[1]!;
      const inline = obj.spec?.postBuild?.substitute && Object.hasOwn(obj.spec.postBuild.substitute, key);
      const holder = from.find((f) => {
        const o = graph.get({ kind: f.kind, namespace: ns, name: f.name });
        return Array.isArray(o?.dataKeys) && o!.dataKeys.includes(key);
      });
      const where = inline
        ? `spec.postBuild.substitute of ${show(obj)}`
        : holder
          ? `${holder.kind} ${ns}/${holder.name}`
          : 'spec.postBuild.substitute or a substituteFrom object';
      return {
        cause: 'var-name-invalid',
        data: { ...base, key, where },
        summary: `${show(obj)} cannot substitute variables: key '${key}' in ${where} is not a valid variable name (letters, digits and underscores only)`,
        evidence,
        fixTarget: inline ? ks : holder ? { kind: holder.kind, namespace: ns, name: holder.name } : ks,
        remediation: [
          `Rename key '${key}' in ${where} (e.g. ${key.replace(/[^_a-zA-Z0-9]/g, '_')}) and the \${...} references to it`,
          final,
        ],
      };
    }

    if (SYNTAX.test(text)) {
      const why = SYNTAX.exec(text)![0];
      return {
        cause: 'bad-syntax',
        data: { ...base, error: why },
        summary: `${show(obj)} cannot substitute variables${inRes}: a \${...} expression cannot be parsed (${why}); variable names may only contain letters, digits and underscores`,
        evidence,
        fixTarget: ks,
        remediation: [
          `Fix the expression${inRes}: use \${VAR_NAME} with [_a-zA-Z0-9] only, or escape a literal dollar as $\${...}`,
          `Or exclude the object from substitution with the annotation kustomize.toolkit.fluxcd.io/substitute: disabled`,
          final,
        ],
      };
    }

    const yaml = YAML_BROKEN.exec(text);
    if (yaml) {
      return {
        cause: 'invalid-yaml',
        data: { ...base, error: clip(yaml[1]!, 200) },
        summary: `${show(obj)} produced invalid YAML${inRes} after substituting variables: ${clip(yaml[1]!, 200)}`,
        evidence,
        fixTarget: ks,
        remediation: [
          `Quote the \${...} expressions${inRes} and check substituted values for newlines or ': '`,
          `Or exclude the object from substitution with the annotation kustomize.toolkit.fluxcd.io/substitute: disabled`,
          final,
        ],
      };
    }

    return {
      cause: 'substitution-error',
      data: { ...base, error: clip(innermostCause(text), 220) },
      summary: `${show(obj)} cannot substitute variables${inRes}: ${clip(innermostCause(text), 220)}`,
      evidence,
      fixTarget: ks,
      remediation: [`Check spec.postBuild of ${show(obj)} and the \${...} expressions${inRes}`, final],
    };
  },
};
