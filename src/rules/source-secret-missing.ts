// source.secret-missing: a Secret named by secretRef, certSecretRef, proxySecretRef or
// verify.secretRef does not exist, or lacks the keys the source needs. Structural first (the
// reference edges of the kind table, with the keys each use needs, via missingReferences), then what
// the controller said (the catalogue: src/signals/patterns/source-controller.ts, go-git.ts,
// image-reflector-controller.ts).

import { whereToChange } from '../render/advice.js';
import { nsArg, shq, shqOr } from '../render/shell.js';
import {
  chartSourceRef,
  clip,
  dataKeys,
  evidenceOf,
  missingReferences,
  remoteHost,
  show,
  showsFailure,
  signalFor,
  urlOf,
} from '../signals/index.js';
import type { Evidence, K8sObject, ObjRef } from '../types.js';
import type { MessageTemplate, RawFinding, Rule } from './types.js';
import { conditionEvidence, readyCondition, reconcileCmd } from './util.js';

export interface SecretUse {
  /** The Secret. */
  ref: ObjRef;
  /** The field that names it, e.g. `spec.secretRef`. */
  field: string;
  /** The object whose field it is (a HelmChart's HelmRepository, or the object itself). */
  owner: K8sObject;
}

/** The objects whose Secrets count: the object, and a HelmChart's HelmRepository (an OCI one has no status of its own). */
function owners(obj: K8sObject, graph: K8sGraph): K8sObject[] {
  const out = [obj];
  if (obj.kind === 'HelmChart') {
    const ref = chartSourceRef(obj, graph);
    const src = ref ? graph.get(ref) : undefined;
    if (src?.kind === 'HelmRepository') out.push(src);
  }
  return out;
}

type K8sGraph = Parameters<Rule['check']>[1]['graph'];

/** A missing-Secret problem: absent, present without keys, or unusable as the controller said. */
interface Problem {
  use: SecretUse;
  missing: 'secret' | 'keys' | 'unusable';
  keys: string[];
  /** The controller said so (rather than fluxdoctor inferring it from what it read). */
  confirmed: boolean;
}

/** A TLS Secret needs a CA or a client pair (source-controller@v1.9.3 via fluxcd/pkg/runtime/secrets). */
function certKeysMissing(secret: K8sObject): string[] {
  const keys = new Set(dataKeys(secret));
  const ca = keys.has('ca.crt') || keys.has('caFile');
  const pair = (keys.has('tls.crt') || keys.has('certFile')) && (keys.has('tls.key') || keys.has('keyFile'));
  return ca || pair ? [] : ['ca.crt (or tls.crt and tls.key)'];
}

/** The Secret a message names (`ns/name` or `name`), resolved against the Secrets the object uses. */
function resolve(name: string | undefined, obj: K8sObject, uses: SecretUse[]): SecretUse | undefined {
  if (!name) return uses.find((u) => u.field === 'spec.secretRef') ?? uses[0];
  const bare = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  const nsPart = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
  return (
    uses.find((u) => u.ref.name === bare && (!nsPart || u.ref.namespace === nsPart)) ?? {
      ref: { kind: 'Secret', namespace: nsPart || obj.metadata.namespace, name: bare },
      field: 'a Secret it uses',
      owner: obj,
    }
  );
}

/** Catalogue causes whose message names the missing keys. */
const KEY_CAUSES = new Set([
  'secret-keys-missing',
  'git-auth-key-missing',
  'proxy-address-missing',
  'ssh-identity-password-missing',
  'verify-keys-missing',
]);
const KEY_OF_CAUSE: Record<string, string> = {
  'proxy-address-missing': 'address',
  'ssh-identity-password-missing': 'password',
};

const FIX = [
  '{createVerb} {secret}:',
  '{secretCmd}',
  'Also create or fix {also}',
  'Or, if the Secret exists under another name, set {field}.name of {owner} to it, in {where}',
  '{reconcileOwner}',
  '{reconcile}',
];

const MESSAGES: Record<string, MessageTemplate> = {
  'secret-not-found': {
    summary: '{object} references {secret} ({use}), which does not exist',
    remediation: FIX,
  },
  'secret-exists-now': {
    summary:
      '{object} could not read {secret} ({use}) when it last reconciled; the Secret exists now, so a reconcile should pick it up',
    remediation: ['{reconcileOwner}', '{reconcile}', 'If it fails again, check the name and namespace of {secret}'],
  },
  'keys-missing': {
    summary: '{object} references {secret} ({use}), which lacks the key(s) {lacking}',
    remediation: FIX,
  },
  'secret-unusable': {
    summary: '{object} cannot use {secret} ({use}): {problem}',
    remediation: FIX,
  },
};

