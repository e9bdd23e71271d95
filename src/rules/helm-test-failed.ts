// helm.test-failed: the Helm tests of the release (spec.test.enable) failed: TestSuccess=False
// reason TestFailed. With spec.test.ignoreFailures the release stays Ready and this is a warning.
// The message patterns are in src/signals/patterns/helm-controller.ts.

import { condition } from '../kinds/status.js';
import { whereToChange } from '../render/advice.js';
import { nsArg, shq } from '../render/shell.js';
import { latestSnapshot, releaseOf } from '../signals/helm.js';
import { classifyText, clip, current, evidenceOf, show } from '../signals/index.js';
import { PATTERNS } from '../signals/patterns/helm-controller.js';
import type { K8sObject } from '../types.js';
import { objRef } from '../types.js';
import type { Rule } from './types.js';
import { reconcileCmd } from './util.js';

/** helm-controller's test failure wrappers (v0.37+ and v2beta1-era). */
const TEST_PATTERNS = PATTERNS.filter((p) => p.code === 'helm.test-failed');

function failedHooks(hr: K8sObject): string[] {
  const hooks = latestSnapshot(hr)?.testHooks ?? {};
  return Object.entries(hooks)
    .filter(([, v]) => v?.phase === 'Failed')
    .map(([name]) => name);
}

const STEPS = [
  'Read the test logs (if the hook Pod was kept):',
  '{hookLogs}',
  'Rerun the tests with their logs:',
  'helm test {sh:releaseName} -n {sh:storageNamespace} --logs',
  'Fix the application or the test in {where}',
  'To keep the release despite failing tests, set spec.test.ignoreFailures: true on {object} in {where}',
  'Then retry:',
  '{retry}',
];

export const rule: Rule = {
  meta: {
    code: 'helm.test-failed',
    severity: 'error',
    title: 'The Helm tests of the release failed',
    kinds: ['HelmRelease'],
    overrides: ['helm.install-failed', 'helm.upgrade-failed'],
    messages: {
      'test-failed': {
        summary: 'Helm tests of release {release} (chart {chart}) for {object} failed: {detail}',
        remediation: STEPS,
      },
      'test-failed-ignored': {
        summary:
          'Helm tests of release {release} (chart {chart}) for {object} failed: {detail}; failures are ignored (spec.test.ignoreFailures), the release stays deployed',
        remediation: STEPS,
      },
    },
  },
  check(obj, { graph }) {
    const h = graph.health(obj);
    if (h.state === 'Suspended' || h.state === 'Progressing' || h.state === 'Waiting') return undefined;
    const tc = condition(obj, 'TestSuccess');
    if (tc?.status !== 'False' || tc.reason !== 'TestFailed') return undefined;
    const m = classifyText(tc.message ?? '', TEST_PATTERNS);
    const rel = releaseOf(obj);
    const hooks = failedHooks(obj);
    const ignored = obj.spec?.test?.ignoreFailures === true || h.state === 'Ready';
    const error = m?.data.error ?? tc.message ?? '';
    const signals = current(obj, graph).all.filter(
      (s) => s.reason === 'TestFailed' || classifyText(s.text, TEST_PATTERNS),
    );
    return {
      severity: ignored ? 'warning' : 'error',
      cause: ignored ? 'test-failed-ignored' : 'test-failed',
      data: {
        object: show(obj),
        release: m?.data.release ?? `${rel.namespace}/${rel.name}`,
        releaseName: rel.name,
        storageNamespace: rel.storageNamespace,
        chart: m?.data.chart ?? latestSnapshot(obj)?.chart ?? obj.spec?.chart?.spec?.chart ?? 'from spec.chartRef',
        detail: `${clip(error.replace(/\n\s*\*\s*/g, ' '), 300) || 'see the TestSuccess condition'}${hooks.length > 0 ? ` (failed test hooks: ${hooks.join(', ')})` : ''}`,
        hookLogs: hooks[0] ? `kubectl logs${nsArg(rel.namespace)} ${shq(hooks[0])}` : undefined,
        where: whereToChange(graph, obj),
        retry: h.stalled ? `${reconcileCmd(obj)} --reset` : `${reconcileCmd(obj)} --force`,
      },
      evidence: evidenceOf(signals),
      fixTarget: objRef(obj),
    };
  },
};
