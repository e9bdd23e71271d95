// helm.chart-not-found: The chart or chart version is not in the repository.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'helm.chart-not-found',
    severity: 'error',
    title: 'The chart or chart version is not in the repository',
    kinds: ['HelmChart', 'HelmRelease'],
    docs: {
      description: 'TODO',
      detection: 'TODO',
      fix: 'TODO',
      commands: [],
    },
  },
  check() {
    return undefined;
  },
};
