// Shared pieces of the source.* rules: the controller message patterns, condition-first signal
// matching, what a source fetches from (URL, host, ref), the Secrets it references and the command
// that creates each kind of Secret. Every pattern here is quoted, with its origin, in the tests
// under test/rules/source-*.test.ts.

import type { Graph } from '../graph/graph.js';
import { nsArg, shq, shqOr } from '../render/shell.js';
import type { K8sObject, ObjRef } from '../types.js';
import { evidenceOf, failureSignals, hostOf, type MatchSpec, matchSignals, type Signal } from './util.js';

/** Kinds that fetch from a remote (HelmChart only when its source is a HelmRepository). */
export const FETCHING_KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'ImageRepository'];
export const ALL_SOURCE_KINDS = [...FETCHING_KINDS, 'HelmChart'];

// ---------- message patterns ----------

/**
 * A Secret that could not be read because it does not exist. Kubernetes' NotFound error
 * (`secrets "name" not found`) wrapped by the controllers, and fluxcd/pkg runtime/secrets'
 * own `secret 'ns/name' not found`.
 */
export const SECRET_NOT_FOUND: RegExp[] = [/secrets? \\?"([^"\\]+)\\?" not found/, /secret '([^']+)' not found/];

/** A Secret exists but lacks the keys the source needs (messages of source-controller, fluxcd/pkg and image-reflector-controller). */
export const SECRET_KEYS_MISSING: RegExp[] = [
  /invalid '(?:ssh|https?)' auth option: '(?:identity|known_hosts|host)' is required/,
  /invalid '(?:https?)' auth option: 'password' requires 'username' to be set/,
  /SSH identity key is encrypted but no 'password' field was provided in the secret '([^']+)'/,
  /secret '([^']+)': malformed basic auth - has '[^']+' but missing '[^']+'/,
  /secret '([^']+)': key '[^']+' not found/,
  /secret '([^']+)' must contain either 'ca\.crt' or both 'tls\.crt' and 'tls\.key'/,
  /secret '([^']+)' contains '[^']+' but missing '[^']+'/,
  /secret '([^']+)': proxy address is empty/,
  /invalid '([^']+)' secret data(?: for '[^']+' STS provider)?: require/,
  /'[\w.]+' not found in secret '([^']+)'/,
  /no certificates found in secret '([^']+)'/,
  /secret '([^']+)' must contain exactly one of/,
  /secretRef with github app data must be specified/,
];

/** Certificate verification failures (Go crypto/tls and crypto/x509 errors) and unusable CA data. */
export const TLS_PATTERNS: RegExp[] = [
  /x509: /,
  /tls: failed to verify certificate/,
  /certificate signed by unknown authority/,
  /certificate has expired or is not yet valid/,
  /certificate is (?:valid for|not valid for any names)/,
  /remote error: tls: /,
  /tls: (?:bad certificate|unknown certificate authority|certificate required)/,
  /failed to parse CA certificate/,
  /first record does not look like a TLS handshake/,
];

/** The remote could not be reached: DNS, TCP, timeouts, proxies, gateways. */
export const UNREACHABLE_PATTERNS: RegExp[] = [
  /no such host/,
  /server misbehaving/,
  /connection refused/,
  /i\/o timeout/,
  /connection timed out/,
  /context deadline exceeded/,
  /Client\.Timeout exceeded/,
  /TLS handshake timeout/,
  /timeout awaiting response headers/,
  /network is unreachable/,
  /no route to host/,
  /connection reset by peer/,
  /proxyconnect tcp/,
  /socks connect/,
  /dial tcp/,
  /\b(?:502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)\b/,
];

/** The remote rejected the credentials, or demanded some. */
export const AUTH_PATTERNS: RegExp[] = [
  /authentication required/i,
  /authorization failed/,
  /unable to authenticate, attempted methods/,
  /no supported methods remain/,
  /Permission denied \(publickey/,
  /knownhosts: key (?:mismatch|is unknown)/,
  /\b401 Unauthorized\b/i,
  /\b403 Forbidden\b/i,
  /status code 40[13]\b/,
  /\bUNAUTHORIZED\b/,
  /\bDENIED\b/,
  /incorrect username or password/i,
  /invalid username or password/i,
  /repository not found/,
  /Access Denied/i,
  /AccessDenied/,
  /InvalidAccessKeyId|Access Key Id you provided does not exist/,
  /SignatureDoesNotMatch|request signature we calculated does not match/,
  /caller might lack sufficient permissions/,
  /failed to authenticate with the Helm repository/,
  /failed to get credential from/,
];

/** Proxy configuration problems that source-controller reports with the AuthenticationFailed reason. */
export const PROXY_CONFIG: RegExp[] = [/failed to (?:configure proxy options|get proxy (?:URL|address))/];

/** A referenced branch, tag, semver range, commit or OCI tag does not exist. */
export const REF_PATTERNS: RegExp[] = [
  /couldn't find remote ref/,
  /no match found for semver/,
  /unable to resolve commit object for '[^']+': object not found/,
  /unable to resolve ref '[^']+' to a specific commit/,
  /MANIFEST_UNKNOWN/,
  /manifest unknown/,
  /NAME_UNKNOWN/,
];

