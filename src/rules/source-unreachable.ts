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
    docs: {
      description:
        "The source controller could not talk to the remote at all: the host name does not resolve, the connection is refused or reset, the request timed out (`spec.timeout`), a proxy failed, or a NetworkPolicy/firewall blocks egress from the controller's pod. Nothing was authenticated or downloaded; the controller retries with backoff and the last good artifact (if any) stays in use.",
      detection: [
        "The message patterns live in src/signals/patterns/source-controller.ts, go-git.ts and image-reflector-controller.ts. The source is failing (Ready=False) and its failing condition message contains a network error from Go's net/http, go-git or go-containerregistry: `dial tcp: lookup <host> on <dns>:53: no such host`, `server misbehaving`, `connect: connection refused`, `i/o timeout`, `context deadline exceeded` (`Client.Timeout exceeded while awaiting headers`), `TLS handshake timeout`, `no route to host`, `network is unreachable`, `connection reset by peer`, `proxyconnect tcp: …`, or a gateway status (`502 Bad Gateway`, `503 Service Unavailable`, `504 Gateway Timeout`).",
        'Typical full forms: GitRepository `failed to checkout and determine revision: unable to clone \'<url>\': <error>`; HelmRepository `failed to fetch Helm repository index: failed to cache index to temporary file: Get "<url>/index.yaml": <error>`; OCIRepository `failed to determine artifact digest: Get "https://<registry>/v2/": <error>`; ImageRepository `scan failed: Get "https://<registry>/v2/": <error>`; HelmChart `chart pull error: failed to download chart for remote reference: <error>`.',
        'Messages that also show a certificate or credential problem belong to `source.tls` / `source.auth`. A HelmChart finding is explained by its HelmRepository when that is failing too (then the repository is reported).',
      ].join('\n'),
      fix: [
        '- Check the host in the URL for typos.',
        "- Resolve and reach it from inside the cluster, from the controller's namespace (see commands).",
        '- NetworkPolicies: `flux install` adds `allow-egress`; custom policies in the Flux namespace must allow egress to the host (and to DNS, port 53).',
        '- Behind a proxy: set `spec.proxySecretRef` (`flux create secret proxy …`) or `HTTPS_PROXY`/`NO_PROXY` on the controller Deployment.',
        '- Timeouts against a slow or large remote: raise `spec.timeout`.',
        '- A 502/503/504 comes from the remote or a gateway in front of it: check the service status.',
        '- Then reconcile the source.',
      ].join('\n'),
      commands: [
        'kubectl run -n flux-system nettest --rm -it --restart=Never --image=busybox:1.36 -- nslookup <host>',
        'kubectl run -n flux-system nettest --rm -it --restart=Never --image=curlimages/curl -- curl -sSv https://<host>',
        'kubectl get networkpolicy -n flux-system',
        'kubectl logs -n flux-system deploy/source-controller | grep <host>',
      ],
      examples: [
        {
          message:
            "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/org/repo': dial tcp: lookup github.com on 10.96.0.10:53: no such host",
          source:
            'fluxcd/source-controller gitCheckout + fluxcd/pkg git/gogit/clone.go; inner error as in https://github.com/fluxcd/flux2/issues/1494',
        },
        {
          message:
            'failed to fetch Helm repository index: failed to cache index to temporary file: Get "https://charts.bitnami.com/bitnami/index.yaml": dial tcp: lookup charts.bitnami.com on 10.43.0.10:53: server misbehaving',
          source:
            'fluxcd/source-controller helmrepository_controller.go reconcileSource; https://github.com/fluxcd/source-controller/issues/192',
        },
      ],
    },
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
