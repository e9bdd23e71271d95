// source.secret-missing: a Secret named by secretRef, certSecretRef, proxySecretRef or
// verify.secretRef does not exist, or lacks the keys the source needs.

import { changeInGit, titled } from '../render/advice.js';
import type { Evidence, K8sObject } from '../types.js';
import {
  ALL_SOURCE_KINDS,
  conditionFirst,
  createSecretCommand,
  dataKeys,
  isFailing,
  missingKeys,
  resolveSecretName,
  SECRET_KEYS_MISSING,
  SECRET_NOT_FOUND,
  type SecretUse,
  secretUses,
  uniqueEvidence,
} from './source-common.js';
import type { RawFinding, Rule } from './types.js';
import { conditionEvidence, describeCmd, readyCondition, reconcileCmd, show } from './util.js';

interface Problem {
  use: SecretUse;
  /** Absent, or present without these keys. */
  missing: 'secret' | string[];
  /** The controller said so (rather than fluxdoctor inferring it from what it read). */
  confirmed: boolean;
}

const editCmd = (o: K8sObject) => describeCmd(o).replace(/^kubectl describe /, 'kubectl edit ');

const describeUse = (u: SecretUse, obj: K8sObject) =>
  u.owner === obj || (u.owner.kind === obj.kind && u.owner.metadata.name === obj.metadata.name)
    ? `${u.field}`
    : `${u.field} of ${show(u.owner)}`;

