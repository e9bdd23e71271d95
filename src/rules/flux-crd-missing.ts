// flux.crd-missing: a Flux CRD is not established, does not serve the API version the objects use,
// or is not installed although another object references its kind.

import { condition } from '../kinds/status.js';
import { KINDS, type KindInfo, kindInfo, versionOf } from '../kinds/table.js';
import { titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import { compareRef, EXTRA_COMPONENTS, listRefs, FLUX_REF_EDGES as REF_EDGES, uniqueRefs } from '../signals/index.js';
import type { Evidence, K8sObject, ObjRef } from '../types.js';
import { objRef, sameRef } from '../types.js';
import type { RawFinding, Rule, RuleContext } from './types.js';
import { conditionEvidence, namespaceFlag, objId } from './util.js';

type Graph = RuleContext['graph'];

const FLUX_GROUPS = new Set(KINDS.filter((k) => k.flux).map((k) => k.group));

export const crdName = (k: KindInfo) => `${k.plural}.${k.group}`;

/** How to install the CRD of a kind, as steps: the component that ships it. */
function installHint(k: KindInfo, fluxNamespace: string): string[] {
  const c = k.controller ?? 'source-controller';
  if (c === 'flux-operator')
    return titled(
      'Install the Flux Operator',
      `helm install flux-operator oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator -n ${shq(fluxNamespace)}`,
    );
  if (EXTRA_COMPONENTS.has(c))
    return titled(
      `Install the ${c} component (or add ${c} to the FluxInstance spec.components)`,
      `flux install --components-extra=${shq(c)}${namespaceFlag(fluxNamespace)}`,
    );
  return titled(
    `Upgrade or reinstall Flux so its CRDs include ${crdName(k)} (or bootstrap again with the current CLI)`,
    `flux install${namespaceFlag(fluxNamespace)}`,
  );
}

/** Were the Flux CRDs really read? The reader says so, or the CRD of some Flux kind present is there. */
function crdsRead(graph: Graph): boolean {
  if (!graph.kindRead('CustomResourceDefinition')) return false;
  if (graph.snapshot.info.kindsRead?.includes('CustomResourceDefinition')) return true;
  const names = new Set(graph.byKind('CustomResourceDefinition').map((c) => c.metadata.name));
  return KINDS.some((k) => k.flux && graph.byKind(k.kind).length > 0 && names.has(crdName(k)));
}

function crdOf(graph: Graph, k: KindInfo): K8sObject | undefined {
  return graph.get({ kind: 'CustomResourceDefinition', name: crdName(k) });
}

export const rule: Rule = {
  meta: {
    code: 'flux.crd-missing',
    severity: 'error',
    title: 'A Flux CRD or API version the objects use is not installed',
    kinds: ['CustomResourceDefinition', '*'],
    overrides: ['flux.reference-missing'],
  },
  check(obj, { graph }) {
    if (obj.kind === 'CustomResourceDefinition') return checkCrd(obj, graph);
    return checkReferences(obj, graph);
  },
};

function checkCrd(crd: K8sObject, graph: Graph): RawFinding | undefined {
  const group = crd.spec?.group;
  const kindName = crd.spec?.names?.kind;
  if (typeof group !== 'string' || !FLUX_GROUPS.has(group)) return undefined;
  const evidence: Evidence[] = [];
  const problems: string[] = [];
  for (const t of ['Established', 'NamesAccepted']) {
    const c = condition(crd, t);
    if (c && c.status !== 'True') {
      problems.push(
        `it is not ${t === 'Established' ? 'established' : 'accepted'} (${t}=${c.status}${c.reason ? `, ${c.reason}` : ''})`,
      );
      evidence.push(conditionEvidence(crd, c));
    }
  }
  // Versions the objects of this kind use but the CRD does not serve.
  const versions: { name: string; served: boolean }[] = Array.isArray(crd.spec?.versions)
    ? crd.spec.versions.filter((v: { name?: unknown }) => typeof v?.name === 'string')
    : [];
  const served = new Set(versions.filter((v) => v.served !== false).map((v) => v.name));
  const users =
    typeof kindName === 'string' ? graph.byKind(kindName).filter((o) => o.apiVersion.startsWith(`${group}/`)) : [];
  const unserved = new Map<string, ObjRef[]>();
  if (versions.length > 0) {
    for (const o of users) {
      const v = versionOf(o.apiVersion);
      if (served.has(v)) continue;
      unserved.set(v, [...(unserved.get(v) ?? []), objRef(o)]);
    }
  }
  for (const [v, refs] of unserved) {
    problems.push(
      `it does not serve ${group}/${v}, which ${listRefs(uniqueRefs(refs))} ${refs.length === 1 ? 'uses' : 'use'}`,
    );
    evidence.push({
      kind: 'field',
      object: objId(crd),
      text: `spec.versions: ${versions.map((x) => `${x.name} (served: ${x.served !== false})`).join(', ') || '(none)'}; objects use ${group}/${v}`,
    });
  }
  if (problems.length === 0) return undefined;
  const k = typeof kindName === 'string' ? kindInfo(kindName) : undefined;
  const servedList = [...served].join(', ') || 'none';
  return {
    summary: `CustomResourceDefinition ${crd.metadata.name}: ${problems.join('; ')}`,
    evidence,
    remediation: [
      ...(unserved.size > 0
        ? [
            ...titled(`Migrate the manifests in Git to a served version (${servedList}), for example`, 'flux migrate'),
            ...(k
              ? installHint(k, graph.fluxNamespace)
              : ['Or install the Flux version the manifests were written for']),
          ]
        : k
          ? installHint(k, graph.fluxNamespace)
          : titled('Reinstall the CRD', `flux install${namespaceFlag(graph.fluxNamespace)}`)),
      'Check it:',
      `kubectl get crd ${shq(crd.metadata.name)} -o yaml`,
      'flux check',
    ],
    fixTarget: objRef(crd),
  };
}

const memo = new WeakMap<Graph, Map<string, ObjRef[]>>();
/** Every Flux object that references the kind (memoised per graph: computed once per missing CRD). */
function referrersOf(graph: Graph, kind: string): ObjRef[] {
  let m = memo.get(graph);
  if (!m) {
    m = new Map();
    memo.set(graph, m);
  }
  let v = m.get(kind);
  if (!v) {
    v = uniqueRefs(
      graph
        .all()
        .filter((o) => kindInfo(o.kind)?.flux && graph.out(o, REF_EDGES).some((e) => e.to.kind === kind))
        .map(objRef),
    ).sort(compareRef);
    m.set(kind, v);
  }
  return v;
}

function checkReferences(obj: K8sObject, graph: Graph): RawFinding[] {
  if (!crdsRead(graph)) return [];
  const out: RawFinding[] = [];
  const missingKinds = new Map<string, KindInfo>();
  for (const e of graph.out(obj, REF_EDGES)) {
    const k = kindInfo(e.to.kind);
    if (!k?.flux || k.kind === obj.kind) continue;
    if (crdOf(graph, k) || graph.byKind(k.kind).length > 0) continue;
    missingKinds.set(k.kind, k);
  }
  for (const k of missingKinds.values()) {
    // Every object that references the kind: one finding, reported at the first of them.
    const referrers = referrersOf(graph, k.kind);
    const at = referrers[0] ?? objRef(obj);
    const edge = graph.out(obj, REF_EDGES).find((e) => e.to.kind === k.kind)!;
    const f: RawFinding = {
      summary: `The CustomResourceDefinition ${crdName(k)} is not installed, so ${k.kind} objects cannot exist; ${listRefs(referrers)} ${referrers.length === 1 ? 'references' : 'reference'} a ${k.kind}${referrers.length === 1 ? ` (${edge.field ?? edge.type}: ${edge.to.name})` : ''} and cannot be reconciled`,
      evidence: [
        {
          kind: 'missing',
          object: `CustomResourceDefinition/${crdName(k)}`,
          text: `no CustomResourceDefinition ${crdName(k)} among the CRDs read; ${edge.field ?? edge.type} of ${objId(obj)} names ${objId(edge.to)}`,
        },
      ],
      remediation: [
        ...installHint(k, graph.fluxNamespace),
        `kubectl get crd ${crdName(k)}`,
        'flux check',
        ...(k.kind === 'OCIRepository' || k.kind === 'ExternalArtifact'
          ? titled(
              `If the cluster runs an old Flux, compare (${k.kind} needs a newer Flux than the one installed)`,
              'flux version',
            )
          : []),
      ],
      fixTarget: { kind: 'CustomResourceDefinition', name: crdName(k) },
    };
    if (!sameRef(at, objRef(obj))) f.reportAt = at;
    out.push(f);
  }
  return out;
}
