// kustomize.source-not-ready: the Kustomization cannot get its source artifact. A symptom code: when
// the source itself is failing, the engine follows spec.sourceRef and reports the source's own
// finding (source.auth, source.ref-not-found, …) instead.

import type { Graph } from '../graph/graph.js';
import { kindInfo } from '../kinds/table.js';
import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import type { ObjRef } from '../types.js';
import { clip, detect, firstLine, innermost, knownMissing, sourceRefOf } from './kustomize-common.js';
import type { RawFinding, Rule } from './types.js';
import { describeCmd, evidenceOf, hostOf, logsCmd, reconcileCmd, show } from './util.js';

// kustomize-controller internal/controller/kustomization_controller.go (Reconcile):
//   getSource error → Ready=False ArtifactFailed with the error (NotFound: `<plural>.source.toolkit.fluxcd.io "<name>" not found`,
//     other: "unable to get source '<ns>/<name>': <err>"), ACL → Ready=False AccessDenied "can't access '<Kind>/<ns>/<name>', ...";
//   "Source artifact not found, retrying in <interval>" (source has no status.artifact) — ArtifactFailed;
//   "Source is not ready, artifact not found, retrying in <interval>" (HTTP 404 from the artifact server) — ArtifactFailed;
//   fetcher.Fetch error (fluxcd/pkg http/fetch): "failed to download archive: <err>",
//     "failed to download archive from <url> (status: <status>)" — ArtifactFailed. Older releases:
//     "failed to download artifact, error: GET <url> giving up after 10 attempt(s): ..."
export const NO_ARTIFACT = /Source artifact not found, retrying in/;
export const ARTIFACT_404 = /Source is not ready, artifact not found, retrying in/;
export const DOWNLOAD_FAILED =
  /failed to download (?:archive|artifact)|giving up after \d+ attempt|artifact is \d+ bytes greater than the max download size|failed to (?:verify|extract) archive|computed digest doesn't match/;
