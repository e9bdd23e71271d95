// Render a finding's summary and remediation from its rule's templates (meta.messages[cause]).

import { shq } from '../render/shell.js';
import type { FindingData, RawFinding, RenderedFinding, RuleMeta } from './types.js';

const PLACEHOLDER = /\{(sh:|\?)?([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Fill `{name}` (text), `{sh:name}` (shell-quoted) and `{?name}` (text, or nothing when absent) from data;
 * undefined when a required value is absent.
 */
export function fill(template: string, data: FindingData): string | undefined {
  let absent = false;
  const out = template.replace(PLACEHOLDER, (_all, mod: string | undefined, name: string) => {
    const v = data[name];
    if (v === undefined || v === '') {
      if (mod !== '?') absent = true;
      return '';
    }
    return mod === 'sh:' ? shq(v) : String(v);
  });
  return absent ? undefined : out;
}

/** The finding with `summary` and `remediation` set: given text first, else the cause's templates. */
export function render(meta: RuleMeta, raw: RawFinding): RenderedFinding {
  const tpl = raw.cause ? meta.messages?.[raw.cause] : undefined;
  if (raw.cause && !tpl && (raw.summary === undefined || raw.remediation === undefined)) {
    throw new Error(`rule ${meta.code}: no message template for cause '${raw.cause}'`);
  }
  const data = raw.data ?? {};
  const summary = raw.summary ?? (tpl ? (fill(tpl.summary, data) ?? tpl.summary.replace(PLACEHOLDER, '<$2>')) : '');
  const remediation =
    raw.remediation ?? (tpl?.remediation ?? []).map((t) => fill(t, data)).filter((s): s is string => s !== undefined);
  if (!summary) throw new Error(`rule ${meta.code}: a finding needs a summary or a cause with a template`);
  return { ...raw, summary, remediation };
}