export const rule: Rule = {
  meta: {
    code: 'source.secret-missing',
    severity: 'error',
    title: 'A Secret referenced by a source does not exist or lacks keys',
    kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'ImageRepository', 'HelmChart'],
    messages: MESSAGES,
    overrides: ['source.auth', 'source.tls', 'source.verification-failed', 'image.scan-failed'],
  },
  check(obj, { graph }) {
    // A suspended source whose condition still shows the failure is reported too (see showsFailure).
    if (!showsFailure(obj, graph)) return undefined;
    const uses: SecretUse[] = [];
    const problems: Problem[] = [];
    const seen = new Set<string>();
    const add = (p: Problem) => {
      const k = `${p.use.ref.namespace}/${p.use.ref.name}`;
      if (seen.has(k)) return;
      seen.add(k);
      problems.push(p);
    };

    // 1. What the controller said (the catalogue), first: it names the Secret it could not use.
    const owned = owners(obj, graph);
    for (const o of owned)
      for (const e of graph.out(o, 'secret')) uses.push({ ref: e.to, field: e.field ?? 'spec.secretRef', owner: o });
    const c = signalFor(obj, graph, 'source.secret-missing');
    if (c) {
      const use = resolve(c.data.secret, obj, uses);
      if (use) {
        if (c.cause === 'secret-not-found') add({ use, missing: 'secret', keys: [], confirmed: true });
        else if (KEY_CAUSES.has(c.cause) && (c.data.key || KEY_OF_CAUSE[c.cause] || c.data.detail)) {
          const named = c.data.key ?? KEY_OF_CAUSE[c.cause];
          const listed = named ? [named] : [...(c.data.detail ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]!);
          const target = graph.get(use.ref);
          const have = new Set(dataKeys(target));
          const lacking = target ? listed.filter((k) => !have.has(k)) : listed;
          add({ use, missing: 'keys', keys: lacking.length > 0 ? lacking : listed, confirmed: true });
        } else add({ use, missing: 'unusable', keys: [], confirmed: true });
      }
    }
    // 2. What was read: every Secret edge whose target is missing or lacks the keys its use needs.
    for (const o of owned) {
      for (const m of missingReferences(o, graph, ['secret'])) {
        const use: SecretUse = { ref: m.edge.to, field: m.edge.field ?? 'spec.secretRef', owner: o };
        add({ use, missing: m.missing === 'object' ? 'secret' : 'keys', keys: m.keys, confirmed: false });
      }
      for (const e of graph.out(o, 'secret')) {
        const target = e.field === 'spec.certSecretRef' ? graph.get(e.to) : undefined;
        const lack = target ? certKeysMissing(target) : [];
        if (lack.length > 0)
          add({
            use: { ref: e.to, field: e.field ?? 'spec.certSecretRef', owner: o },
            missing: 'keys',
            keys: lack,
            confirmed: false,
          });
      }
    }
    if (problems.length === 0) return undefined;

    const primary = problems[0]!;
    const sec = primary.use.ref;
    const exists = graph.kindRead('Secret', sec.namespace) && graph.has(sec);
    const cause =
      primary.missing === 'secret'
        ? exists
          ? 'secret-exists-now'
          : 'secret-not-found'
        : primary.missing === 'keys'
          ? 'keys-missing'
          : 'secret-unusable';
    const present = dataKeys(graph.get(sec));
    const owner = primary.use.owner;
    const sameAsObj = owner === obj || (owner.kind === obj.kind && owner.metadata.name === obj.metadata.name);

    const evidence: Evidence[] = c ? evidenceOf(c.signals) : [];
    for (const p of problems) {
      if (p.confirmed) continue;
      evidence.push({
        kind: 'missing',
        object: `Secret/${p.use.ref.namespace}/${p.use.ref.name}`,
        text:
          p.missing === 'secret'
            ? `${show(p.use.ref)} named in ${describeUse(p.use, obj)} is not among the Secrets read`
            : `${show(p.use.ref)} has keys [${dataKeys(graph.get(p.use.ref)).join(', ')}], missing ${p.keys.join(', ')}`,
      });
    }
    if (!evidence.some((e) => e.kind === 'condition')) {
      const ready = readyCondition(obj);
      if (ready) evidence.push(conditionEvidence(obj, ready));
    }

    const finding: RawFinding = {
      cause,
      data: {
        object: show(obj),
        secret: show(sec),
        use: describeUse(primary.use, obj),
        lacking: `${primary.keys.join(', ')}${present.length > 0 ? ` (it has: ${present.join(', ')})` : ''}`,
        keys: primary.keys.join(', '),
        problem: c ? clip(c.signal.text, 240) : undefined,
        createVerb:
          primary.missing === 'secret'
            ? 'Create'
            : `Re-create${primary.keys.length ? ` (adding ${primary.keys.join(', ')})` : ''}`,
        secretCmd: createSecretCommand(primary.use),
        also:
          problems.length > 1
            ? problems
                .slice(1)
                .map(
                  (p) =>
                    `${show(p.use.ref)} (${p.missing === 'secret' ? 'missing' : p.missing === 'keys' ? `lacks ${p.keys.join(', ')}` : 'unusable'})`,
                )
                .join(', ')
            : undefined,
        field: primary.use.field.startsWith('spec.') ? primary.use.field : undefined,
        owner: show(owner),
        where: whereToChange(graph, owner),
        reconcileOwner: !sameAsObj && owner.kind !== obj.kind ? reconcileCmd(owner) : undefined,
        reconcile: reconcileCmd(obj),
      },
      evidence: evidence.slice(0, 6),
      fixTarget: sec,
    };
    // A HelmChart that cannot use its HelmRepository's Secret: when that HelmRepository fails too,
    // it is the root cause (an OCI HelmRepository has no status, so then the chart is reported).
    if (obj.kind === 'HelmChart' && owner.kind === 'HelmRepository') finding.explainedBy = ['source'];
    return finding;
  },
};

