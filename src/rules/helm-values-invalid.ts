// helm.values-invalid: Values fail the chart's schema or templates fail to render.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'helm.values-invalid',
    severity: 'error',
    title: "Values fail the chart's schema or templates fail to render",
    kinds: ['HelmRelease'],
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