// ---------- signals ----------

/** The object's last reconcile failed (Ready=False or Stalled=True), not suspended or progressing. */
export function isFailing(obj: K8sObject, graph: Graph): boolean {
  return graph.health(obj).state === 'Failed';
}

const NOT_CONDITION = new Set(['event', 'log']);

/**
 * Match signals condition-first: when the object's conditions carry a failure message, only they
 * decide (a stale Warning event of an older failure must not produce a second finding); events and
 * log lines that match too are kept as extra evidence. Without a condition message, events and
 * logs decide.
 */
export function conditionFirst(obj: K8sObject, graph: Graph, spec: MatchSpec): Signal[] {
  const hasConditionText = failureSignals(obj, graph).some((s) => !NOT_CONDITION.has(s.from) && s.text.trim() !== '');
  const matches = matchSignals(obj, graph, spec);
  if (!hasConditionText) return matches;
  const fromConditions = matches.filter((s) => !NOT_CONDITION.has(s.from));
  if (fromConditions.length === 0) return [];
  return [...fromConditions, ...matches.filter((s) => NOT_CONDITION.has(s.from))];
}

/** The first signal text that matches one of the patterns. */
export function firstMatch(signals: Signal[], patterns: RegExp[]): RegExpExecArray | undefined {
  for (const s of signals) {
    for (const re of patterns) {
      const m = re.exec(s.text);
      if (m) return m;
    }
  }
  return undefined;
}

/** Evidence from signals, without repeating the same message (Ready copies FetchFailed's text). */
export function uniqueEvidence(signals: Signal[], max = 4) {
  const seen = new Set<string>();
  return evidenceOf(
    signals.filter((s) => {
      const k = s.text.trim();
      if (k === '' || !seen.has(k)) {
        seen.add(k);
        return true;
      }
      return false;
    }),
    max,
  );
}

export const anyMatch = (signals: Signal[], patterns: RegExp[]): boolean => firstMatch(signals, patterns) !== undefined;

// ---------- what a source fetches from ----------

/** The HelmRepository (or other source) a HelmChart builds from, when it was read. */
export function chartSource(chart: K8sObject, graph: Graph): K8sObject | undefined {
  const e = graph.out(chart, 'source')[0];
  return e ? graph.get(e.to) : undefined;
}

export function chartSourceRef(chart: K8sObject, graph: Graph): ObjRef | undefined {
  return graph.out(chart, 'source')[0]?.to;
}

/** The object whose URL is fetched: the object itself, or a HelmChart's HelmRepository. */
export function fetcherOf(obj: K8sObject, graph: Graph): K8sObject {
  if (obj.kind !== 'HelmChart') return obj;
  const src = chartSource(obj, graph);
  return src?.kind === 'HelmRepository' ? src : obj;
}

/** A printable address of what the object fetches. */
export function urlOf(obj: K8sObject): string | undefined {
  const s = obj.spec ?? {};
  switch (obj.kind) {
    case 'Bucket':
      return s.endpoint ? `${s.endpoint}${s.bucketName ? `/${s.bucketName}` : ''}` : s.bucketName;
    case 'ImageRepository':
      return typeof s.image === 'string' ? s.image : undefined;
    default:
      return typeof s.url === 'string' ? s.url : undefined;
  }
}

/** The host the object talks to. */
export function remoteHost(obj: K8sObject): string | undefined {
  const s = obj.spec ?? {};
  if (obj.kind === 'Bucket' && typeof s.endpoint === 'string') {
    return hostOf(s.endpoint.includes('://') ? s.endpoint : `https://${s.endpoint}`);
  }
  if (obj.kind === 'ImageRepository' && typeof s.image === 'string') {
    const first = s.image.split('/')[0]!;
    return s.image.includes('/') && /[.:]|^localhost$/.test(first) ? first.replace(/:\d+$/, '') : 'docker.io';
  }
  return hostOf(urlOf(obj));
}

/** `host` from the message when it names one (lookup X, dial tcp X:port, Get "https://X/..."). */
export function hostInMessage(text: string): string | undefined {
  const m =
    /lookup ([\w.-]+)(?: on [^:]+:\d+)?: /.exec(text) ??
    /(?:Get|GET|HEAD|Head|POST|Post) "?https?:\/\/([\w.-]+)/.exec(text) ??
    /dial tcp ([\w.-]+):\d+/.exec(text);
  return m?.[1];
}

