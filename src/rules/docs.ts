// A diagnosis code's page, as `fluxdoctor explain <code>` prints it (Markdown-flavoured text). The pages
// live in docs/codes/<code>.md (what it means, how it is detected, how to fix it, commands, messages);
// the rule's meta gives code, title, severity and kinds. Pages are read when first asked for.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mdCode, mdFence } from '../render/sanitize.js';
import type { Rule, RuleDocs } from './types.js';

/** docs/codes/ of the package (src/rules/ and dist/rules/ are both two levels below the root). */
export const CODE_PAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'codes');

const SECTIONS = {
  description: 'What it means',
  detection: 'How it is detected',
  fix: 'How to fix it',
  commands: 'Commands to confirm',
  examples: 'Messages it recognises',
} as const;

/** A backtick fence longer than any run of backticks in the text (CommonMark code spans). */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/** The Markdown page of a code (docs/codes/<code>.md). parseDocPage reads it back. */
export function renderDocPage(code: string, title: string, d: RuleDocs): string {
  const out = [`# ${code}: ${title}`, ''];
  out.push(`## ${SECTIONS.description}`, '', d.description.trim(), '');
  out.push(`## ${SECTIONS.detection}`, '', d.detection.trim(), '');
  out.push(`## ${SECTIONS.fix}`, '', d.fix.trim(), '');
  out.push(`## ${SECTIONS.commands}`, '', '```sh', ...d.commands, '```', '');
  if (d.examples?.length) {
    out.push(`## ${SECTIONS.examples}`, '');
    // Each message verbatim in a fenced block (messages span lines and carry backticks), under its source.
    for (const e of d.examples) {
      const f = '`'.repeat(Math.max(3, fence(e.message).length));
      out.push(
        `- ${e.source}`,
        '',
        `  ${f}text`,
        ...e.message.split('\n').map((l) => (l ? `  ${l}` : '')),
        `  ${f}`,
        '',
      );
    }
  }
  return out.join('\n');
}

/** Read a page back into its parts; a page without the four required sections is an error. */
export function parseDocPage(text: string, file = 'page'): RuleDocs {
  const parts = new Map<string, string>();
  const re = /^## (.+)$/gm;
  const heads = [...text.matchAll(re)];
  heads.forEach((h, i) => {
    const start = (h.index ?? 0) + h[0].length;
    const end = i + 1 < heads.length ? heads[i + 1]!.index : text.length;
    parts.set(h[1]!.trim(), text.slice(start, end).trim());
  });
  const need = (name: string): string => {
    const v = parts.get(name);
    if (v === undefined || v === '') throw new Error(`${file}: section "## ${name}" is missing`);
    return v;
  };
  const description = need(SECTIONS.description);
  const detection = need(SECTIONS.detection);
  const fix = need(SECTIONS.fix);
  const commandsBlock = need(SECTIONS.commands);
  const cm = /^```[a-z]*\n([\s\S]*?)\n?```$/m.exec(commandsBlock);
  const commands = (cm ? cm[1]! : commandsBlock).split('\n').filter((l) => l.trim() !== '');
  const examples: { message: string; source: string }[] = [];
  const ex = /^- (.+)\n\n {2}(`{3,})text\n([\s\S]*?)\n {2}\2$/gm;
  for (const m of (parts.get(SECTIONS.examples) ?? '').matchAll(ex)) {
    const message = m[3]!
      .split('\n')
      .map((l) => (l.startsWith('  ') ? l.slice(2) : l))
      .join('\n');
    examples.push({ message, source: m[1]! });
  }
  return { description, detection, fix, commands, ...(examples.length ? { examples } : {}) };
}

const pages = new Map<string, RuleDocs>();

/** The rule's page: docs/codes/<code>.md (meta.docs, when a rule still carries its page inline). */
export function docsOf(rule: Rule): RuleDocs {
  if (rule.meta.docs) return rule.meta.docs;
  const code = rule.meta.code;
  let d = pages.get(code);
  if (!d) {
    const file = join(CODE_PAGES_DIR, `${code}.md`);
    d = parseDocPage(readFileSync(file, 'utf8'), file);
    pages.set(code, d);
  }
  return d;
}

export function codePage(rule: Rule): string {
  const m = rule.meta;
  const d = docsOf(rule);
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
  const d = docsOf(rule);
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