export const rule: Rule = {
  meta: {
    code: 'source.secret-missing',
    severity: 'error',
    title: 'A Secret referenced by a source does not exist or lacks keys',
    kinds: ALL_SOURCE_KINDS,
    overrides: ['source.auth', 'source.tls', 'source.verification-failed', 'image.scan-failed'],
    docs: {
      description:
        "A source (GitRepository, OCIRepository, HelmRepository, Bucket, HelmChart or ImageRepository) names a Secret in `spec.secretRef`, `spec.certSecretRef`, `spec.proxySecretRef` or `spec.verify.secretRef` that does not exist in the source's namespace, or that exists without the keys the controller needs (for example `identity` and `known_hosts` for a Git SSH URL, `accesskey`/`secretkey` for a generic Bucket, `address` for a proxy Secret, `ca.crt` or `tls.crt`+`tls.key` for a TLS Secret). The controller stops before it contacts the remote and retries with backoff. The source is the root cause; the Secret is what must be created or fixed.",
      detection: [
        'The source is failing (Ready=False) and either:',
        '- its failing condition (`FetchFailed`/`Ready`, reason `AuthenticationFailed`; `SourceVerified`=False, reason `VerificationError` for verification keys; image-reflector-controller `Ready`=False, reason `AuthenticationFailed`) says the Secret was not found: `failed to get secret \'<ns>/<name>\': secrets "<name>" not found`, `failed to get authentication secret …`, `failed to get TLS config: secret \'<ns>/<name>\' not found`, `failed to get proxy URL: secret … not found`, `public keys secret error: secrets "<name>" not found`, `failed to configure authentication options: secrets "<name>" not found`;',
        "- or it says a key is missing: `invalid 'ssh' auth option: 'identity' is required`, `'known_hosts' is required`, `secret '<ns>/<name>': malformed basic auth - has 'username' but missing 'password'`, `secret '<ns>/<name>': key 'address' not found`, `secret '<ns>/<name>' must contain either 'ca.crt' or both 'tls.crt' and 'tls.key'`, `invalid '<name>' secret data: required fields 'accesskey' and 'secretkey'`, `'trustpolicy.json' not found in secret …`;",
        '- or Secrets were read and the referenced Secret is not among them, or its key names (never its values) show a required key is missing.',
        'For a HelmChart, the Secrets of its HelmRepository count too (an OCI HelmRepository has no status of its own, so its Secret problems show on the HelmChart). This code overrides `source.auth`, `source.tls`, `source.verification-failed` and `image.scan-failed` on the same object, because source-controller reports a missing Secret with the reason `AuthenticationFailed`.',
      ].join('\n'),
      fix: [
        '- Create the Secret in the namespace of the object that references it, with the keys its kind needs:',
        '  - Git over HTTPS: `flux create secret git <secret> -n <namespace> --url=<url> --username=<username> --password=<token>`',
        '  - Git over SSH: `flux create secret git <secret> -n <namespace> --url=ssh://git@<host>/<org>/<repo> --private-key-file=./identity` (adds `known_hosts`), then register `identity.pub` as a deploy key',
        '  - Helm repository: `flux create secret helm <secret> -n <namespace> --username=<username> --password=<password>`',
        '  - OCI registry (OCIRepository, OCI HelmRepository, ImageRepository): `flux create secret oci <secret> -n <namespace> --url=<registry> --username=<username> --password=<token>`',
        '  - Bucket (generic/S3): `kubectl create secret generic <secret> -n <namespace> --from-literal=accesskey=<access-key> --from-literal=secretkey=<secret-key>`',
        '  - TLS (`certSecretRef`): `flux create secret tls <secret> -n <namespace> --ca-crt-file=./ca.crt`',
        '  - Proxy (`proxySecretRef`): `flux create secret proxy <secret> -n <namespace> --address=http://<proxy>:<port>`',
        '  - Verification (`verify.secretRef`): cosign public keys (`*.pub`), `flux create secret notation …`, or PGP (`*.asc`) / SSH (`*.sshpub`) keys for Git.',
        '- Or fix the name in the reference if the Secret exists under another name.',
        '- If the Secret is managed by SOPS, External Secrets or Sealed Secrets, check why that tool did not create it.',
        '- Then reconcile the source.',
      ].join('\n'),
      commands: [
        'kubectl get secret <secret> -n <namespace>',
        "kubectl get secret <secret> -n <namespace> -o jsonpath='{.data}' | jq 'keys'",
        'flux get sources all -A --status-selector ready=false',
        'flux reconcile source git <name> -n <namespace>',
      ],
      examples: [
        {
          message:
            "failed to get secret 'flux-system/git-creds': failed to get secret 'flux-system/git-creds': secrets \"git-creds\" not found",
          source: 'fluxcd/source-controller internal/controller/gitrepository_controller.go getAuthOpts',
        },
        {
          message: 'failed to get authentication secret \'flux-system/helm-creds\': secrets "helm-creds" not found',
          source: 'fluxcd/source-controller internal/helm/getter/client_opts.go configureAuthentication',
        },
        {
          message: "failed to configure authentication options: invalid 'ssh' auth option: 'known_hosts' is required",
          source: 'fluxcd/pkg git/options.go Validate, wrapped by source-controller getAuthOpts',
        },
        {
          message: 'failed to configure authentication options: secrets "regcred" not found',
          source: 'fluxcd/image-reflector-controller internal/controller/imagerepository_controller.go',
        },
      ],
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const uses = secretUses(obj, graph);
    const problems: Problem[] = [];
    const seen = new Set<string>();
    const add = (p: Problem) => {
      const k = `${p.use.ref.namespace}/${p.use.ref.name}`;
      if (seen.has(k)) return;
      seen.add(k);
      problems.push(p);
    };

    // 1. The controller says a Secret was not found.
    const notFound = conditionFirst(obj, graph, { patterns: SECRET_NOT_FOUND });
    for (const s of notFound) {
      for (const re of SECRET_NOT_FOUND) {
        const m = re.exec(s.text);
        if (m?.[1]) add({ use: resolveSecretName(m[1], obj, uses), missing: 'secret', confirmed: true });
      }
    }
    // 2. The controller says a key is missing.
    const keySignals = conditionFirst(obj, graph, { patterns: SECRET_KEYS_MISSING, exclude: SECRET_NOT_FOUND });
    for (const s of keySignals) {
      const named = SECRET_KEYS_MISSING.map((re) => re.exec(s.text)?.[1]).find((x) => !!x);
      const keyName =
        /'(identity|known_hosts|password|username|address|accesskey|secretkey|serviceaccount|trustpolicy\.json|trusted_root\.json)'/.exec(
          s.text,
        )?.[1];
      const use = named
        ? resolveSecretName(named, obj, uses)
        : (uses.find((u) => u.field === 'spec.secretRef') ?? uses[0]);
      if (use) add({ use, missing: keyName ? [keyName] : ['required keys'], confirmed: true });
    }
    for (const u of uses) {
      if (!graph.kindRead('Secret', u.ref.namespace)) continue;
      const sec = graph.get(u.ref);
      if (!sec) add({ use: u, missing: 'secret', confirmed: false });
      else {
        const lack = missingKeys(u, sec);
        if (lack.length > 0) add({ use: u, missing: lack, confirmed: false });
      }
    }
    if (problems.length === 0) return undefined;

    const primary = problems[0]!;
    const sec = primary.use.ref;
    const secShow = show(sec);
    const where = describeUse(primary.use, obj);
    const exists = graph.kindRead('Secret', sec.namespace) && graph.has(sec);
    let summary: string;
    if (primary.missing === 'secret') {
      summary = exists
        ? `${show(obj)} could not read ${secShow} (${where}) when it last reconciled; the Secret exists now, so a reconcile should pick it up`
        : `${show(obj)} references ${secShow} (${where}), which does not exist`;
    } else {
      summary = `${show(obj)} references ${secShow} (${where}), which lacks the key(s) ${primary.missing.join(', ')}`;
      const present = dataKeys(graph.get(sec));
      if (present.length > 0) summary += ` (it has: ${present.join(', ')})`;
    }
    if (problems.length > 1) {
      summary += `; also ${problems
        .slice(1)
        .map((p) => `${show(p.use.ref)} (${p.missing === 'secret' ? 'missing' : `lacks ${p.missing.join(', ')}`})`)
        .join(', ')}`;
    }

    const evidence: Evidence[] = uniqueEvidence([...notFound, ...keySignals]);
    for (const p of problems) {
      if (p.confirmed) continue;
      evidence.push({
        kind: 'missing',
        object: `Secret/${p.use.ref.namespace}/${p.use.ref.name}`,
        text:
          p.missing === 'secret'
            ? `${show(p.use.ref)} named in ${describeUse(p.use, obj)} is not among the Secrets read`
            : `${show(p.use.ref)} has keys [${dataKeys(graph.get(p.use.ref)).join(', ')}], missing ${p.missing.join(', ')}`,
      });
    }
    if (!evidence.some((e) => e.kind === 'condition')) {
      const ready = readyCondition(obj);
      if (ready) evidence.push(conditionEvidence(obj, ready));
    }

    const remediation: string[] = [];
    for (const p of problems) {
      const verb = p.missing === 'secret' ? 'Create' : `Re-create (adding ${p.missing.join(', ')})`;
      remediation.push(...titled(`${verb} ${show(p.use.ref)}`, createSecretCommand(p.use)));
    }
    remediation.push(
      ...changeInGit(graph, primary.use.owner, `set ${primary.use.field}.name of ${show(primary.use.owner)} to it`, {
        inPlace: editCmd(primary.use.owner),
        when: 'or, if the Secret exists under another name',
      }),
    );
    if (primary.use.owner !== obj && primary.use.owner.kind !== obj.kind)
      remediation.push(reconcileCmd(primary.use.owner));
    remediation.push(reconcileCmd(obj));

    const finding: RawFinding = { summary, evidence: evidence.slice(0, 6), remediation, fixTarget: sec };
    // A HelmChart that cannot use its HelmRepository's Secret: when that HelmRepository fails too,
    // it is the root cause (an OCI HelmRepository has no status, so then the chart is reported).
    if (obj.kind === 'HelmChart' && primary.use.owner.kind === 'HelmRepository') finding.explainedBy = ['source'];
    return finding;
  },
};
