// The knowledge base as MCP resources and prompts: each docs/reference/*.md file and each diagnosis
// code page is a resource; the troubleshooting workflows are prompts that take the object as
// arguments. Also used by `fluxdoctor skill export`. None of this reads the cluster.

import { readdirSync, readFileSync } from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { DOCS_DIR } from '../kb/search.js';
import { resolveKind } from '../kinds/table.js';
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

/**
 * The MCP tool each `fluxdoctor` command is (the workflows are written for the CLI). The
 * integrator adjusts this table if a tool is renamed; test/mcp-prompts.test.ts checks every name
 * against the registered tools.
 */
export const TOOL_OF_COMMAND: Record<string, string> = {
  diagnose: 'diagnose',
  trace: 'trace',
  tree: 'tree',
  events: 'events',
  logs: 'logs',
  get: 'get_resources',
  stats: 'stats',
  check: 'check',
  'image-why': 'image_why',
  reconcile: 'reconcile',
  suspend: 'suspend',
  resume: 'resume',
  'explain-code': 'explain_code',
  'explain-field': 'explain_field',
  'docs-search': 'search_docs',
};

/** Split a command line into words, keeping quoted strings whole. */
function words(cmd: string): string[] {
  return [...cmd.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** `fluxdoctor diagnose --kind GitRepository` → `diagnose {kind: "GitRepository"}` (a tool call). */
export function commandAsTool(cmd: string): string | undefined {
  const w = words(cmd);
  if (w[0] !== 'fluxdoctor' || !w[1]) return undefined;
  let verb = w[1];
  const rest = w.slice(2);
  const args: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const x = rest[i]!;
    const flag = /^--?([a-z-]+)$/.exec(x);
    if (!flag) {
      positional.push(x);
      continue;
    }
    const name = flag[1]!;
    const boolean = ['with-source', 'warnings', 'A', 'all-namespaces', 'force'].includes(name);
    const v = boolean ? true : rest[++i];
    if (v === undefined) continue;
    const key =
      name === 'n'
        ? 'namespace'
        : name === 'for'
          ? 'for'
          : name === 'A' || name === 'all-namespaces' || name === 'o'
            ? ''
            : name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (key) args[key] = v;
  }
  if (verb === 'explain') {
    const what = positional.shift();
    if (!what) return undefined;
    if (/^[A-Z][A-Za-z]*\./.test(what)) {
      verb = 'explain-field';
      args.field = what;
    } else {
      verb = 'explain-code';
      args.code = what;
    }
  } else if (verb === 'docs' && positional[0] === 'search') {
    verb = 'docs-search';
    args.query = positional.slice(1).join(' ');
    positional.length = 0;
  } else if (verb === 'image' && positional[0] === 'why') {
    verb = 'image-why';
    positional.shift();
    if (positional[0]) args.target = positional.join('/');
  } else if (verb === 'get') {
    if (positional[0]) args.kind = positional[0];
  } else if (positional[0]) args.target = positional.join('/');
  const tool = TOOL_OF_COMMAND[verb];
  if (!tool) return undefined;
  const first = ['target', 'kind', 'field', 'code', 'query'];
  const shown = Object.entries(args)
    .sort(([a], [b]) => (first.includes(b) ? 1 : 0) - (first.includes(a) ? 1 : 0))
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`)
    .join(', ');
  return `${tool}${shown ? ` {${shown}}` : ''}`;
}

/**
 * A workflow written for the command line, for an agent with the MCP tools: `fluxdoctor …` code
 * spans become the tool calls, and the "(by hand: …)" shell equivalents are left out. Steps that
 * only a person can do (create a Secret, edit Git) keep their command, marked for the user.
 */
export function workflowForTools(md: string): string {
  return md
    .replace(/\s*\(by hand: (?:[^()`]|`[^`]*`)*\)/g, '')
    .replace(/`(fluxdoctor [^`]+)`/g, (span, cmd: string) => {
      const t = commandAsTool(cmd);
      return t ? `the \`${t}\` tool` : span;
    })
    .replace(/`((?:kubectl|flux|git|sops|helm|jq) [^`]+)`/g, (_s, cmd: string) => `(for the user to run) \`${cmd}\``);
}

interface PromptDef {
  name: string;
  title: string;
  /** The default kind, and every kind the prompt takes. */
  kind: string;
  kinds: string[];
  kindHelp: string;
}

/** The workflow sections (heading prefixes) for each kind. */
const SECTIONS_OF_KIND: Record<string, string[]> = {
  HelmRelease: ['HelmRelease', 'Workloads'],
  Kustomization: ['Kustomization', 'Workloads'],
  // The source workflows are written for GitRepository; OCIRepository, HelmRepository and Bucket
  // fail the same ways (authentication, TLS, network, missing Secret, missing ref).
  GitRepository: ['GitRepository'],
  OCIRepository: ['GitRepository'],
  HelmRepository: ['GitRepository', 'HelmRelease chart not found'],
  Bucket: ['GitRepository'],
  HelmChart: ['HelmRelease chart', 'GitRepository'],
  ImageRepository: ['Image automation: registry'],
  ImagePolicy: ['Image automation: policy', 'Image automation: registry'],
  ImageUpdateAutomation: ['Image automation'],
  Receiver: ['Notification receiver'],
  Provider: ['Notification provider'],
  Alert: ['Notification provider'],
};

