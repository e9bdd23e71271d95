// The facts layer between the graph and the rules (see docs/ARCHITECTURE.md): which signals of an object
// count, what the controller message says by the catalogue, which references are missing, and the
// one implementation of durations, times, references and text clipping.

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
} from './current.js';
export { type Classified, classify, classifyText, emittersOf, signalFor, type TextMatch } from './match.js';
export { dataKeys, knownMissing, type MissingReference, missingReferences } from './missing.js';
export { compareRef, listRefs, objId, show, uniqueRefs } from './refs.js';
export { parseObjId, ssaObject, ssaObjectOf, type WaitEntry, waitEntries } from './ssa-objects.js';
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
