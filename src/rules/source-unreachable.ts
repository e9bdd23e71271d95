// source.unreachable: DNS, connection refused, timeout, proxy or network policy: the remote cannot
// be reached. What the message says is read by the catalogue (src/signals/patterns/).

import { whereToChange } from '../render/advice.js';
import { evidenceOf, fetcherOf, remoteHost, show, showsFailure, signalFor, urlOf } from '../signals/index.js';
import type { ObjRef } from '../types.js';
import type { MessageTemplate, RawFinding, Rule } from './types.js';
import { describeCmd, logsCmd, reconcileCmd } from './util.js';

const SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'ImageRepository', 'HelmChart'];

/** The rule's cause for the catalogue's: what kind of network failure it is. */
function causeOf(cause: string, error: string | undefined): string {
  switch (cause) {
    case 'dns':
    case 'proxy':
    case 'no-route':
    case 'timeout':
    case 'index-not-found':
      return cause;
    case 'ssh-connection-dropped':
      return error === 'connection timed out' ? 'timeout' : error === 'no route to host' ? 'no-route' : 'refused';
    case 'connection-refused':
      return 'refused';
    case 'server-error':
    case 'http-server-error':
      return 'server-error';
    default:
      return 'timeout';
  }
}

const TEST_DNS =
  'kubectl run -n {sh:fluxNamespace} nettest --rm -it --restart=Never --image=busybox:1.36 -- nslookup {sh:host}';
const AFTER = ['{reconcileFetcher}', '{reconcile}', 'Controller logs:', '{logs}', '{describe}'];

const MESSAGES: Record<string, MessageTemplate> = {
  dns: {
    summary:
      '{subject} cannot reach {target}: the host name {host} does not resolve from the cluster (DNS lookup failed)',
    remediation: [
      'Check the host in the URL ({target}) for typos',
      'Test DNS from the cluster:',
      TEST_DNS,
      'If it resolves elsewhere but not in the cluster, check CoreDNS and egress to port 53:',
      'kubectl get networkpolicy -n {sh:fluxNamespace}',
      ...AFTER,
    ],
  },
  refused: {
    summary: '{subject} cannot reach {target}: {host} refused or reset the connection',
    remediation: [
      'Check the port and scheme in {target} and that the server is up',
      'Test from the cluster:',
      TEST_DNS,
      ...AFTER,
    ],
  },
  'no-route': {
    summary: '{subject} cannot reach {target}: there is no network route to {host}',
    remediation: [
      'Check egress from the {fluxNamespace} namespace (NetworkPolicies, firewall, proxy):',
      'kubectl get networkpolicy -n {sh:fluxNamespace}',
      ...AFTER,
    ],
  },
  'server-error': {
    summary: '{subject} cannot reach {target}: {host} (or a gateway in front of it) answered with a server error',
    remediation: ['Check the status of the service at {host}; the controller retries on its own', ...AFTER],
  },
  'index-not-found': {
    summary: '{subject} cannot read the Helm repository index at {target}: the server answered 404 (check spec.url)',
    remediation: ['Fix spec.url of {fetcher} (the URL must serve index.yaml) in {where}', ...AFTER],
  },
  proxy: {
    summary: '{subject} cannot reach {target}: {proxy} failed to connect to {host}',
    remediation: [
      'Check the proxy address in {proxySecret} and that the proxy is reachable from the {fluxNamespace} namespace',
      'Check the HTTPS_PROXY/NO_PROXY environment of the controller Deployment ({noProxySecret})',
      ...AFTER,
    ],
  },
  timeout: {
    summary: '{subject} cannot reach {target}: the connection to {host} timed out (spec.timeout {timeout})',
    remediation: [
      'Check that {host} is reachable from the {fluxNamespace} namespace (NetworkPolicies, firewall, proxy):',
      TEST_DNS,
      'If the remote is just slow or large, raise spec.timeout on {fetcher} ({timeoutNow}) in {where}',
      ...AFTER,
    ],
  },
};

export const rule: Rule = {
  meta: {
    code: 'source.unreachable',
    severity: 'error',
    title: 'The remote cannot be reached',
    kinds: SOURCE_KINDS,
    messages: MESSAGES,
    overrides: ['image.scan-failed'],
  },
  check(obj, { graph }) {
    // A suspended source whose condition still shows the failure is reported too (see showsFailure).
    if (!showsFailure(obj, graph)) return undefined;
    const c = signalFor(obj, graph, 'source.unreachable');
    if (!c) return undefined;
    const fetcher = fetcherOf(obj, graph);
    const cause = causeOf(c.cause, c.data.error);
    // The host a name lookup names; otherwise the one the source's URL names (a dial error gives an IP).
    const host = (cause === 'dns' ? c.data.host : undefined) ?? remoteHost(fetcher) ?? c.data.host ?? 'the remote';
    const url = urlOf(fetcher);
    const timeout: string | undefined = fetcher.spec?.timeout;
    const proxyName: string | undefined = fetcher.spec?.proxySecretRef?.name;
    const proxySecret: ObjRef | undefined = proxyName
      ? { kind: 'Secret', namespace: fetcher.metadata.namespace, name: proxyName }
      : undefined;
    const finding: RawFinding = {
      cause,
      data: {
        subject: fetcher !== obj ? `${show(obj)} (via ${show(fetcher)})` : show(obj),
        target: url ?? host,
        host,
        fetcher: show(fetcher),
        timeout: timeout ?? 'not set',
        timeoutNow: timeout ? `now ${timeout}` : 'not set: the controller default applies',
        proxy: proxySecret ? `the proxy configured in ${show(proxySecret)}` : 'the proxy',
        proxySecret: proxySecret ? show(proxySecret) : undefined,
        noProxySecret: proxySecret ? undefined : 'no spec.proxySecretRef',
        fluxNamespace: graph.fluxNamespace,
        where: whereToChange(graph, fetcher),
        reconcileFetcher: fetcher !== obj ? reconcileCmd(fetcher) : undefined,
        reconcile: reconcileCmd(obj),
        logs: logsCmd(obj, graph.fluxNamespace),
        describe: describeCmd(obj),
      },
      evidence: evidenceOf(c.signals),
      ...(cause === 'proxy' && proxySecret ? { fixTarget: proxySecret } : {}),
    };
    if (obj.kind === 'HelmChart') finding.explainedBy = ['source'];
    return finding;
  },
};
