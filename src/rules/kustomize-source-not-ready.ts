// kustomize.source-not-ready: the Kustomization cannot get its source artifact. A symptom code: when
// the source itself is failing, the engine follows spec.sourceRef and reports the source's own
// finding (source.auth, source.ref-not-found, …) instead.

import type { Graph } from '../graph/graph.js';
import { kindInfo } from '../kinds/table.js';
import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { clip, firstLine, innermostCause, isFailing, knownMissing, signalFor } from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import type { Rule } from './types.js';
import { describeCmd, evidenceOf, hostOf, logsCmd, reconcileCmd, show } from './util.js';

// The texts ("Source artifact not found, retrying in <d>", "Source is not ready, artifact not found…",
// "failed to download archive: …" and its older wordings, "unable to get source '<ns>/<name>': …",
// "can't access '<Kind>/<ns>/<name>', cross-namespace references have been blocked") and the AccessDenied
// reason are catalogued in src/signals/patterns/kustomize-controller.ts. A source that does not exist
// (the bare NotFound text, v0.x "Source '<ref>' not found") is classified there as flux.reference-missing.

/** The Kustomization's spec.sourceRef, as the graph reads it (kind and namespace defaulted). */
const sourceOf = (graph: Graph, ks: K8sObject): ObjRef | undefined => graph.out(ks, 'source')[0]?.to;

function sourceState(graph: Graph, src: ObjRef): string {
  const o = graph.get(src);
  if (!o) return 'it was not in what fluxdoctor read, so its state is unknown';
  const h = graph.health(o);
  switch (h.state) {
    case 'Ready':
      return o.status?.artifact
        ? `it reports Ready${h.revision ? ` with revision ${h.revision}` : ''}`
        : 'it reports Ready but has no artifact in its status';
    case 'Failed':
      return `it is failing (${h.reason ?? 'unknown reason'}${h.message ? `: ${clip(firstLine(h.message), 200)}` : ''})`;
    case 'Progressing':
      return `it is still reconciling${h.message ? ` (${clip(firstLine(h.message), 160)})` : ''}`;
    case 'Suspended':
      return 'it is suspended, so it produces no new artifact';
    case 'Waiting':
      return `it is waiting on a dependency${h.message ? ` (${clip(firstLine(h.message), 160)})` : ''}`;
    default: {
      const ctrl = kindInfo(src.kind)?.controller ?? 'source-controller';
      return `it has no status yet: ${ctrl} has not reconciled it (is ${ctrl} running?)`;
    }
  }
}

