// source.tls: certificate verification failed (unknown CA, expired, wrong host), or the CA data the
// source was given cannot be used.

import { changeInGit, titled } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import type { K8sObject, ObjRef } from '../types.js';
import {
  ALL_SOURCE_KINDS,
  conditionFirst,
  fetcherOf,
  firstMatch,
  hostInMessage,
  isFailing,
  remoteHost,
  SECRET_NOT_FOUND,
  TLS_PATTERNS,
  uniqueEvidence,
  urlOf,
} from './source-common.js';
import type { RawFinding, Rule } from './types.js';
import { describeCmd, reconcileCmd, show } from './util.js';

const UNKNOWN_CA = [/unknown authority/, /unknown certificate authority/];
const EXPIRED = [/certificate has expired or is not yet valid/];
const HOSTNAME = [/certificate is (?:valid for|not valid for any names)/, /legacy Common Name field/];
const BAD_CA_DATA = [/failed to parse CA certificate/];
const NOT_TLS = [/first record does not look like a TLS handshake/];
const CLIENT_CERT = [/remote error: tls: /, /tls: (?:bad certificate|certificate required)/];

/** Where a source's CA/client certificates live: certSecretRef, or (Git) the secretRef. */
function tlsSecret(o: K8sObject): { ref: ObjRef; field: string } | undefined {
  const ns = o.metadata.namespace;
  if (o.spec?.certSecretRef?.name)
    return { ref: { kind: 'Secret', namespace: ns, name: o.spec.certSecretRef.name }, field: 'spec.certSecretRef' };
  if (o.kind === 'GitRepository' && o.spec?.secretRef?.name)
    return { ref: { kind: 'Secret', namespace: ns, name: o.spec.secretRef.name }, field: 'spec.secretRef' };
  return undefined;
}

/** The port of the TLS endpoint: from the URL in the message, else the object's URL; 443 by default. */
function tlsPort(text: string, url: string): string {
  const re = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(?:\[[^\]]+\]|[^:/?#]+):(\d+)/i;
  const inText = /https?:\/\/(?:\[[^\]]+\]|[\w.-]+):(\d+)/.exec(text);
  return inText?.[1] ?? re.exec(url)?.[1] ?? '443';
}