/** The reference a GitRepository or OCIRepository asks for, in words. */
export function describeRef(obj: K8sObject): { what: string; value: string; field: string } | undefined {
  const ref = obj.spec?.ref ?? {};
  if (obj.kind === 'GitRepository') {
    if (ref.commit) return { what: 'commit', value: ref.commit, field: 'spec.ref.commit' };
    if (ref.name) return { what: 'ref', value: ref.name, field: 'spec.ref.name' };
    if (ref.semver) return { what: 'semver range', value: ref.semver, field: 'spec.ref.semver' };
    if (ref.tag) return { what: 'tag', value: ref.tag, field: 'spec.ref.tag' };
    if (ref.branch) return { what: 'branch', value: ref.branch, field: 'spec.ref.branch' };
    return { what: 'branch', value: 'master', field: 'spec.ref.branch (not set: the default branch master is used)' };
  }
  if (obj.kind === 'OCIRepository') {
    if (ref.digest) return { what: 'digest', value: ref.digest, field: 'spec.ref.digest' };
    if (ref.semver) return { what: 'semver range', value: ref.semver, field: 'spec.ref.semver' };
    if (ref.tag) return { what: 'tag', value: ref.tag, field: 'spec.ref.tag' };
    return { what: 'tag', value: 'latest', field: 'spec.ref.tag (not set: the tag latest is used)' };
  }
  return undefined;
}

/** Is the object configured for cloud workload identity (spec.provider other than generic)? */
export function usesProvider(obj: K8sObject): string | undefined {
  const p = obj.spec?.provider;
  return typeof p === 'string' && p !== '' && p !== 'generic' ? p : undefined;
}

// ---------- Secrets a source references ----------

export interface SecretUse {
  /** The Secret. */
  ref: ObjRef;
  /** The field that names it, e.g. `spec.secretRef`. */
  field: string;
  /** The object whose field it is (a HelmChart's HelmRepository, or the object itself). */
  owner: K8sObject;
}

/** The Secrets an object uses, including, for a HelmChart, those of its HelmRepository. */
export function secretUses(obj: K8sObject, graph: Graph): SecretUse[] {
  const out: SecretUse[] = [];
  const add = (o: K8sObject) => {
    for (const e of graph.out(o, 'secret')) out.push({ ref: e.to, field: e.field ?? 'secretRef', owner: o });
  };
  add(obj);
  if (obj.kind === 'HelmChart') {
    const src = chartSource(obj, graph);
    if (src?.kind === 'HelmRepository') add(src);
  }
  return out;
}

/** The Secret a message names: `ns/name` or `name`, resolved against the Secrets the object uses. */
export function resolveSecretName(name: string, obj: K8sObject, uses: SecretUse[]): SecretUse {
  const bare = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  const nsPart = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
  const found = uses.find((u) => u.ref.name === bare && (!nsPart || u.ref.namespace === nsPart));
  if (found) return found;
  return {
    ref: { kind: 'Secret', namespace: nsPart || obj.metadata.namespace, name: bare },
    field: 'a Secret it uses',
    owner: obj,
  };
}

export function dataKeys(o: K8sObject | undefined): string[] {
  return Array.isArray(o?.dataKeys) ? (o!.dataKeys as string[]) : [];
}

const isSSH = (url: string | undefined) => !!url && url.startsWith('ssh://');

/**
 * The keys a referenced Secret lacks, when that can be told from key names alone. Only cases the
 * controllers reject outright: SSH without identity/known_hosts, a proxy Secret without address,
 * a TLS Secret with no CA and no client pair, a generic Bucket Secret without accesskey/secretkey.
 */
export function missingKeys(use: SecretUse, secret: K8sObject): string[] {
  const keys = new Set(dataKeys(secret));
  const has = (k: string) => keys.has(k);
  const o = use.owner;
  switch (use.field) {
    case 'spec.proxySecretRef':
      return has('address') ? [] : ['address'];
    case 'spec.certSecretRef': {
      const ca = has('ca.crt') || has('caFile');
      const pair = (has('tls.crt') || has('certFile')) && (has('tls.key') || has('keyFile'));
      return ca || pair ? [] : ['ca.crt (or tls.crt and tls.key)'];
    }
    case 'spec.secretRef': {
      if (o.kind === 'GitRepository' && isSSH(o.spec?.url)) {
        return ['identity', 'known_hosts'].filter((k) => !has(k));
      }
      if (o.kind === 'Bucket' && (!o.spec?.provider || o.spec.provider === 'generic')) {
        return ['accesskey', 'secretkey'].filter((k) => !has(k));
      }
      return [];
    }
    default:
      return [];
  }
}

// ---------- commands ----------

const nsFlag = (ns: string | undefined) => nsArg(ns);

/** The command that creates (or re-creates) the Secret a field needs. Placeholders, never values. */
export function createSecretCommand(use: SecretUse): string {
  const { ref, field, owner } = use;
  const n = `${shq(ref.name)}${nsFlag(ref.namespace)}`;
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
