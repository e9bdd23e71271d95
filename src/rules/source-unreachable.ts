// source.unreachable: DNS, connection refused, timeout, proxy or network policy: the remote cannot
// be reached.

import { changeInGit, titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import type { ObjRef } from '../types.js';
import {
  ALL_SOURCE_KINDS,
  AUTH_PATTERNS,
  conditionFirst,
  fetcherOf,
  firstMatch,
  hostInMessage,
  isFailing,
  remoteHost,
  TLS_PATTERNS,
  UNREACHABLE_PATTERNS,
  uniqueEvidence,
  urlOf,
} from './source-common.js';
import type { RawFinding, Rule } from './types.js';
import { describeCmd, logsCmd, reconcileCmd, show } from './util.js';

const DNS = [/no such host/, /server misbehaving/, /lookup [\w.-]+(?: on [^:]+:\d+)?: .*(?:i\/o timeout|read udp)/];
const REFUSED = [/connection refused/, /connection reset by peer/];
const ROUTE = [/network is unreachable/, /no route to host/];
const PROXY = [/proxyconnect tcp/, /socks connect/];
const GATEWAY = [/\b(?:502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)\b/];

export const rule: Rule = {
  meta: {
    code: 'source.unreachable',
    severity: 'error',
    title: 'The remote cannot be reached',
    kinds: ALL_SOURCE_KINDS,
    overrides: ['image.scan-failed'],
    docs: {
      description:
        "The source controller could not talk to the remote at all: the host name does not resolve, the connection is refused or reset, the request timed out (`spec.timeout`), a proxy failed, or a NetworkPolicy/firewall blocks egress from the controller's pod. Nothing was authenticated or downloaded; the controller retries with backoff and the last good artifact (if any) stays in use.",
      detection: [
        "The source is failing (Ready=False) and its failing condition message contains a network error from Go's net/http, go-git or go-containerregistry: `dial tcp: lookup <host> on <dns>:53: no such host`, `server misbehaving`, `connect: connection refused`, `i/o timeout`, `context deadline exceeded` (`Client.Timeout exceeded while awaiting headers`), `TLS handshake timeout`, `no route to host`, `network is unreachable`, `connection reset by peer`, `proxyconnect tcp: …`, or a gateway status (`502 Bad Gateway`, `503 Service Unavailable`, `504 Gateway Timeout`).",
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
    if (!isFailing(obj, graph)) return undefined;
    const signals = conditionFirst(obj, graph, {
      patterns: UNREACHABLE_PATTERNS,
      exclude: [...TLS_PATTERNS, ...AUTH_PATTERNS],
    });
    if (signals.length === 0) return undefined;

    const fetcher = fetcherOf(obj, graph);
    const text = signals[0]!.text;
    const host = hostInMessage(text) ?? remoteHost(fetcher) ?? 'the remote';
    const url = urlOf(fetcher);
    const subject = fetcher !== obj ? `${show(obj)} (via ${show(fetcher)})` : show(obj);
    const timeout: string | undefined = fetcher.spec?.timeout;
    const proxyName: string | undefined = fetcher.spec?.proxySecretRef?.name;
    const proxySecret: ObjRef | undefined = proxyName
      ? { kind: 'Secret', namespace: fetcher.metadata.namespace, name: proxyName }
      : undefined;

    let why: string;
    const steps: string[] = [];
    const inCluster = `kubectl run -n ${shq(graph.fluxNamespace)} nettest --rm -it --restart=Never --image=busybox:1.36 -- nslookup ${shq(host)}`;
    let fixTarget: ObjRef | undefined;
    if (firstMatch(signals, PROXY)) {
      why = `the proxy${proxySecret ? ` configured in ${show(proxySecret)}` : ''} failed to connect to ${host}`;
      steps.push(
        proxySecret
          ? `Check the proxy address in ${show(proxySecret)} and that the proxy is reachable from the ${graph.fluxNamespace} namespace`
          : 'Check the HTTPS_PROXY/NO_PROXY environment of the controller Deployment',
      );
      fixTarget = proxySecret;
    } else if (firstMatch(signals, DNS)) {
      why = `the host name ${host} does not resolve from the cluster (DNS lookup failed)`;
      steps.push(`Check the host in the URL (${url ?? host}) for typos`);
      steps.push(...titled('Test DNS from the cluster', inCluster));
      steps.push(
        ...titled(
          'If it resolves elsewhere but not in the cluster, check CoreDNS and egress to port 53',
          `kubectl get networkpolicy -n ${shq(graph.fluxNamespace)}`,
        ),
      );
    } else if (firstMatch(signals, REFUSED)) {
      why = `${host} refused or reset the connection`;
      steps.push(`Check the port and scheme in ${url ?? host} and that the server is up`);
      steps.push(...titled('Test from the cluster', inCluster));
    } else if (firstMatch(signals, ROUTE)) {
      why = `there is no network route to ${host}`;
      steps.push(
        ...titled(
          `Check egress from the ${graph.fluxNamespace} namespace (NetworkPolicies, firewall, proxy)`,
          `kubectl get networkpolicy -n ${shq(graph.fluxNamespace)}`,
        ),
      );
    } else if (firstMatch(signals, GATEWAY)) {
      why = `${host} (or a gateway in front of it) answered with a server error`;
      steps.push(`Check the status of the service at ${host}; the controller retries on its own`);
    } else {
      why = `the connection to ${host} timed out (spec.timeout ${timeout ?? 'not set'})`;
      steps.push(
        ...titled(
          `Check that ${host} is reachable from the ${graph.fluxNamespace} namespace (NetworkPolicies, firewall, proxy)`,
          inCluster,
        ),
      );
      steps.push(
        ...changeInGit(
          graph,
          fetcher,
          `raise spec.timeout on ${show(fetcher)} (${timeout ? `now ${timeout}` : 'not set: the controller default applies'})`,
          { when: 'if the remote is just slow or large' },
        ),
      );
    }
    if (fetcher !== obj) steps.push(reconcileCmd(fetcher));
    steps.push(reconcileCmd(obj));
    steps.push(...titled('Controller logs', logsCmd(obj, graph.fluxNamespace)));
    steps.push(describeCmd(obj));

    const finding: RawFinding = {
      summary: `${subject} cannot reach ${url ?? host}: ${why}`,
      evidence: uniqueEvidence(signals),
      remediation: steps,
      ...(fixTarget ? { fixTarget } : {}),
    };
    if (obj.kind === 'HelmChart') finding.explainedBy = ['source'];
    return finding;
  },
};
