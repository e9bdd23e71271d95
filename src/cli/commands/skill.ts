// fluxdoctor skill export DIR: an agent skill folder (SKILL.md plus references/) that teaches an
// agent to troubleshoot Flux with fluxdoctor's commands, for agents that read skills rather than MCP.

import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { codeDocs, referenceDocs } from '../../mcp/knowledge.js';
import { action, type CliContext, CliError, EXIT_OK } from '../common.js';

export const SKILL_MD = `---
name: fluxdoctor
description: Troubleshoot FluxCD clusters with the fluxdoctor CLI - find each failing Flux object's root cause, its evidence and the fix.
---

# Troubleshooting Flux with fluxdoctor

fluxdoctor reads a cluster (the current kubeconfig context, or \`--context\`, \`--kubeconfig\`) or a
snapshot (\`--snapshot FILE|DIR\`, kubectl -o yaml/json output) and explains what is broken in Flux.

## How to work

1. **Diagnose first**: \`fluxdoctor diagnose -A -o json\` (or \`-n NAMESPACE\`). Each finding has a
   \`code\`, \`severity\`, \`rootCause\` object, \`affected\` objects, \`evidence\` and \`remediation\`.
   One root cause is reported once, with everything it breaks listed as affected.
2. **Look closer at the objects it names**:
   - \`fluxdoctor trace KIND/NAME -n NS\` — up the chain: what applied it, its source, revision, dependencies.
   - \`fluxdoctor tree KIND/NAME -n NS\` — what a Kustomization/HelmRelease applied, down to pods.
   - \`fluxdoctor events --for KIND/NAME -n NS\` and \`fluxdoctor logs --for KIND/NAME -n NS\` — what the controllers said.
   - \`fluxdoctor get all --status failing\`, \`fluxdoctor stats\`, \`fluxdoctor check\` — overview and installation health.
3. **Explain**: \`fluxdoctor explain CODE\` (e.g. \`source.auth\`) prints a code's page: meaning,
   detection, fix, commands to confirm. \`fluxdoctor explain Kind.field\` (e.g.
   \`HelmRelease.spec.install.remediation\`) explains an API field like kubectl explain.
   \`fluxdoctor docs search "QUERY"\` searches the knowledge base offline.
4. **Change the cluster only when the user asks**: \`fluxdoctor reconcile KIND/NAME\`,
   \`fluxdoctor suspend KIND/NAME\`, \`fluxdoctor resume KIND/NAME\`.

Every reading command takes \`-o json\` (stable machine-readable output; prefer it) or \`-o yaml\`,
and \`-n NS\` / \`-A\`, \`--context\`, \`--kubeconfig\`, \`--snapshot\`, \`--logs\`, \`--flux-namespace\`.
\`fluxdoctor diagnose -o json\` is a contract: \`findings[]\` with the fields above, plus \`problems\`
when some input could not be read (a partial report).

## Exit codes

- \`0\` — no findings (or the command succeeded).
- \`1\` — \`diagnose\` found problems.
- \`2\` — input error: unreadable cluster or snapshot, unknown object, bad flag.

## References

- \`references/troubleshooting-workflows.md\` — one workflow per kind and failure family.
- \`references/best-practices.md\`, \`references/common-commands.md\`.
- \`references/flux-api-reference.md\` — every Flux kind and field.
- \`references/codes.md\` — every diagnosis code's page.
`;

export function exportSkill(dir: string, force = false): string[] {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new CliError(`'${dir}' exists and is not a directory`);
    if (readdirSync(dir).length && !force)
      throw new CliError(`'${dir}' is not empty: give an empty or new directory, or --force to overwrite`);
  }
  const refs = join(dir, 'references');
  mkdirSync(refs, { recursive: true });
  const written = [join(dir, 'SKILL.md')];
  writeFileSync(written[0]!, SKILL_MD);
  for (const d of referenceDocs()) {
    const f = join(refs, `${d.name}.md`);
    writeFileSync(f, d.text);
    written.push(f);
  }
  const codes = codeDocs();
  const codesMd = `# Diagnosis codes\n\n${codes.map((c) => `- \`${c.name}\`: ${c.title.slice(c.name.length + 2)}`).join('\n')}\n\n${codes
    .map((c) => c.text.replace(/^#/gm, '##'))
    .join('\n')}`;
  const f = join(refs, 'codes.md');
  writeFileSync(f, codesMd);
  written.push(f);
  return written;
}

export function register(program: Command, ctx: CliContext): void {
  const skill = program.command('skill').description('An agent skill folder that teaches an agent to use fluxdoctor');
  skill
    .command('export')
    .description('Write DIR/SKILL.md and DIR/references/ (knowledge base and diagnosis code pages)')
    .argument('<dir>', 'the directory to write (must be empty or new, unless --force)')
    .option('--force', 'overwrite the files of a non-empty directory')
    .action(
      action(ctx, (dir: string, flags: { force?: boolean }) => {
        const files = exportSkill(dir, flags.force);
        ctx.io.stdout.write(`wrote ${files.length} files to ${dir}\n`);
        return EXIT_OK;
      }),
    );
}