export const rule: Rule = {
  meta: {
    code: 'source.tls',
    severity: 'error',
    title: 'Certificate verification failed',
    kinds: ALL_SOURCE_KINDS,
    overrides: ['image.scan-failed', 'source.auth'],
    docs: {
      description:
        "The TLS handshake with the source's remote failed: the server certificate is signed by a CA the controller does not trust (a private or corporate CA, or a TLS-intercepting proxy), it has expired, it does not name the host in the URL, the server rejected the client certificate (mTLS), or the CA data given to the source cannot be parsed. No data was fetched; the controller retries with backoff.",
      detection: [
        'The source is failing (Ready=False) and its failing condition message contains a Go crypto/tls or crypto/x509 error: `x509: certificate signed by unknown authority`, `tls: failed to verify certificate: …`, `x509: certificate has expired or is not yet valid`, `x509: certificate is valid for <names>, not <host>`, `remote error: tls: bad certificate`, `failed to parse CA certificate`, or `first record does not look like a TLS handshake` (TLS spoken to a plain HTTP port).',
        "source-controller reports some of these with the reason `AuthenticationFailed` (HelmChart `failed to authenticate with the Helm repository: … tls …`, `failed to construct Helm client's TLS config: failed to parse CA certificate`), so this code overrides `source.auth` on the same object. A HelmChart finding is explained by its HelmRepository when that is failing too.",
      ].join('\n'),
      fix: [
        '- **Unknown authority**: give the source the CA bundle that signed the server certificate: `flux create secret tls <secret> -n <namespace> --ca-crt-file=./ca.crt` and set `spec.certSecretRef.name` (HelmRepository, OCIRepository, Bucket, ImageRepository); for a GitRepository add `ca.crt` to the Secret in `spec.secretRef` (`flux create secret git … --ca-crt-file=./ca.crt`).',
        '- **Expired**: renew the server certificate (or the client certificate in the Secret).',
        '- **Wrong host**: use the host name the certificate is issued for in the URL, or reissue the certificate with that name in its SANs.',
        '- **Bad CA data**: the `ca.crt` in the Secret is not PEM; re-create it from the PEM file.',
        '- **Client certificate rejected** (mTLS): put a valid `tls.crt`/`tls.key` pair in the TLS Secret.',
        '- **Not a TLS handshake**: the URL says https but the port speaks plain HTTP (or vice versa).',
      ].join('\n'),
      commands: [
        'openssl s_client -connect <host>:443 -servername <host> -showcerts </dev/null',
        "kubectl get secret <secret> -n <namespace> -o jsonpath='{.data.ca\\.crt}' | base64 -d | openssl x509 -noout -subject -issuer -enddate",
        'flux reconcile source helm <name> -n <namespace>',
      ],
      examples: [
        {
          message:
            'failed to determine artifact digest: Get "https://harbor.tanzu.com/v2/": x509: certificate signed by unknown authority; Get "https://harbor.tanzu.com/v2/": x509: certificate signed by unknown authority',
          source: 'https://github.com/fluxcd/source-controller/issues/1673',
        },
        {
          message: "failed to construct Helm client's TLS config: failed to parse CA certificate",
          source: 'fluxcd/source-controller internal/controller/helmrepository_controller_test.go',
        },
      ],
    },
  },
  check(obj, { graph }) {
    if (!isFailing(obj, graph)) return undefined;
    const signals = conditionFirst(obj, graph, { patterns: TLS_PATTERNS, exclude: SECRET_NOT_FOUND });
    if (signals.length === 0) return undefined;

    const fetcher = fetcherOf(obj, graph);
    const text = signals[0]!.text;
    const host = hostInMessage(text) ?? remoteHost(fetcher) ?? 'the remote';
    const url = urlOf(fetcher) ?? host;
    const subject = fetcher !== obj ? `${show(obj)} (via ${show(fetcher)})` : show(obj);
    const sec = tlsSecret(fetcher);
    const ns = fetcher.metadata.namespace;
    const nsFlag = nsArg(ns);
    const caCmd =
      fetcher.kind === 'GitRepository'
        ? `flux create secret git ${shq(sec?.ref.name ?? `${fetcher.metadata.name}-auth`)}${nsFlag} --url=${shq(url)} --ca-crt-file=./ca.crt`
        : `flux create secret tls ${shq(sec?.ref.name ?? `${fetcher.metadata.name}-tls`)}${nsFlag} --ca-crt-file=./ca.crt`;
    const steps: string[] = [];
    let why: string;
    let fixTarget: ObjRef | undefined = sec?.ref ?? { kind: fetcher.kind, namespace: ns, name: fetcher.metadata.name };

    if (firstMatch(signals, BAD_CA_DATA)) {
      why = `the CA certificate in ${sec ? show(sec.ref) : 'its TLS Secret'} cannot be parsed`;
      steps.push(...titled(`Re-create ${sec ? show(sec.ref) : 'the TLS Secret'} from the PEM-encoded CA file`, caCmd));
    } else if (firstMatch(signals, EXPIRED)) {
      why = `the certificate presented by ${host} has expired (or is not yet valid)`;
      steps.push(
        `Renew the certificate of ${host} (or the client certificate in ${sec ? show(sec.ref) : 'the TLS Secret'})`,
      );
      fixTarget = sec?.ref;
    } else if (firstMatch(signals, HOSTNAME)) {
      why = `the certificate of ${host} is not issued for that host name`;
      steps.push(
        ...changeInGit(graph, fetcher, `use the host name the certificate names in the URL of ${show(fetcher)}`),
        `Or reissue the certificate with ${host} in its SANs`,
      );
      fixTarget = { kind: fetcher.kind, namespace: ns, name: fetcher.metadata.name };
    } else if (firstMatch(signals, NOT_TLS)) {
      why = `${host} does not speak TLS on that port (https URL pointing at a plain HTTP endpoint)`;
      steps.push(...changeInGit(graph, fetcher, `fix the scheme or port in the URL of ${show(fetcher)} (${url})`));
      fixTarget = { kind: fetcher.kind, namespace: ns, name: fetcher.metadata.name };
    } else if (firstMatch(signals, CLIENT_CERT) && !firstMatch(signals, UNKNOWN_CA)) {
      why = `${host} rejected the client certificate (mTLS)`;
      steps.push(
        ...titled(
          `Put a client certificate that ${host} accepts into ${sec ? show(sec.ref) : 'a TLS Secret'}`,
          `flux create secret tls ${shq(sec?.ref.name ?? `${fetcher.metadata.name}-tls`)}${nsFlag} --tls-crt-file=./tls.crt --tls-key-file=./tls.key --ca-crt-file=./ca.crt`,
        ),
      );
    } else {
      why = `the certificate of ${host} is signed by an authority the controller does not trust`;
      if (sec)
        steps.push(
          ...titled(
            `Add the CA that signed the certificate of ${host} to ${show(sec.ref)} (${sec.field}${fetcher.kind === 'GitRepository' ? '; keep the credential flags you use' : ''})`,
            caCmd,
          ),
        );
      else
        steps.push(
          ...titled(`Create a Secret with the CA that signed the certificate of ${host}`, caCmd),
          ...changeInGit(
            graph,
            fetcher,
            `set ${fetcher.kind === 'GitRepository' ? 'spec.secretRef' : 'spec.certSecretRef'}.name on ${show(fetcher)} to that Secret`,
          ),
        );
      steps.push(
        ...titled(
          'See the chain the server presents',
          `openssl s_client -connect ${shq(`${host}:${tlsPort(text, url)}`)} -servername ${shq(host)} -showcerts </dev/null`,
        ),
      );
    }
    if (fetcher !== obj) steps.push(reconcileCmd(fetcher));
    steps.push(reconcileCmd(obj));
    steps.push(describeCmd(obj));

    const finding: RawFinding = {
      summary: `${subject}: TLS verification of ${url} failed: ${why}`,
      evidence: uniqueEvidence(signals),
      remediation: steps,
      ...(fixTarget ? { fixTarget } : {}),
    };
    if (obj.kind === 'HelmChart') finding.explainedBy = ['source'];
    return finding;
  },
};