function describeUse(u: SecretUse, obj: K8sObject): string {
  return u.owner === obj || (u.owner.kind === obj.kind && u.owner.metadata.name === obj.metadata.name)
    ? u.field
    : `${u.field} of ${show(u.owner)}`;
}

const isSSH = (url: string | undefined) => !!url && url.startsWith('ssh://');

/** The command that creates (or re-creates) the Secret a field needs. Placeholders, never values. */
export function createSecretCommand(use: SecretUse): string {
  const { ref, field, owner } = use;
  const n = `${shq(ref.name)}${nsArg(ref.namespace)}`;
  const url = urlOf(owner);
  const host = remoteHost(owner);
  const provider = owner.spec?.verify?.provider ?? owner.spec?.provider;
  if (field === 'spec.proxySecretRef') return `flux create secret proxy ${n} --address=http://<proxy-host>:<port>`;
  if (field === 'spec.certSecretRef') return `flux create secret tls ${n} --ca-crt-file=./ca.crt`;
  if (field === 'spec.verify.secretRef') {
    if (owner.kind === 'GitRepository')
      return `kubectl create secret generic ${n} --from-file=author.asc=./author.asc  # PGP public keys end in .asc, SSH public keys in .sshpub`;
    if (provider === 'notation')
      return `flux create secret notation ${n} --trust-policy-file=./trustpolicy.json --ca-cert-file=./ca.crt`;
    return `kubectl create secret generic ${n} --from-file=cosign.pub=./cosign.pub`;
  }
  switch (owner.kind) {
    case 'GitRepository':
      if (owner.spec?.provider === 'github')
        return `flux create secret githubapp ${n} --app-id=<app-id> --app-installation-id=<installation-id> --app-private-key=./app.private-key.pem`;
      if (isSSH(url))
        return `flux create secret git ${n} --url=${shqOr(url, '<url>')} --private-key-file=./identity  # scans the host key into known_hosts; add identity.pub as a read-only deploy key`;
      return `flux create secret git ${n} --url=${shqOr(url, '<url>')} --username=<username> --password=<token>`;
    case 'HelmRepository':
      if (owner.spec?.type === 'oci')
        return `flux create secret oci ${n} --url=${shqOr(host, '<registry>')} --username=<username> --password=<token>`;
      return `flux create secret helm ${n} --username=<username> --password=<password>`;
    case 'OCIRepository':
    case 'ImageRepository':
      return `flux create secret oci ${n} --url=${shqOr(host, '<registry>')} --username=<username> --password=<token>`;
    case 'Bucket':
      if (owner.spec?.provider === 'gcp')
        return `kubectl create secret generic ${n} --from-file=serviceaccount=./service-account.json`;
      if (owner.spec?.provider === 'azure')
        return `kubectl create secret generic ${n} --from-literal=accountKey=<account-key>`;
      return `kubectl create secret generic ${n} --from-literal=accesskey=<access-key> --from-literal=secretkey=<secret-key>`;
    default:
      return `kubectl create secret generic ${n} --from-literal=<key>=<value>`;
  }
}
