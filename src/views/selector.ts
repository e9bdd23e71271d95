// Label selectors as kubectl reads them (`-l, --selector`): `a=b,c!=d,e in (x,y),f notin (z),g,!h`,
// and flux's `--status-selector ready=false` (a condition type and its status). Both select objects
// after the read: the diagnosis and the views need every object (sources, chains) whatever the labels.

import type { K8sObject } from '../types.js';
import { ViewError } from './common.js';

export type LabelOp = 'exists' | 'notExists' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

export interface LabelSelector {
  /** The selector as given (trimmed), to name it in messages. */
  text: string;
  requirements: LabelRequirement[];
}

export class SelectorError extends ViewError {}

// A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters.
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string, text: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const ok = NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && PREFIX.test(prefix)));
  if (!ok) throw bad(text, `'${key}' is not a valid label key`);
}

function checkValue(value: string, text: string): void {
  if (value !== '' && !NAME.test(value)) throw bad(text, `'${value}' is not a valid label value`);
}

const bad = (text: string, why: string) =>
  new SelectorError(
    `invalid label selector '${text}': ${why} (kubectl syntax: key=value, key!=value, 'key in (a,b)', 'key notin (a,b)', key, !key; comma-separated)`,
  );

/** Split at the commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (depth < 0) throw bad(text, "')' without '('");
    if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw bad(text, "'(' without ')'");
  parts.push(text.slice(start));
  return parts;
}

const KEY = '([^\\s=!<>(),]+)';
const NOT_EXISTS = new RegExp(`^!\\s*${KEY}$`);
const SET = new RegExp(`^${KEY}\\s+(in|notin)\\s*\\(([^()]*)\\)$`);
const COMPARE = new RegExp(`^${KEY}\\s*(==|=|!=|>|<)\\s*([^\\s=!<>(),]*)$`);
const EXISTS = new RegExp(`^${KEY}$`);

/** One requirement of a selector (`part`), or a SelectorError naming the whole selector (`text`). */
function requirement(part: string, text: string): LabelRequirement {
  let m = NOT_EXISTS.exec(part);
  if (m) {
    checkKey(m[1]!, text);
    return { key: m[1]!, op: 'notExists', values: [] };
  }
  m = SET.exec(part);
  if (m) {
    checkKey(m[1]!, text);
    const values = m[3]!.split(',').map((v) => v.trim());
    if (values.length === 1 && values[0] === '') throw bad(text, `'${m[2]}' needs at least one value`);
    for (const v of values) checkValue(v, text);
    return { key: m[1]!, op: m[2] as 'in' | 'notin', values };
  }
  m = COMPARE.exec(part);
  if (m) {
    checkKey(m[1]!, text);
    const op = m[2] === '!=' ? '!=' : m[2] === '>' ? 'gt' : m[2] === '<' ? 'lt' : '=';
    if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(m[3]!))
      throw bad(text, `'${m[2]}' needs an integer value, not '${m[3]}'`);
    if (op !== 'gt' && op !== 'lt') checkValue(m[3]!, text);
    return { key: m[1]!, op, values: [m[3]!] };
  }
  m = EXISTS.exec(part);
  if (m) {
    checkKey(m[1]!, text);
    return { key: m[1]!, op: 'exists', values: [] };
  }
  throw bad(text, `cannot read '${part}'`);
}

/** Parse a kubectl label selector. Throws SelectorError (an input error, exit 2) on bad syntax. */
export function parseLabelSelector(input: string): LabelSelector {
  const text = input.trim();
  const requirements: LabelRequirement[] = [];
  if (text === '') return { text, requirements };
  for (const raw of splitTop(text)) {
    const part = raw.trim();
    if (part === '') throw bad(text, 'an empty requirement');
    requirements.push(requirement(part, text));
  }
  return { text, requirements };
}

function matches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = has ? String(labels[r.key]) : undefined;
  switch (r.op) {
    case 'exists':
      return has;
    case 'notExists':
      return !has;
    case '=':
      return has && v === r.values[0];
    case '!=':
      return !has || v !== r.values[0];
    case 'in':
      return has && r.values.includes(v!);
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(v!)) return false;
      return r.op === 'gt' ? Number(v) > Number(r.values[0]) : Number(v) < Number(r.values[0]);
    }
  }
}

/** Whether the object's metadata.labels satisfy every requirement (an empty selector selects everything). */
export function matchesLabels(o: Pick<K8sObject, 'metadata'>, sel: LabelSelector): boolean {
  const raw = o.metadata?.labels;
  const labels: Record<string, string> = raw && typeof raw === 'object' ? (raw as Record<string, string>) : {};
  return sel.requirements.every((r) => matches(r, labels));
}

export interface StatusSelector {
  text: string;
  /** Condition type and status, as given (compared without case, as flux does). */
  conditions: { type: string; status: string }[];
}

/** `ready=false`, `Ready=True,Stalled=false`: conditions an object must have with that status. */
export function parseStatusSelector(input: string): StatusSelector {
  const text = input.trim();
  const conditions = text.split(',').map((part) => {
    const m = /^\s*([A-Za-z][\w.-]*)\s*=\s*([A-Za-z]+)\s*$/.exec(part);
    if (!m)
      throw new SelectorError(
        `invalid status selector '${text}': expected conditionType=status, e.g. ready=false (comma-separated for several)`,
      );
    return { type: m[1]!, status: m[2]! };
  });
  return { text, conditions };
}

/** Whether the object has every condition of the selector with that status (case-insensitive, as `flux get`). */
export function matchesStatusSelector(o: K8sObject, sel: StatusSelector): boolean {
  const conds: unknown[] = Array.isArray(o.status?.conditions) ? o.status.conditions : [];
  return sel.conditions.every((want) =>
    conds.some((c) => {
      const cond = c as { type?: unknown; status?: unknown };
      return (
        typeof cond?.type === 'string' &&
        typeof cond.status === 'string' &&
        cond.type.toLowerCase() === want.type.toLowerCase() &&
        cond.status.toLowerCase() === want.status.toLowerCase()
      );
    }),
  );
}
