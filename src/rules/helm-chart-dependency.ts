// helm.chart-dependency: A chart dependency is missing or cannot be resolved.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'helm.chart-dependency',
    severity: 'error',
    title: 'A chart dependency is missing or cannot be resolved',
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