export const PROMPTS: PromptDef[] = [
  {
    name: 'debug-helmrelease',
    title: 'Debug a failing HelmRelease',
    kind: 'HelmRelease',
    kinds: ['HelmRelease'],
    kindHelp: 'HelmRelease',
  },
  {
    name: 'debug-kustomization',
    title: 'Debug a failing Kustomization',
    kind: 'Kustomization',
    kinds: ['Kustomization'],
    kindHelp: 'Kustomization',
  },
  {
    name: 'debug-source',
    title: 'Debug a failing source (GitRepository, OCIRepository, HelmRepository, HelmChart, Bucket)',
    kind: 'GitRepository',
    kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
    kindHelp: 'the source kind: GitRepository (default), OCIRepository, HelmRepository, HelmChart or Bucket',
  },
  {
    name: 'debug-image-automation',
    title: 'Debug image automation (ImageRepository, ImagePolicy, ImageUpdateAutomation)',
    kind: 'ImageUpdateAutomation',
    kinds: ['ImageUpdateAutomation', 'ImagePolicy', 'ImageRepository'],
    kindHelp: 'ImageUpdateAutomation (default), ImagePolicy or ImageRepository',
  },
];

/** The kind a prompt was given (as kubectl/flux spell it), or undefined when it is not one of the prompt's kinds. */
export function promptKind(p: PromptDef, given?: string): string | undefined {
  if (!given) return p.kind;
  const k = resolveKind(given.trim())?.kind;
  return k && p.kinds.includes(k) ? k : undefined;
}

/** The text of a prompt for one object: which tools to call in which order, then the workflows for its kind. */
export function promptText(p: PromptDef, args: { name: string; namespace?: string; kind?: string }): string {
  const chosen = promptKind(p, args.kind);
  const kind = chosen ?? p.kind;
  const name = cleanLine(args.name, 253);
  const ns = cleanLine(args.namespace || 'flux-system', 63);
  const target = `${kind}/${ns}/${name}`;
  const note =
    chosen === undefined
      ? `(The kind "${cleanLine(args.kind ?? '', 60)}" is not one this prompt takes (${p.kinds.join(', ')}); using ${p.kind}. If the object is of another kind, use the prompt for that kind.)\n\n`
      : '';
  const steps = [
    `1. Call \`diagnose\` with namespace "${ns}" and read the finding whose rootCause or affected objects include ${target}: its code, evidence and remediation.`,
    `2. Call \`trace\` with target "${target}" to walk up to its source and dependencies${kind === 'HelmRelease' || kind === 'Kustomization' ? `, and \`tree\` with the same target to see what it applied down to the pods` : ''}.`,
    `3. Call \`events\` with target "${target}" (it includes the object's source and chart chain) and then \`logs\` with target "${target}" to read what the controllers reported.`,
    `4. Call \`explain_code\` with the finding code for the fix and how to confirm it; \`explain_field\` (e.g. "${kind}.spec") for a field, and \`search_docs\` for anything else.`,
    '5. Report the root cause, the evidence and the fix. Do not call reconcile, suspend or resume unless the user asks for it; changes to objects a Kustomization applies go into Git.',
  ];
  const sections = workflowSections(['General workflow', ...(SECTIONS_OF_KIND[kind] ?? []), 'Flux itself']);
  return `${note}Debug the Flux object ${target} with the fluxdoctor tools.\n\n${steps.join('\n')}\n\nThe troubleshooting workflows for ${kind}, with the tool to call for each step:\n\n${sections.map(workflowForTools).join('\n\n')}\n`;
}

/** The no-argument cluster triage prompt. */
export const TRIAGE_PROMPT = { name: 'triage-cluster', title: 'Triage the whole Flux cluster' } as const;

export function triageText(): string {
  const steps = [
    '1. Call `check` to see whether Flux itself is healthy (controllers running, CRDs installed, the API server reachable). If a controller is down, that is the first root cause: report it before anything else.',
    '2. Call `stats` for the size of the problem: how many objects of each kind are ready, failing, suspended or waiting.',
    '3. Call `diagnose` (all namespaces; use its paging fields if the result says more findings are left out). Findings are root causes, errors first; each lists the objects it breaks as affected, so one finding explains many failing objects.',
    '4. For the first few error findings, call `trace` with the rootCause object as target, then `events` and `logs` with target set to it, to confirm the evidence.',
    '5. Call `explain_code` with each finding code for the fix and how to confirm it.',
    '6. Report: the root causes in order of impact (the number of affected objects), each with its evidence and fix; then warnings worth a look. If the report is partial (some input could not be read), say what was not read — never call the cluster healthy from a partial read.',
    'Do not call reconcile, suspend or resume unless the user asks for it.',
  ];
  const general = workflowSections(['General workflow', 'Flux itself']).map(workflowForTools);
  return `Triage the Flux cluster with the fluxdoctor tools: find what is broken and why.\n\n${steps.join('\n')}\n\n${general.join('\n\n')}\n`;
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
  server.registerPrompt(
    TRIAGE_PROMPT.name,
    {
      title: TRIAGE_PROMPT.title,
      description: `${TRIAGE_PROMPT.title}, no arguments: check, stats, diagnose, then trace/events/logs and explain_code on the root causes.`,
    },
    () => ({
      description: TRIAGE_PROMPT.title,
      messages: [{ role: 'user', content: { type: 'text', text: triageText() } }],
    }),
  );
}
