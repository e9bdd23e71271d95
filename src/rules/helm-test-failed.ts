// helm.test-failed: the Helm tests of the release (spec.test.enable) failed: TestSuccess=False
// reason TestFailed. With spec.test.ignoreFailures the release stays Ready and this is a warning.

import { changeInGit, titled } from '../render/advice.js';
import { shq } from '../render/shell.js';
import type { K8sObject } from '../types.js';
import { objRef } from '../types.js';
import { cond, firstLine, hrCmds, releaseOf } from './helm-common.js';
import type { Rule } from './types.js';
import { evidenceOf, matchSignals, show } from './util.js';

/** internal/reconcile/test.go: fmtTestFailure = "Helm test failed for release %s with chart %s: %s" (v2beta1: "Helm test failed: %s"). */
const TEST_FAILURE = /Helm test failed(?: for release (\S+) with chart (\S+?))?: ([\s\S]*)$/;

interface Hook {
  name: string;
  phase: string;
}

function failedHooks(hr: K8sObject): Hook[] {
  const latest = Array.isArray(hr.status?.history) ? hr.status.history[0] : undefined;
  const hooks = latest?.testHooks;
  if (!hooks || typeof hooks !== 'object') return [];
  return Object.entries(hooks as Record<string, { phase?: string }>)
    .filter(([, v]) => v?.phase === 'Failed')
    .map(([name, v]) => ({ name, phase: v.phase! }));
}

export const rule: Rule = {
  meta: {
    code: 'helm.test-failed',
    severity: 'error',
    title: 'The Helm tests of the release failed',
    kinds: ['HelmRelease'],
    overrides: ['helm.install-failed', 'helm.upgrade-failed'],
    docs: {
      description:
        "The HelmRelease runs the chart's Helm tests after each install or upgrade (`spec.test.enable: true`) and at least one test hook (a Pod or Job annotated `helm.sh/hook: test`) failed. Unless `spec.test.ignoreFailures` is set, the release counts as failed: it is remediated (rolled back or uninstalled) and, once the retries are exhausted, Stalled with `Failed to install/upgrade after N attempt(s)` although Helm itself deployed the release. With `ignoreFailures` the release stays Ready and this finding is a warning.",
      detection: [
        "- `TestSuccess=False` with reason `TestFailed` and helm-controller's message `Helm test failed for release <ns>/<name>.v<n> with chart <chart>@<version>: <error>` (internal/reconcile/test.go), mirrored in `Ready` and a Warning event `TestFailed`.",
        '- The failed hooks are read from `status.history[0].testHooks` (phase `Failed`).',
        '- Replaces `helm.install-failed` / `helm.upgrade-failed` on the same HelmRelease (the `RetriesExceeded` stall is caused by the tests).',
      ].join('\n'),
      fix: [
        '- Read the logs of the failed test Pod(s): `kubectl logs -n <target-namespace> <test-pod>` or rerun them with `helm test <release> -n <namespace> --logs`.',
        '- Fix the application (or the test) — tests usually fail because the app is not reachable or misconfigured.',
        '- To keep a release deployed despite failing tests, set `spec.test.ignoreFailures: true`; to stop running them, `spec.test.enable: false`.',
        '- Then retry: `flux reconcile helmrelease <name> -n <namespace> --force` (add `--reset` when retries are exhausted).',
      ].join('\n'),
      commands: [
        "kubectl get helmrelease <name> -n <namespace> -o jsonpath='{.status.history[0].testHooks}'",
        'helm test <release> -n <namespace> --logs',
        'flux events --for HelmRelease/<name> -n <namespace>',
      ],
      examples: [
        {
          message:
            'Helm test failed for release podinfo/podinfo.v1 with chart podinfo@6.5.3: 1 error occurred:\n\t* pod podinfo-fault-test-a0tew failed',
          source:
            'fluxcd/helm-controller docs/spec/v2/helmreleases.md (Debugging a HelmRelease); internal/reconcile/test.go',
        },
      ],
    },
  },
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state === 'Suspended' || h.state === 'Progressing' || h.state === 'Waiting') return undefined;
    const tc = cond(obj, 'TestSuccess');
    if (tc?.status !== 'False' || tc.reason !== 'TestFailed') return undefined;
    const signals = matchSignals(obj, graph, { reasons: ['TestFailed'], patterns: [TEST_FAILURE] });
    const m = TEST_FAILURE.exec(tc.message ?? '');
    const rel = releaseOf(obj);
    const hooks = failedHooks(obj);
    const ignored = obj.spec?.test?.ignoreFailures === true || h.state === 'Ready';
    const cause = m?.[3] ? firstLine(m[3].replace(/\n\s*\*\s*/g, ' ').replace(/\s+/g, ' '), 300) : 'see the condition';
    const hookText = hooks.length > 0 ? ` (failed test hooks: ${hooks.map((x) => x.name).join(', ')})` : '';
    const cmds = hrCmds(obj);
    return {
      severity: ignored ? 'warning' : 'error',
      summary: `Helm tests of release ${m?.[1] ?? `${rel.namespace}/${rel.name}`}${m?.[2] ? ` (chart ${m[2]})` : ''} for ${show(obj)} failed: ${cause}${hookText}${ignored ? '; failures are ignored (spec.test.ignoreFailures), the release stays deployed' : ''}`,
      evidence: evidenceOf(signals),
      remediation: [
        ...(hooks.length > 0
          ? hooks
              .slice(0, 3)
              .flatMap((x) =>
                titled(
                  'Read the test logs (if the hook Pod was kept)',
                  `kubectl logs -n ${shq(rel.namespace)} ${shq(x.name)}`,
                ),
              )
          : []),
        ...titled(
          'Rerun the tests with their logs',
          `helm test ${shq(rel.name)} -n ${shq(rel.storageNamespace)} --logs`,
        ),
        'Fix the application or the test, in Git',
        ...changeInGit(graph, obj, `set spec.test.ignoreFailures: true on ${show(obj)}`, {
          when: 'to keep the release despite failing tests',
        }),
        ...(h.stalled
          ? titled('Then retry (retries are exhausted: reset them)', cmds.reset)
          : titled('Then retry', cmds.force)),
      ],
      fixTarget: objRef(obj),
    };
  },
};
