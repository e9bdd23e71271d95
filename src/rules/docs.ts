// A diagnosis code's page, as `fluxdoctor explain <code>` prints it (Markdown-flavoured text).

import { mdCode, mdFence } from '../render/sanitize.js';
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
    out.push(...mdFence(d.commands, 'sh'));
  }
  if (d.examples?.length) {
    out.push('');
    out.push('## Messages it recognises');
    out.push('');
    // A message may hold backticks: the code span's fence is longer than any run of them.
    for (const e of d.examples) out.push(`- ${mdCode(e.message)} (${e.source})`);
  }
  return `${out.join('\n')}\n`;
}

/** A code's page as data (`explain CODE -o json|yaml`): the fields and each section of the page. */
export interface CodeDoc {
  code: string;
  severity: string;
  title: string;
  /** The kinds it is checked on (`*`: every Flux kind). */
  kinds: string[];
  /** Edges along which a deeper cause replaces it (a symptom code); empty: a root-cause code. */
  explainedBy: string[];
  /** Codes it supersedes on the same object. */
  overrides: string[];
  sections: {
    whatItMeans: string;
    howItIsDetected: string;
    howToFix: string;
    commandsToConfirm: string[];
    messagesItRecognises: { message: string; source: string }[];
  };
}

export function codeDoc(rule: Rule): CodeDoc {
  const m = rule.meta;
  const d = m.docs;
  return {
    code: m.code,
    severity: m.severity,
    title: m.title,
    kinds: [...m.kinds],
    explainedBy: [...(m.explainedBy ?? [])],
    overrides: [...(m.overrides ?? [])],
    sections: {
      whatItMeans: d.description,
      howItIsDetected: d.detection,
      howToFix: d.fix,
      commandsToConfirm: [...d.commands],
      messagesItRecognises: (d.examples ?? []).map((e) => ({ message: e.message, source: e.source })),
    },
  };
}
