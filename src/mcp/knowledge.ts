// The knowledge base as MCP resources and prompts: each docs/reference/*.md file and each diagnosis
// code page is a resource; the troubleshooting workflows are prompts that take the object as
// arguments. Also used by `fluxdoctor skill export`. None of this reads the cluster.

import { readdirSync, readFileSync } from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { DOCS_DIR } from '../kb/search.js';
import { cleanLine } from '../render/sanitize.js';
import { codePage } from '../rules/docs.js';
import { ALL_RULES } from '../rules/index.js';

export interface KbDoc {
  /** File name without `.md`, e.g. `troubleshooting-workflows`. */
  name: string;
  title: string;
  text: string;
}

/** Every docs/reference/*.md file, sorted by name. */
export function referenceDocs(): KbDoc[] {
  return readdirSync(DOCS_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const text = readFileSync(new URL(f, DOCS_DIR), 'utf8');
      const name = f.slice(0, -3);
      return { name, title: /^# (.+)$/m.exec(text)?.[1] ?? name, text };
    });
}

/** Every diagnosis code page, sorted by code. */
export function codeDocs(): KbDoc[] {
  return ALL_RULES.map((r) => ({
    name: r.meta.code,
    title: `${r.meta.code}: ${r.meta.title}`,
    text: codePage(r),
  })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The `## ` sections of the troubleshooting workflows whose heading starts with one of the prefixes. */
export function workflowSections(prefixes: string[]): string[] {
  const md = readFileSync(new URL('troubleshooting-workflows.md', DOCS_DIR), 'utf8');
  return md
    .split(/^(?=## )/m)
    .filter((s) => s.startsWith('## ') && prefixes.some((p) => s.slice(3).startsWith(p)))
    .map((s) => s.trim());
}

interface PromptDef {
  name: string;
  title: string;
  kind: string;
  kindHelp: string;
  sections: string[];
}

export const PROMPTS: PromptDef[] = [
  {
    name: 'debug-helmrelease',
    title: 'Debug a failing HelmRelease',
    kind: 'HelmRelease',
    kindHelp: 'HelmRelease',
    sections: ['HelmRelease'],
  },
  {
    name: 'debug-kustomization',
    title: 'Debug a failing Kustomization',
    kind: 'Kustomization',
    kindHelp: 'Kustomization',
    sections: ['Kustomization'],
  },
  {
    name: 'debug-source',
    title: 'Debug a failing source (GitRepository, OCIRepository, HelmRepository, HelmChart, Bucket)',
    kind: 'GitRepository',
    kindHelp: 'the source kind: GitRepository (default), OCIRepository, HelmRepository, HelmChart or Bucket',
    sections: ['GitRepository'],
  },
  {
    name: 'debug-image-automation',
    title: 'Debug image automation (ImageRepository, ImagePolicy, ImageUpdateAutomation)',
    kind: 'ImageUpdateAutomation',
    kindHelp: 'ImageUpdateAutomation (default), ImagePolicy or ImageRepository',
    sections: ['Image automation'],
  },
];

/** The text of a prompt for one object: which tools to call in which order, then the workflows. */
export function promptText(p: PromptDef, args: { name: string; namespace?: string; kind?: string }): string {
  const kind = cleanLine(args.kind || p.kind, 60);
  const name = cleanLine(args.name, 253);
  const ns = cleanLine(args.namespace || 'flux-system', 63);
  const target = `${kind}/${ns}/${name}`;
  const steps = [
    `1. Call \`diagnose\` with namespace "${ns}" and read the finding whose rootCause or affected objects include ${target}: its code, evidence and remediation.`,
    `2. Call \`trace\` with target "${target}" to walk up to its source and dependencies, and \`tree\` with the same target (Kustomization/HelmRelease) to see what it applied down to the pods.`,
    `3. Call \`events\` with target "${target}" and then \`logs\` with target "${target}" to read what the controller reported.`,
    '4. Call `explain_code` with the finding code for the fix and the commands that confirm it; `explain_field` (e.g. ' +
      `"${kind}.spec") for a field, and \`search_docs\` for anything else.`,
    '5. Report the root cause, the evidence and the fix. Do not call reconcile, suspend or resume unless the user asks for it.',
  ];
  const sections = workflowSections(['General workflow', ...p.sections]);
  return `Debug the Flux object ${target} with the fluxdoctor tools.\n\n${steps.join('\n')}\n\nThe troubleshooting workflows for ${p.kind}:\n\n${sections.join('\n\n')}\n`;
}

/** Register the knowledge base documents as resources and the workflows as prompts. */
export function registerKnowledge(server: McpServer): void {
  for (const d of referenceDocs()) {
    const uri = `fluxdoctor://docs/${d.name}`;
    server.registerResource(
      `docs/${d.name}`,
      uri,
      { title: d.title, description: `fluxdoctor knowledge base: ${d.title}`, mimeType: 'text/markdown' },
      async () => ({ contents: [{ uri, mimeType: 'text/markdown', text: d.text }] }),
    );
  }
  for (const d of codeDocs()) {
    const uri = `fluxdoctor://codes/${d.name}`;
    server.registerResource(
      `codes/${d.name}`,
      uri,
      { title: d.title, description: `diagnosis code page ${d.title}`, mimeType: 'text/markdown' },
      async () => ({ contents: [{ uri, mimeType: 'text/markdown', text: d.text }] }),
    );
  }
  for (const p of PROMPTS) {
    server.registerPrompt(
      p.name,
      {
        title: p.title,
        description: `${p.title}: the fluxdoctor tools to call in order (diagnose, trace/tree, events/logs, explain_code) and the matching troubleshooting workflows.`,
        argsSchema: {
          name: z.string().describe('the object name'),
          namespace: z.string().optional().describe("the object's namespace (default flux-system)"),
          kind: z.string().optional().describe(p.kindHelp),
        },
      },
      (args) => ({
        description: p.title,
        messages: [{ role: 'user', content: { type: 'text', text: promptText(p, args) } }],
      }),
    );
  }
}
