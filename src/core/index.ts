// The core facade: the one API every front end (CLI, MCP server, a later web dashboard) calls.
// It loads the input, diagnoses, builds the views, checks the installation and runs the write
// verbs. It depends on no front end and writes nothing to a terminal (progress goes to callbacks);
// front ends parse their arguments, call these functions and render the results.

export { type CheckInput, type CheckReport, type CheckResult, check, unreachableReport } from './check.js';
export { CoreError } from './errors.js';
export {
  DEFAULT_FLUX_NAMESPACE,
  DEFAULT_REQUEST_TIMEOUT,
  isLive,
  type Loaded,
  type LoadInput,
  load,
  loadSnapshot,
} from './load.js';
export { parseTarget, parseTargetWords, type Target, TargetError } from './target.js';
export {
  reconcile,
  resume,
  suspend,
  type Verb,
  type VerbOptions,
  type VerbProgress,
  type VerbResult,
  type VerbStep,
  verbs,
} from './verbs.js';
export * from './views.js';
export { type WatchInput, watch } from './watch.js';
