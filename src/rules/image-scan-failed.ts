// image.scan-failed: the registry scan of an ImageRepository failed. The general scan failure:
// source.auth / source.unreachable / source.tls / source.secret-missing override it where they apply.

import { changeInGit, titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import type { Rule } from './types.js';
import type { Signal } from './util.js';
import { describeCmd, eventsCmd, evidenceOf, failureSignals, reconcileCmd, show } from './util.js';

/** The registry host of an image repository reference (Docker Hub for `org/app` and `app`). */
export function registryHost(image: string): string {
  const first = image.replace(/^[a-z]+:\/\//, '').split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'index.docker.io';
}

// image-reflector-controller internal/controller/imagerepository_controller.go:
//   Ready=False ReadOperationFailed  "scan failed: %w"  (the go-containerregistry remote.List error)
//   Ready=False AuthenticationFailed "failed to configure authentication options: %w"
//   Stalled     ImageURLInvalid      (registry.ParseImageReference error, internal/registry/helper.go)
//   Ready=False Failure              "failed to determine if it's scan time: %w"
// go-containerregistry pkg/v1/remote/transport/error.go formats registry errors as
//   "GET <url>: <CODE>: <message>[; <detail>]" or "GET <url>: unexpected status code 401 Unauthorized: <body>".
const SCAN_REASONS = ['ReadOperationFailed', 'AuthenticationFailed', 'ImageURLInvalid', 'Failure', 'Failed'];

interface Cause {
  id: string;
  re: RegExp;
  text: string;
}

const CAUSES: Cause[] = [
  {
    id: 'not-found',
    re: /NAME_UNKNOWN|repository name not known|NOT_FOUND|MANIFEST_UNKNOWN|unexpected status code 404|repository not found/i,
    text: 'the repository does not exist in the registry (check spec.image)',
  },
  {
    id: 'rate-limit',
    re: /TOOMANYREQUESTS|unexpected status code 429|rate limit/i,
    text: 'the registry is rate-limiting the scans',
  },
  {
    id: 'invalid-url',
    re: /should not include (a tag|URL scheme)|could not parse reference|invalid reference format|repository can only contain/i,
    text: 'spec.image is not a valid image repository reference',
  },
  {
    id: 'auth',
    re: /UNAUTHORIZED|DENIED|unexpected status code 40[13]|authentication required|incorrect username or password|failed to configure authentication options|authentication failed/i,
    text: 'the registry rejected the credentials (or none were given)',
  },
  {
    id: 'tls',
    re: /x509:|certificate signed by unknown authority|tls: failed to verify|server gave HTTP response to HTTPS client/i,
    text: 'the TLS connection to the registry failed',
  },
  {
    id: 'unreachable',
    re: /no such host|connection refused|i\/o timeout|context deadline exceeded|dial tcp|network is unreachable|EOF$/i,
    text: 'the registry cannot be reached',
  },
];

export const rule: Rule = {
  meta: {
    code: 'image.scan-failed',
    severity: 'error',
    title: 'The registry scan failed',
    kinds: ['ImageRepository'],
    docs: {
      description:
        'image-reflector-controller could not list the tags of the image repository in `spec.image`: the repository does not exist, the registry rate-limits, the credentials are wrong, or the registry cannot be reached. No new tags are recorded, so the ImagePolicies that use this ImageRepository cannot select a newer image and image automation stops. This is the general code for any failed scan; the more specific `source.auth`, `source.unreachable`, `source.tls` and `source.secret-missing` replace it when they apply.',
      detection:
        "The ImageRepository is not ready: `Ready=False` with reason `ReadOperationFailed` (`scan failed: GET https://<registry>/v2/<repo>/tags/list?n=1000: NAME_UNKNOWN: ...`), `AuthenticationFailed` (`failed to configure authentication options: ...`), `Failure`, or `Stalled` with reason `ImageURLInvalid`. The registry's error code refines the cause: `NAME_UNKNOWN` / 404 (not found), `TOOMANYREQUESTS` / 429 (rate limit), `UNAUTHORIZED` / `DENIED` / 401 / 403 (credentials), `x509` (TLS), `no such host` / `i/o timeout` (network).",
      fix: [
        '- **Not found**: fix `spec.image` (registry host and repository path, no tag) — e.g. `ghcr.io/org/app`, not `ghcr.io/org/app:1.0`.',
        '- **Rate limit**: authenticate the scans with `spec.secretRef` (a `kubernetes.io/dockerconfigjson` Secret) and/or raise `spec.interval`.',
        '- **Credentials**: create or fix the pull Secret named in `spec.secretRef`, or set `spec.provider` (aws, azure, gcp) for cloud registries.',
        '- **TLS / network**: add the registry CA with `spec.certSecretRef`, check DNS, proxy and network policies.',
        '- Then `flux reconcile image repository <name>`.',
      ].join('\n'),
      commands: [
        'flux get image repository <name> -n <namespace>',
        'kubectl describe imagerepositories.image.toolkit.fluxcd.io <name> -n <namespace>',
        'flux reconcile image repository <name> -n <namespace>',
        'crane ls <image>',
      ],
      examples: [
        {
          message:
            'scan failed: GET https://XXXXXXXX.dkr.ecr.us-east-2.amazonaws.com/v2/XXXXXXXX/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized',
          source: 'https://github.com/fluxcd/image-reflector-controller/issues/399',
        },
        {
          message:
            'scan failed: GET https://ghcr.io/v2/acme/does-not-exist/tags/list?n=1000: NAME_UNKNOWN: repository name not known to registry',
          source:
            'fluxcd/image-reflector-controller internal/controller/imagerepository_controller.go ("scan failed: %w") + google/go-containerregistry pkg/v1/remote/transport/error.go',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state !== 'Failed') return undefined;
    const all = failureSignals(obj, graph);
    const conds = all.filter((s) => s.from !== 'event' && s.from !== 'log');
    const signals: Signal[] = [
      ...conds,
      ...all.filter(
        (s) =>
          (s.from === 'event' || s.from === 'log') &&
          /scan failed|authentication|ReadOperationFailed/i.test(`${s.reason ?? ''} ${s.text}`),
      ),
    ];
    if (signals.length === 0) return undefined;
    // Any failed scan counts; the reason list only documents what the controller writes.
    const primary = conds.find((s) => SCAN_REASONS.includes(s.reason ?? '')) ?? signals[0]!;
    const texts = signals.map((s) => s.text);
    const cause = CAUSES.find((c) => texts.some((t) => c.re.test(t)));

    const image: string = obj.spec?.image ?? '(spec.image not set)';
    const host = registryHost(image);
    const ns = obj.metadata.namespace ?? 'default';
    const secretName: string | undefined = obj.spec?.secretRef?.name;
    const policies = graph.in(obj, 'imageRepository').map((e) => show(e.from));

    const steps: string[] = [];
    let fixTarget = { kind: 'ImageRepository', namespace: ns, name: obj.metadata.name } as {
      kind: string;
      namespace?: string;
      name: string;
    };
    switch (cause?.id) {
      case 'not-found':
        steps.push(
          ...titled('Check that the repository exists (or look in the registry UI)', `crane ls ${shq(image)}`),
          ...changeInGit(graph, obj, `fix spec.image of ${show(obj)} (registry host and path, without a tag)`),
        );
        if (!secretName)
          steps.push(
            `If the repository is private, the registry may answer "not found" to anonymous requests: add spec.secretRef with a docker-registry Secret for ${host}`,
          );
        break;
      case 'rate-limit':
        if (secretName)
          steps.push(
            `Scans from ${host} are rate-limited even with Secret ${ns}/${secretName}: use an account with a higher limit`,
          );
        else
          steps.push(
            ...titled(
              'Authenticate the scans to raise the rate limit',
              `kubectl create secret docker-registry regcred -n ${shq(ns)} --docker-server=${shq(host)} --docker-username=<user> --docker-password=<token>`,
            ),
            ...changeInGit(graph, obj, `set spec.secretRef.name: regcred on ${show(obj)}`),
          );
        steps.push(...changeInGit(graph, obj, `raise spec.interval of ${show(obj)} (e.g. 10m) so it scans less often`));
        break;
      case 'invalid-url':
        steps.push(
          ...changeInGit(
            graph,
            obj,
            `set spec.image of ${show(obj)} to the repository only (e.g. ${image.replace(/^[a-z]+:\/\//, '').replace(/:[^/:]+$/, '')}), without scheme or tag`,
          ),
        );
        break;
      case 'auth':
        if (secretName) {
          fixTarget = { kind: 'Secret', namespace: ns, name: secretName };
          steps.push(
            ...titled(
              `Check Secret ${ns}/${secretName}: it must be a kubernetes.io/dockerconfigjson Secret with valid credentials for ${host}; recreate it`,
              `kubectl create secret docker-registry ${shq(secretName)} -n ${shq(ns)} --docker-server=${shq(host)} --docker-username=<user> --docker-password=<token> --dry-run=client -o yaml | kubectl apply -f -`,
            ),
          );
        } else {
          steps.push(
            ...titled(
              `Give the scan credentials for ${host}`,
              `kubectl create secret docker-registry regcred -n ${shq(ns)} --docker-server=${shq(host)} --docker-username=<user> --docker-password=<token>`,
            ),
            ...changeInGit(
              graph,
              obj,
              `set spec.secretRef.name: regcred on ${show(obj)} (or spec.provider: aws|azure|gcp for a cloud registry)`,
            ),
          );
        }
        break;
      case 'tls':
        steps.push(
          ...changeInGit(
            graph,
            obj,
            `give the registry CA to the scan: a Secret with ca.crt referenced by spec.certSecretRef of ${show(obj)} (or spec.insecure: true for a plain-HTTP registry)`,
          ),
        );
        break;
      case 'unreachable':
        steps.push(
          `Check that image-reflector-controller can reach ${host}: DNS, proxy settings and NetworkPolicies in ${graph.fluxNamespace}`,
        );
        break;
      default:
        steps.push(
          ...titled(
            `Read the scan error and check spec.image (${image}) and spec.secretRef of ${show(obj)}`,
            describeCmd(obj),
          ),
        );
    }
    steps.push(...titled('Then scan again', reconcileCmd(obj)));
    steps.push(`flux get image repository ${shq(obj.metadata.name)} -n ${shq(ns)}`);
    steps.push(eventsCmd(obj));

    return {
      summary: `${show(obj)} cannot scan ${image}${cause ? `: ${cause.text}` : ` (${primary.reason ?? 'scan failed'})`}${policies.length > 0 ? `; ${policies.join(', ')} cannot select new tags` : ''}`,
      evidence: evidenceOf([primary, ...signals.filter((s) => s !== primary)]),
      remediation: steps,
      fixTarget,
    };
  },
};
