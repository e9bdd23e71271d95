// source.ref-not-found: The branch, tag, semver range, commit or OCI tag does not exist.
// PLACEHOLDER — not implemented yet. Replace `check` and the docs; keep the file and export names.

import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    code: 'source.ref-not-found',
    severity: 'error',
    title: 'The branch, tag, semver range, commit or OCI tag does not exist',
    kinds: ['GitRepository', 'OCIRepository'],
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
