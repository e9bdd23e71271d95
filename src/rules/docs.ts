// A diagnosis code's page, as `fluxdoctor explain <code>` prints it (Markdown-flavoured text).

import type { Rule } from './types.js';

export function codePage(rule: Rule): string {
  const m = rule.meta;
  const d = m.docs;
  const out: string[] = [];
  out.push(`# ${m.code}: ${m.title}`);
  out.push('');
  out.push(`Severity: ${m.severity}. Kinds: ${m.kinds.includes('*') ? 'all Flux kinds' : m.kinds.join(', ')}.`);
  if (m.explainedBy?.length) {
    out.push(
      `Symptom code: when the object's ${m.explainedBy.join(' / ')} is failing, fluxdoctor reports that deeper cause instead and lists this object as affected.`,
    );
  }
  out.push('');
  out.push('## What it means');
  out.push('');
  out.push(d.description);
  out.push('');
  out.push('## How it is detected');
  out.push('');
  out.push(d.detection);
  out.push('');
  out.push('## How to fix it');
  out.push('');
  out.push(d.fix);
  if (d.commands.length) {
    out.push('');
    out.push('## Commands to confirm');
    out.push('');
    for (const c of d.commands) out.push(`    ${c}`);
  }
  if (d.examples?.length) {
    out.push('');
    out.push('## Messages it recognises');
    out.push('');
    for (const e of d.examples) out.push(`- \`${e.message}\` (${e.source})`);
  }
  return `${out.join('\n')}\n`;
}
