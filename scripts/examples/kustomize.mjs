import { app, baseCluster, fluxSystemKs, OUT } from './base.mjs';
import { configMap, gitRevision, ksLabels, kustomization, writeExpected } from './lib.mjs';

export function kustomize() {
  const base = baseCluster('kustomize');
  const { w, revision } = base;
  const prev = gitRevision('kustomize/fleet-prev');
  const L = ksLabels('flux-system');
  const kc = { component: 'kustomize-controller' };
  const ann = { 'kustomize.toolkit.fluxcd.io/revision': revision };
  const fail = (ns, name, o) => {
    const ks = kustomization(w, ns, name, {
      labels: ns === 'flux-system' ? L : ksLabels('flux-system'),
      source: 'flux-system',
      sourceNamespace: ns === 'flux-system' ? undefined : 'flux-system',
      state: 'failed',
      since: o.since ?? 35,
      created: o.created ?? 36,
      reconcilingMessage: o.reconciling ?? `Detecting drift for revision ${revision} with a timeout of 5m0s`,
      ...o,
    });
    w.event(ks, 'Warning', o.reason, o.message, {
      ...kc,
      count: o.count ?? 8,
      first: o.since ?? 35,
      last: 2,
      annotations: ann,
    });
    for (const m of [o.since ?? 35, 2])
      w.log(
        'kustomize-controller',
        ks,
        'error',
        `Reconciliation failed after ${o.took ?? '1.203518922s'}, next try in ${o.retry ?? '10m0s'}`,
        { min: m, error: o.message, extra: { revision } },
      );
    return ks;
  };

  // 1. Path not found (kustomize.build-failed).
  const monitoring = fail('flux-system', 'monitoring', {
    path: './clusters/staging/monitoring',
    reason: 'ArtifactFailed',
    message:
      'kustomization path not found: stat /tmp/kustomization-2837465123/clusters/staging/monitoring: no such file or directory',
    reconciling: `Fetching manifests for revision ${revision} with a timeout of 5m0s`,
    took: '312.44ms',
  });
  // 2. Dry-run rejects an unknown kind (kustomize.validation-failed).
  const observability = fail('flux-system', 'observability', {
    path: './infrastructure/observability',
    reason: 'ReconciliationFailed',
    message:
      'ServiceMonitor/observability/podinfo dry-run failed: no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"\n',
  });
  // 3. The impersonated service account may not patch Deployments (kustomize.rbac-forbidden).
  w.obj('ServiceAccount', 'team-a', 'team-a-reconciler', { labels: L, created: 60 * 24 * 30 });
  const teamA = fail('team-a', 'team-a', {
    path: './tenants/team-a',
    serviceAccountName: 'team-a-reconciler',
    targetNamespace: 'team-a',
    reason: 'ReconciliationFailed',
    message:
      'Deployment/team-a/api dry-run failed (Forbidden): deployments.apps "api" is forbidden: User "system:serviceaccount:team-a:team-a-reconciler" cannot patch resource "deployments" in API group "apps" in the namespace "team-a"\n',
  });
  // 4. A selector change on an existing Deployment (kustomize.immutable-field).
  const frontend = app(w, 'shop', 'frontend', 'ghcr.io/acme/frontend:2.13.2', 'shop', {
    port: 8080,
    replicas: 2,
    rolledOut: 60 * 24 * 4,
  });
  const shop = fail('flux-system', 'shop', {
    path: './apps/shop',
    reason: 'ReconciliationFailed',
    message:
      'Deployment/shop/frontend dry-run failed (Invalid): Deployment.apps "frontend" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app.kubernetes.io/name":"frontend", "app.kubernetes.io/part-of":"shop"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n',
    applies: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, frontend.dep],
    lastApplied: prev,
    observedGeneration: 1,
    created: 60 * 24 * 30,
  });
  // 5. A SOPS-encrypted Secret and no decryption configured (kustomize.decryption-failed).
  const payments = fail('flux-system', 'payments', {
    path: './apps/payments',
    reason: 'ReconciliationFailed',
    message:
      'Secret/payments/db-credentials is SOPS encrypted, configuring decryption is required for this secret to be reconciled',
  });
  // 6. postBuild.substituteFrom names a ConfigMap that does not exist (kustomize.substitution-failed).
  configMap(
    w,
    'flux-system',
    'cluster-info',
    { CLUSTER_NAME: 'prod-eu-1', CLUSTER_REGION: 'eu-west-1' },
    { labels: L },
  );
  const tenants = fail('flux-system', 'tenants', {
    path: './tenants/portal',
    postBuild: {
      substituteFrom: [
        { kind: 'ConfigMap', name: 'cluster-info' },
        { kind: 'ConfigMap', name: 'cluster-vars' },
      ],
    },
    reason: 'BuildFailed',
    message:
      "post build failed for 'Deployment.v1.apps/tenant-portal': substitute from 'ConfigMap/cluster-vars' error: configmaps \"cluster-vars\" not found",
    reconciling: `Building manifests for revision ${revision} with a timeout of 5m0s`,
  });

  fluxSystemKs(w, base, [monitoring, observability, teamA, shop, payments, tenants]);

  const dir = `${OUT}/kustomize`;
  w.write(dir);
  const one = (code, name, ns = 'flux-system') => ({
    code,
    severity: 'error',
    rootCause: `Kustomization/${ns}/${name}`,
    affected: [],
  });
  writeExpected(dir, [
    one('kustomize.build-failed', 'monitoring'),
    one('kustomize.decryption-failed', 'payments'),
    one('kustomize.immutable-field', 'shop'),
    one('kustomize.substitution-failed', 'tenants'),
    one('kustomize.validation-failed', 'observability'),
    one('kustomize.rbac-forbidden', 'team-a', 'team-a'),
  ]);
}
