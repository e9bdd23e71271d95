// source.tls: certificate verification failed (unknown CA, expired, wrong host), or the CA data the
// source was given cannot be used. What the message says is read by the catalogue (src/signals/patterns/).

import { whereToChange } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { evidenceOf, fetcherOf, remoteHost, show, showsFailure, signalFor, urlOf } from '../signals/index.js';
import type { K8sObject, ObjRef } from '../types.js';
import { objRef } from '../types.js';
import type { MessageTemplate, RawFinding, Rule } from './types.js';
import { describeCmd, reconcileCmd } from './util.js';

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

const SUBJECT = '{subject}: TLS verification of {url} failed:';
const AFTER = ['{reconcileFetcher}', '{reconcile}', '{describe}'];

const MESSAGES: Record<string, MessageTemplate> = {
  'ca-data-invalid': {
    summary: `${SUBJECT} the CA certificate in {secretOr} cannot be parsed`,
    remediation: ['Re-create {secretOr} from the PEM-encoded CA file:', '{caCmd}', ...AFTER],
  },
  'certificate-expired': {
    summary: `${SUBJECT} the certificate presented by {host} has expired (or is not yet valid)`,
    remediation: ['Renew the certificate of {host} (or the client certificate in {secretOr})', ...AFTER],
  },
  'hostname-mismatch': {
    summary: `${SUBJECT} the certificate of {host} is not issued for that host name`,
    remediation: [
      'Use the host name the certificate names in the URL of {fetcher}, in {where}',
      'Or reissue the certificate with {host} in its SANs',
      ...AFTER,
    ],
  },
  'scheme-mismatch': {
    summary: `${SUBJECT} {host} does not speak TLS on that port (https URL pointing at a plain HTTP endpoint)`,
    remediation: ['Fix the scheme or port in the URL of {fetcher} ({url}) in {where}', ...AFTER],
  },
  'client-cert': {
    summary: `${SUBJECT} {host} rejected the client certificate (mTLS)`,
    remediation: ['Put a client certificate that {host} accepts into {secretOr}:', '{clientCmd}', ...AFTER],
  },
  'unknown-ca': {
    summary: `${SUBJECT} the certificate of {host} is signed by an authority the controller does not trust`,
    remediation: [
      'Add the CA that signed the certificate of {host} to {secret} ({secretFieldNote}):',
      '{caCmdExisting}',
      'Create a Secret with the CA that signed the certificate of {host}:',
      '{caCmdNew}',
      'Set {caField}.name on {fetcher} to that Secret, in {where}',
      'See the chain the server presents:',
      'openssl s_client -connect {sh:hostPort} -servername {sh:host} -showcerts </dev/null',
      ...AFTER,
    ],
  },
};

/** The rule's cause for the catalogue's (a TLS alert about the CA is the unknown-CA case). */
function causeOf(cause: string, alert: string | undefined): string {
  if (cause === 'tls-alert') return alert === 'unknown certificate authority' ? 'unknown-ca' : 'client-cert';
  return cause in MESSAGES ? cause : 'unknown-ca';
}

export const rule: Rule = {
  meta: {
    code: 'source.tls',
    severity: 'error',
    title: 'Certificate verification failed',
    kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'ImageRepository', 'HelmChart'],
    messages: MESSAGES,
    overrides: ['image.scan-failed', 'source.auth'],
  },
  check(obj, { graph }) {
    // A suspended source whose condition still shows the failure is reported too (see showsFailure).
    if (!showsFailure(obj, graph)) return undefined;
    const c = signalFor(obj, graph, 'source.tls');
    if (!c) return undefined;
    const fetcher = fetcherOf(obj, graph);
    const cause = causeOf(c.cause, c.data.alert);
    const text = c.signal.text;
    const host = c.data.host ?? c.data.wanted ?? c.data.ip ?? remoteHost(fetcher) ?? 'the remote';
    const url = urlOf(fetcher) ?? host;
    const sec = tlsSecret(fetcher);
    const ns = fetcher.metadata.namespace;
    const nsFlag = nsArg(ns);
    const secretName = sec?.ref.name ?? `${fetcher.metadata.name}-${fetcher.kind === 'GitRepository' ? 'auth' : 'tls'}`;
    const caCmd =
      fetcher.kind === 'GitRepository'
        ? `flux create secret git ${shq(secretName)}${nsFlag} --url=${shq(url)} --ca-crt-file=./ca.crt`
        : `flux create secret tls ${shq(secretName)}${nsFlag} --ca-crt-file=./ca.crt`;
    const fetcherRef = objRef(fetcher);
    const fixTarget: ObjRef | undefined =
      cause === 'hostname-mismatch' || cause === 'scheme-mismatch'
        ? fetcherRef
        : cause === 'certificate-expired'
          ? sec?.ref
          : (sec?.ref ?? fetcherRef);
    const finding: RawFinding = {
      cause,
      data: {
        subject: fetcher !== obj ? `${show(obj)} (via ${show(fetcher)})` : show(obj),
        url,
        host,
        fetcher: show(fetcher),
        secret: sec ? show(sec.ref) : undefined,
        secretOr: sec ? show(sec.ref) : 'its TLS Secret',
        secretFieldNote: sec
          ? `${sec.field}${fetcher.kind === 'GitRepository' ? '; keep the credential flags you use' : ''}`
          : undefined,
        caCmd,
        caCmdExisting: sec ? caCmd : undefined,
        caCmdNew: sec ? undefined : caCmd,
        caField: fetcher.kind === 'GitRepository' ? 'spec.secretRef' : 'spec.certSecretRef',
        clientCmd: `flux create secret tls ${shq(secretName)}${nsFlag} --tls-crt-file=./tls.crt --tls-key-file=./tls.key --ca-crt-file=./ca.crt`,
        hostPort: `${host}:${tlsPort(text, url)}`,
        where: whereToChange(graph, fetcher),
        reconcileFetcher: fetcher !== obj ? reconcileCmd(fetcher) : undefined,
        reconcile: reconcileCmd(obj),
        describe: describeCmd(obj),
      },
      evidence: evidenceOf(c.signals),
      ...(fixTarget ? { fixTarget } : {}),
    };
    if (obj.kind === 'HelmChart') finding.explainedBy = ['source'];
    return finding;
  },
};
