// helm.upgrade-failed: the Helm upgrade of a HelmRelease failed (Released=False reason UpgradeFailed),
// the rollback remediation failed, or the upgrade retries are exhausted (Stalled RetriesExceeded).
// When the upgrade timed out waiting for the release's workloads, the engine reports the failing
// workload instead (explainedBy: applied). The check and its templates are helm.install-failed's.

import { RELEASE_ACTION_MESSAGES, releaseActionCheck } from './helm-install-failed.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'helm.upgrade-failed',
    severity: 'error',
    title: 'The Helm upgrade failed or its retries are exhausted',
    kinds: ['HelmRelease'],
    explainedBy: ['applied'],
    messages: RELEASE_ACTION_MESSAGES,
  },
  check: releaseActionCheck('upgrade'),
};