export const SOURCE_NOT_FOUND = /([a-z]+)\.source\.toolkit\.fluxcd\.io "([^"]+)" not found/;
export const GET_FAILED = /unable to get source '([^']+)'/;
export const ACL_DENIED =
  /can't access '([^']+)', (cross-namespace references have been blocked|\S+ feature gate is disabled)/;
// kustomization path not found / securejoin errors also use ArtifactFailed: they belong to kustomize.build-failed.
export const PATH_NOT_FOUND = /kustomization path not found/;

const PATTERNS = [NO_ARTIFACT, ARTIFACT_404, DOWNLOAD_FAILED, SOURCE_NOT_FOUND, GET_FAILED, ACL_DENIED];

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
    docs: {
      description:
        "The Kustomization cannot get the artifact of the source in `spec.sourceRef` (GitRepository, OCIRepository, Bucket or ExternalArtifact): the source has no artifact yet, its artifact could not be downloaded from source-controller, or the Kustomization is not allowed to use it. Nothing is applied until the artifact is available; kustomize-controller retries every 30s (`--requeue-dependency`). This is a symptom: when the source itself is failing, fluxdoctor reports the source's own problem (authentication, missing branch, unreachable host…) and lists the Kustomization as affected. This code stands on its own only when the source is not failing in what was read — it is still reconciling, suspended, Ready but its artifact cannot be downloaded, or it was not read at all. A sourceRef naming an object that does not exist is `flux.reference-missing`.",
      detection:
        "Ready=False on a Kustomization with reason `ArtifactFailed` (except `kustomization path not found`, which is `kustomize.build-failed`) or `AccessDenied`, with the controller's messages `Source artifact not found, retrying in 30s`, `Source is not ready, artifact not found, retrying in 30s`, `failed to download archive…`, `unable to get source '<ns>/<name>': …` or `can't access '<Kind>/<ns>/<name>', cross-namespace references have been blocked`. The source named in `spec.sourceRef` is looked up in the graph and its state is reported; when its kind was read and it is absent, this rule stays silent (see `flux.reference-missing`).",
      fix: [
        '- Look at the source: `flux get sources all -A` and `kubectl describe` it; fix what makes it fail (credentials, URL, branch, tag).',
        '- If the source is suspended, resume it (`flux resume source git <name>`).',
        '- If the source is Ready but the download fails (`connection refused`, `i/o timeout`, `404`), check that source-controller is running and its Service reachable from kustomize-controller (network policies), and that its storage still holds the artifact (a restart without a persistent volume loses artifacts until the next source reconcile).',
        '- If cross-namespace references are blocked (`--no-cross-namespace-refs`), move the source into the Kustomization namespace or point `spec.sourceRef` at a source in the same namespace.',
        '- Then reconcile with the source: `flux reconcile kustomization <name> --with-source`.',
      ].join('\n'),
      commands: [
        'flux get sources all -A',
        'kubectl get kustomization <name> -n <namespace> -o jsonpath={.spec.sourceRef}',
        'kubectl -n flux-system get deploy source-controller',
        'flux reconcile kustomization <name> -n <namespace> --with-source',
      ],
      examples: [
        {
          message: 'Source artifact not found, retrying in 30s',
          source:
            'fluxcd/kustomize-controller internal/controller/kustomization_controller.go (Reconcile, artifact nil)',
        },
        {
          message: 'Source is not ready, artifact not found, retrying in 30s',
          source:
            'fluxcd/kustomize-controller internal/controller/kustomization_controller.go (fetch.ErrFileNotFound); tested in internal/controller/kustomization_fetcher_test.go',
        },
        {
          message:
            'failed to download artifact, error: GET http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/437f3d59.tar.gz giving up after 10 attempt(s): Get "http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/437f3d59.tar.gz": dial tcp 10.100.47.29:80: connect: connection refused',
          source: 'https://github.com/fluxcd/flux2/issues/2067',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const d = detect(obj, graph, {
      reasons: ['ArtifactFailed', 'AccessDenied'],
      patterns: PATTERNS,
      exclude: [PATH_NOT_FOUND, /securejoin|path escapes from parent/i],
    });
    if (!d) return undefined;
    // The ArtifactFailed reason alone also covers local file errors: require a source-related message.
    const current = d.current.filter((s) => s.reason === 'AccessDenied' || PATTERNS.some((re) => re.test(s.text)));
    if (current.length === 0) return undefined;
    const text = current[0]!.text;
    const src = sourceRefOf(obj);
    // A sourceRef to an object that does not exist is flux.reference-missing.
    if (src && knownMissing(graph, src)) return undefined;
    const srcText = src ? show(src) : 'its source';
    const evidence = evidenceOf([...current, ...d.all]);
    const final = reconcileCmd(obj, true);

    const acl = ACL_DENIED.exec(text);
    if (acl || current[0]!.reason === 'AccessDenied') {
      const gate = acl?.[2]?.includes('feature gate');
      const f: RawFinding = {
        summary: gate
          ? `${show(obj)} may not use ${srcText}: ${acl![2]} in kustomize-controller`
          : `${show(obj)} may not use ${srcText}: kustomize-controller blocks cross-namespace source references (--no-cross-namespace-refs)`,
        evidence,
        fixTarget: { kind: 'Kustomization', namespace: obj.metadata.namespace, name: obj.metadata.name },
        explainedBy: [],
        remediation: gate
          ? [
              'Enable the feature gate in kustomize-controller (--feature-gates=ExternalArtifact=true)',
              ...changeInGit(
                graph,
                obj,
                `point spec.sourceRef of ${show(obj)} at a GitRepository/OCIRepository/Bucket`,
                {
                  when: 'or',
                },
              ),
              final,
            ]
          : [
              `Use a source in namespace ${obj.metadata.namespace}: create one there`,
              ...changeInGit(graph, obj, `change spec.sourceRef of ${show(obj)}`, { when: 'or' }),
              `Alternatively move ${show(obj)} into namespace ${src?.namespace ?? 'the source namespace'}`,
              final,
            ],
      };
      return f;
    }

    const state = src ? sourceState(graph, src) : 'spec.sourceRef is not set';
    const srcReady = src ? graph.health(src).state === 'Ready' : false;

    if (DOWNLOAD_FAILED.test(text)) {
      const server = artifactServer(text, graph.fluxNamespace);
      return {
        summary: `${show(obj)} could not download the artifact of ${srcText} from ${server ? server.name : 'the artifact server'}: ${clip(innermost(text), 200)} (${state})`,
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

    const notFound = SOURCE_NOT_FOUND.exec(text);
    if (notFound) {
      return {
        summary: `${show(obj)} could not find ${srcText} (${state}); kustomize-controller retries at the retry interval`,
        evidence,
        fixTarget: src,
        remediation: [
          ...titled(
            `Check that ${srcText} exists`,
            src
              ? describeCmd(src)
              : `kubectl get kustomization ${shq(obj.metadata.name)}${nsArg(obj.metadata.namespace)} -o yaml`,
          ),
          ...changeInGit(graph, obj, `fix spec.sourceRef of ${show(obj)}`, {
            when: 'if it has another name or namespace',
          }),
          final,
        ],
      };
    }

    const why = ARTIFACT_404.test(text)
      ? `the artifact file of ${srcText} is missing from source-controller's storage (HTTP 404)`
      : GET_FAILED.test(text)
        ? `reading ${srcText} from the API failed: ${clip(firstLine(text), 200)}`
        : `${srcText} has no artifact yet`;
    return {
      summary: `${show(obj)} cannot get its source artifact: ${why}; ${state}`,
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
