// The facts layer between the graph and the rules (see docs/ARCHITECTURE.md): which signals of an object
// count, what the controller message says by the catalogue, which references are missing, and the
// one implementation of durations, times, references and text clipping.

export { controllerOf, EXTRA_COMPONENTS, FLUX_CONTROLLERS, kindsOf } from './controllers.js';
export {
  conditionEvidence,
  conditionText,
  current,
  evidenceOf,
  failureSignals,
  fromCondition,
  isFailing,
  logText,
  type Signal,
  showsFailure,
} from './current.js';
export {
  type Classified,
  catalogueFor,
  classify,
  classifyText,
  emittersOf,
  patternsOf,
  signalFor,
  type TextMatch,
} from './match.js';
export { dataKeys, FLUX_REF_EDGES, knownMissing, type MissingReference, missingReferences } from './missing.js';
export { compareRef, listRefs, objId, show, uniqueRefs } from './refs.js';
export { chartSourceRef, fetcherOf, hostOf, registryHost, remoteHost, urlOf, usesProvider } from './remote.js';
export { parseObjId, ssaObject, ssaObjectOf, type WaitEntry, waitEntries } from './ssa-objects.js';
export { GRACE_MS, intervalOf, MIN_STUCK_MS, type Staleness, staleness, stuckThreshold } from './staleness.js';
export {
  age,
  bound,
  clip,
  durationOr,
  firstLine,
  formatDuration,
  innermostCause,
  MAX_EVIDENCE_TEXT,
  parseDuration,
  parseTime,
} from './text.js';
export { pendingWaitObjects, type WaitObject, waitObjects } from './wait.js';
