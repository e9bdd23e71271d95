// kustomize.build-failed: `kustomize build` of the Kustomization's path failed: the path does not
// exist in the artifact, kustomization.yaml is invalid, a file is not valid YAML, a referenced
// resource cannot be loaded. A root-cause code: the fix is in the repository (or spec.path).

import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { clip, firstLine, innermostCause, isFailing, signalFor } from '../signals/index.js';
import type { Rule } from './types.js';
import { evidenceOf, reconcileCmd, show } from './util.js';

// The texts ("kustomization path not found: …", "kustomize build failed: …", "failed to decode Kubernetes
// YAML from <file>: …", "recovered from kustomize build panic: …", the decryptor's "failed to unmarshal
// kustomization file …") and the BuildFailed reason are catalogued in src/signals/patterns/kustomize-controller.ts.
// SOPS and post-build substitution errors inside a build error classify as their own codes (innermost wins).
// Below, the message is only read further to name the file, field or resource.

/** Replace the controller's temporary checkout directory with `./`. */
function relPath(p: string): string {
  return p.replace(/\/tmp\/kustomization-\d+\/?/g, './').replace(/^\.\/\.\//, './');
}

function describeBuild(text: string): { what: string; kind: 'path' | 'yaml' | 'kustomization' | 'resource' | 'other' } {
  const t = relPath(text);
  if (/kustomization path not found/.test(t)) return { what: 'the path does not exist in the artifact', kind: 'path' };
  const unknownField = /json: unknown field "([^"]+)"/.exec(t);
  if (unknownField) {
    const target = /couldn't make target for path '([^']+)'/.exec(t)?.[1];
    return {
      what: `kustomization.yaml${target ? ` in ${target}` : ''} is invalid: unknown field "${unknownField[1]}"`,
      kind: 'kustomization',
    };
  }
  const decode = /failed to decode Kubernetes YAML from (\S+): (.+)/.exec(t);
  if (decode)
    return { what: `${decode[1]} is not a valid Kubernetes manifest: ${clip(decode[2]!, 160)}`, kind: 'yaml' };
  const malformed = /(MalformedYAMLError: .+?|yaml: line \d+: [^\n]+?)(?: in File: (\S+))?$/m.exec(t);
  if (malformed)
    return {
      what: `invalid YAML${malformed[2] ? ` in ${malformed[2]}` : ''}: ${clip(malformed[1]!, 160)}`,
      kind: 'yaml',
    };
  if (/failed to decode Kubernetes apiVersion, kind and name from/.test(t))
    return { what: 'a resource has no apiVersion, kind or metadata.name', kind: 'resource' };
  if (/already registered id/.test(t))
    return { what: `the same resource is included twice: ${clip(innermostCause(t), 200)}`, kind: 'resource' };
  const acc = [...t.matchAll(/accumulating resources from '([^']+)'/g)].map((m) => m[1]!);
  if (acc.length > 0) {
    const missing = /no such file or directory/.test(t);
    return {
      what: `${missing ? 'a resource listed in kustomization.yaml does not exist' : 'a resource listed in kustomization.yaml cannot be loaded'}: '${acc[acc.length - 1]}' (${clip(innermostCause(t), 160)})`,
      kind: 'resource',
    };
  }
  return { what: clip(firstLine(t).replace(/^kustomize build failed: /, ''), 240), kind: 'other' };
}

export const rule: Rule = {
  meta: {
    code: 'kustomize.build-failed',
    severity: 'error',
    title: 'kustomize build of the path failed',
    kinds: ['Kustomization'],
    messages: {
      'path-not-found': { summary: '{object} cannot build: spec.path {path} does not exist in {where}' },
      'kustomization-file-invalid': { summary: '{object} cannot build {input}: {what}' },
      'invalid-yaml': { summary: '{object} cannot build {input}: {what}' },
      'resource-error': { summary: '{object} cannot build {input}: {what}' },
      'build-error': { summary: '{object} cannot build {input}: {what}' },
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const sig = signalFor(obj, graph, rule.meta.code);
    if (!sig) return undefined;
    const c = describeBuild(sig.signal.text);
    const src = graph.out(obj, 'source')[0]?.to;
    const path = typeof obj.spec?.path === 'string' && obj.spec.path ? obj.spec.path : './';
    const revision = obj.status?.lastAttemptedRevision as string | undefined;
    const at = revision ? ` at revision ${revision}` : '';
    const evidence = evidenceOf(sig.signals);
    const final = ['After pushing the fix to Git, reconcile it with its source:', reconcileCmd(obj, true)];
    const base = { object: show(obj), path, source: src ? show(src) : undefined, revision };
    if (sig.cause === 'path-not-found' || c.kind === 'path') {
      return {
        cause: 'path-not-found',
        data: { ...base, where: `${src ? show(src) : 'the source'}${at}`, missing: sig.data.path },
        evidence,
        fixTarget: { kind: 'Kustomization', namespace: obj.metadata.namespace, name: obj.metadata.name },
        remediation: [
          ...changeInGit(
            graph,
            obj,
            `fix spec.path of ${show(obj)} (relative to the repository root, e.g. ./clusters/prod)`,
          ),
          `Or commit the directory ${path}${src ? ` to ${show(src)}'s ${src.kind === 'GitRepository' ? 'branch' : 'artifact'}` : ''}`,
          ...(src?.kind === 'GitRepository' && graph.get(src)?.spec?.ref
            ? [`Check that ${show(src)} follows the ref you expect: ${JSON.stringify(graph.get(src)?.spec?.ref)}`]
            : []),
          ...final,
        ],
      };
    }
    const cause =
      sig.cause === 'kustomization-file-invalid' || c.kind === 'kustomization'
        ? 'kustomization-file-invalid'
        : sig.cause === 'invalid-yaml' || c.kind === 'yaml'
          ? 'invalid-yaml'
          : c.kind === 'resource'
            ? 'resource-error'
            : 'build-error';
    const input = `${src ? `path ${path} of ${show(src)}` : `path ${path}`}${at}`;
    const reproduce = titled(
      `Reproduce it locally from a checkout${revision ? ` of ${revision}` : ''}`,
      `flux build kustomization ${shq(obj.metadata.name)}${nsArg(obj.metadata.namespace)} --path <checkout>/${path === './' ? '' : shq(path.replace(/^\.\//, ''))}`,
    );
    return {
      cause,
      data: { ...base, input, what: c.what, resource: sig.data.resource, file: sig.data.file },
      evidence,
      remediation: [
        cause === 'kustomization-file-invalid'
          ? 'Fix kustomization.yaml: it is a kustomize.config.k8s.io/v1beta1 Kustomization, only kustomize fields are allowed'
          : cause === 'invalid-yaml'
            ? 'Fix the YAML of the file named in the message (indentation, tabs, unquoted colons), or exclude it with .sourceignore'
            : cause === 'resource-error'
              ? 'Fix the entries of resources: in kustomization.yaml (or add the missing file), and give every manifest apiVersion, kind and metadata.name'
              : 'Fix the manifests under the path so that kustomize build succeeds',
        ...reproduce,
        ...final,
      ],
    };
  },
};