/** The controller Deployment serving an artifact URL: source-controller.flux-system.svc… → flux-system/source-controller. */
function artifactServer(text: string, fluxNs: string): ObjRef | undefined {
  const url = /https?:\/\/[^\s"']+/.exec(text)?.[0];
  const host = hostOf(url);
  const m = host ? /^(source-controller|source-watcher)(?:\.([a-z0-9-]+))?/.exec(host) : undefined;
  if (m) return { kind: 'Deployment', namespace: m[2] ?? fluxNs, name: m[1]! };
  return /source-watcher/.test(text) ? undefined : { kind: 'Deployment', namespace: fluxNs, name: 'source-controller' };
}

function resumeCmd(src: ObjRef): string {
  const cmd = reconcileCmd(src);
  return cmd.startsWith('flux reconcile ')
    ? cmd.replace(/^flux reconcile /, 'flux resume ')
    : `kubectl patch ${shq(src.kind.toLowerCase())} ${shq(src.name)}${nsArg(src.namespace)} --type=merge -p '{"spec":{"suspend":false}}'`;
}

export const rule: Rule = {
  meta: {
    code: 'kustomize.source-not-ready',
    severity: 'error',
    title: 'The source artifact is not available',
    kinds: ['Kustomization'],
    explainedBy: ['source'],
    messages: {
      'access-denied': {
        summary:
          '{object} may not use {source}: kustomize-controller blocks cross-namespace source references (--no-cross-namespace-refs)',
      },
      'feature-gate-disabled': { summary: '{object} may not use {source}: {why} in kustomize-controller' },
      'artifact-download-failed': {
        summary: '{object} could not download the artifact of {source} from {server}: {error} ({state})',
      },
      'no-artifact': { summary: '{object} cannot get its source artifact: {source} has no artifact yet; {state}' },
      'artifact-not-in-storage': {
        summary:
          "{object} cannot get its source artifact: the artifact file of {source} is missing from source-controller's storage (HTTP 404); {state}",
      },
      'get-source-failed': {
        summary: '{object} cannot get its source artifact: reading {source} from the API failed: {error}; {state}',
      },
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const c = signalFor(obj, graph, rule.meta.code);
    if (!c) return undefined;
    const text = c.signal.text;
    const src = sourceOf(graph, obj);
    // A sourceRef to an object that does not exist is flux.reference-missing.
    if (src && knownMissing(graph, src)) return undefined;
    const srcText = src ? show(src) : 'its source';
    const evidence = evidenceOf(c.signals);
    const final = reconcileCmd(obj, true);
    const ks: ObjRef = { kind: 'Kustomization', namespace: obj.metadata.namespace, name: obj.metadata.name };
    const base = { object: show(obj), source: srcText };

    if (c.cause === 'access-denied') {
      const why = c.data.why;
      if (why?.includes('feature gate')) {
        return {
          cause: 'feature-gate-disabled',
          data: { ...base, why },
          evidence,
          fixTarget: ks,
          explainedBy: [],
          remediation: [
            'Enable the feature gate in kustomize-controller (--feature-gates=ExternalArtifact=true)',
            ...changeInGit(graph, obj, `point spec.sourceRef of ${show(obj)} at a GitRepository/OCIRepository/Bucket`, {
              when: 'or',
            }),
            final,
          ],
        };
      }
      return {
        cause: 'access-denied',
        data: base,
        evidence,
        fixTarget: ks,
        explainedBy: [],
        remediation: [
          `Use a source in namespace ${obj.metadata.namespace}: create one there`,
          ...changeInGit(graph, obj, `change spec.sourceRef of ${show(obj)}`, { when: 'or' }),
          `Alternatively move ${show(obj)} into namespace ${src?.namespace ?? 'the source namespace'}`,
          final,
        ],
      };
    }

    const state = src ? sourceState(graph, src) : 'spec.sourceRef is not set';
    const srcReady = src ? graph.health(src).state === 'Ready' : false;

    if (c.cause === 'artifact-download-failed') {
      const server = artifactServer(text, graph.fluxNamespace);
      return {
        cause: c.cause,
        data: {
          ...base,
          state,
          server: server ? server.name : 'the artifact server',
          error: clip(innermostCause(text), 200),
        },
        evidence,
        fixTarget: srcReady && server ? server : src,
        remediation: [
          ...(server
            ? [
                ...titled(
                  `Check that ${server.name} is running and reachable from kustomize-controller`,
                  `kubectl -n ${shq(server.namespace ?? '')} get ${shq(`deploy/${server.name}`)} pods -l ${shq(`app=${server.name}`)}`,
                ),
                ...titled(
                  'Read its logs',
                  `kubectl -n ${shq(server.namespace ?? '')} logs ${shq(`deploy/${server.name}`)}`,
                ),
              ]
            : []),
          ...(src ? titled('Reconcile the source so it re-creates its artifact', reconcileCmd(src)) : []),
          final,
        ],
      };
    }

    const cause = c.cause === 'artifact-not-in-storage' || c.cause === 'get-source-failed' ? c.cause : 'no-artifact';
    return {
      cause,
      data: { ...base, state, error: cause === 'get-source-failed' ? clip(firstLine(text), 200) : undefined },
      evidence,
      fixTarget: src,
      remediation: [
        ...(src
          ? [
              ...titled(`Find out why ${srcText} has no artifact`, describeCmd(src)),
              ...titled(
                `Check ${kindInfo(src.kind)?.controller ?? 'source-controller'}'s logs for it`,
                logsCmd(src, graph.fluxNamespace),
              ),
              ...(graph.get(src)?.spec?.suspend === true
                ? titled('Resume it', resumeCmd(src))
                : titled('Reconcile it', reconcileCmd(src))),
            ]
          : changeInGit(graph, obj, `set spec.sourceRef of ${show(obj)}`)),
        final,
      ],
    };
  },
};
