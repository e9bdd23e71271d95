// fluxdoctor skill export DIR: an agent skill folder (SKILL.md plus references/) that teaches an
// agent to troubleshoot Flux with fluxdoctor's commands, for agents that read skills rather than MCP.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import yaml from 'js-yaml';
import { codeDocs, referenceDocs } from '../../mcp/knowledge.js';
import { action, type CliContext, CliError, EXIT_OK } from '../common.js';

/** The skill's name: the `name` in SKILL.md's frontmatter, and the name of its directory. */
export const SKILL_NAME = 'fluxdoctor';

const DESCRIPTION =
  'Use when a FluxCD cluster or GitOps delivery is failing or stuck (a Kustomization, HelmRelease, GitRepository, OCIRepository, HelmRepository or image automation not Ready, a deployment not rolling out): runs the fluxdoctor CLI to find each root cause with its evidence and the fix, on a live cluster or a snapshot file.';

const COMPATIBILITY =
  'Needs the fluxdoctor CLI on PATH (Node.js 20+) and either kubeconfig access to the cluster (read-only RBAC is enough; writes only on request) or a snapshot file (kubectl get -o yaml output or fluxdoctor snapshot).';

export function skillMd(codes: { name: string; title: string }[]): string {
  return `---
name: ${SKILL_NAME}
description: ${JSON.stringify(DESCRIPTION)}
compatibility: ${JSON.stringify(COMPATIBILITY)}
license: Apache-2.0
---

# Troubleshooting Flux with fluxdoctor

fluxdoctor reads a cluster (the current kubeconfig context, or \`--context\`, \`--kubeconfig\`) or a
snapshot (\`--snapshot FILE|DIR\`: kubectl -o yaml/json output, or a support bundle written with
\`fluxdoctor snapshot -f bundle.yaml\`) and explains what is broken in Flux.

## How to work

1. **Diagnose first**: \`fluxdoctor diagnose -A -o json\` (or \`-n NAMESPACE\`). Each finding has a
   \`code\`, \`severity\`, \`rootCause\` object, \`affected\` objects, \`evidence\` and \`remediation\`.
   One root cause is reported once, with everything it breaks listed as affected.
2. **Look closer at the objects it names**:
   - \`fluxdoctor trace KIND/NAME -n NS\` — up the chain: what applied it, its source, revision, dependencies.
   - \`fluxdoctor tree KIND/NAME -n NS\` — what a Kustomization/HelmRelease applied, down to pods.
   - \`fluxdoctor events --for KIND/NAME -n NS\` (the object, its source and chart chain, what it applied)
     and \`fluxdoctor logs --for KIND/NAME -n NS\` — what the controllers said.
   - \`fluxdoctor get all --status failing\`, \`fluxdoctor stats\`, \`fluxdoctor check\` — overview and installation health.
   - \`fluxdoctor get KIND NAME -n NS -o yaml\` — the object itself (spec and status; Secret values,
     \`spec.values\` leaves and env values removed); \`-o summary\` gives the status rows as JSON.
3. **Explain**: \`fluxdoctor explain CODE\` (e.g. \`source.auth\`) prints a code's page: meaning,
   detection, fix, commands to confirm; the same page is in \`references/codes/CODE.md\`.
   \`fluxdoctor explain Kind.field\` (e.g. \`HelmRelease.spec.install.remediation\`) explains an API
   field like kubectl explain. \`fluxdoctor docs search "QUERY"\` searches the knowledge base offline.
4. **Change the cluster only when the user asks**: \`fluxdoctor reconcile KIND/NAME\`,
   \`fluxdoctor suspend KIND/NAME\`, \`fluxdoctor resume KIND/NAME\`. Objects a Kustomization applies
   are fixed in Git, not with kubectl edit.

Every reading command takes \`-o json\` (stable machine-readable output; prefer it) or \`-o yaml\`,
and \`-n NS\` / \`-A\`, \`--context\`, \`--kubeconfig\`, \`--snapshot\`, \`--logs\`, \`--flux-namespace\`.
\`fluxdoctor diagnose -o json\` is a contract: \`findings[]\` with the fields above, plus \`partial\`
and \`problems\` when some input could not be read (a partial report: say so, do not call it healthy).

## Exit codes

- \`diagnose\`: \`0\` no error finding (warnings and info allowed), \`1\` at least one error finding,
  \`2\` the input could not be read.
- \`check\`: \`0\` no check failed (warnings and skipped checks allowed), \`1\` a check failed, \`2\` the input could not be read or the API server is not reachable.
- \`reconcile\`, \`resume\`: \`0\` the object is Ready, \`1\` it is not ready or has a finding, \`2\` input error or timeout.
- \`get\`, \`events\`, \`logs\`, \`trace\`, \`tree\`, \`stats\`, \`explain\`: \`0\`, or \`2\` for an input
  error (unreadable input, unknown kind, unknown or ambiguous object, bad flag).

## References

- [references/troubleshooting-workflows.md](references/troubleshooting-workflows.md) — one workflow per kind and failure family.
- [references/best-practices.md](references/best-practices.md), [references/common-commands.md](references/common-commands.md).
- [references/flux-api-reference.md](references/flux-api-reference.md) — every Flux kind and field.
- \`references/codes/CODE.md\` — one page per diagnosis code (read only the one a finding names):
${codes.map((c) => `  - [${c.name}](references/codes/${c.name}.md): ${c.title.slice(c.name.length + 2)}`).join('\n')}
`;
}

/** The directory the skill goes to: DIR itself when it is named after the skill, else DIR/fluxdoctor. */
export function skillDir(dir: string): string {
  return basename(resolve(dir)) === SKILL_NAME ? dir : join(dir, SKILL_NAME);
}

export function exportSkill(target: string, force = false): { dir: string; files: string[] } {
  const dir = skillDir(target);
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new CliError(`'${target}' exists and is not a directory`);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new CliError(`'${dir}' exists and is not a directory`);
    if (readdirSync(dir).length && !force)
      throw new CliError(`'${dir}' is not empty: give an empty or new directory, or --force to overwrite`);
  }
  const refs = join(dir, 'references');
  mkdirSync(join(refs, 'codes'), { recursive: true });
  const codes = codeDocs();
  const written = [join(dir, 'SKILL.md')];
  writeFileSync(written[0]!, skillMd(codes));
  for (const d of referenceDocs()) {
    const f = join(refs, `${d.name}.md`);
    writeFileSync(f, d.text);
    written.push(f);
  }
  for (const c of codes) {
    const f = join(refs, 'codes', `${c.name}.md`);
    writeFileSync(f, c.text);
    written.push(f);
  }
  return { dir, files: written };
}

/** The frontmatter fields the Agent Skills specification defines (agentskills.io/specification). */
const SPEC_FIELDS = new Set(['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools']);

/**
 * What a skill directory breaks of the Agent Skills specification (the rules skills-ref validate
 * checks), plus ours: a "Use when…" description, a compatibility field, every linked file present.
 * Empty when the skill is valid.
 */
export function validateSkill(dir: string): string[] {
  const errors: string[] = [];
  const file = join(dir, 'SKILL.md');
  if (!existsSync(file)) return ['SKILL.md not found'];
  const text = readFileSync(file, 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) return ['SKILL.md does not start with YAML frontmatter between --- lines'];
  let fm: Record<string, unknown>;
  try {
    fm = (yaml.load(m[1]!) ?? {}) as Record<string, unknown>;
  } catch (e) {
    return [`invalid YAML frontmatter: ${(e as Error).message.split('\n')[0]}`];
  }
  if (typeof fm !== 'object' || Array.isArray(fm)) return ['frontmatter is not a mapping'];
  for (const k of Object.keys(fm)) if (!SPEC_FIELDS.has(k)) errors.push(`unexpected frontmatter field '${k}'`);
  const name = fm.name;
  if (typeof name !== 'string' || name.length === 0) errors.push("missing required field 'name'");
  else {
    if (name.length > 64) errors.push('name is longer than 64 characters');
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name))
      errors.push('name must be lowercase letters, digits and single hyphens, not starting or ending with a hyphen');
    if (basename(resolve(dir)).normalize('NFKC') !== name.normalize('NFKC'))
      errors.push(`name '${name}' does not match the directory name '${basename(resolve(dir))}'`);
  }
  const desc = fm.description;
  if (typeof desc !== 'string' || desc.trim().length === 0) errors.push("missing required field 'description'");
  else {
    if (desc.length > 1024) errors.push('description is longer than 1024 characters');
    if (!/^Use when\b/.test(desc)) errors.push('description does not start with "Use when"');
  }
  const compat = fm.compatibility;
  if (typeof compat !== 'string' || compat.trim().length === 0) errors.push("missing field 'compatibility'");
  else if (compat.length > 500) errors.push('compatibility is longer than 500 characters');
  const body = text.slice(m[0].length);
  if (body.split('\n').length > 500) errors.push('SKILL.md body is longer than 500 lines');
  for (const link of body.matchAll(/\]\(([^)#\s]+)\)/g)) {
    const target = link[1]!;
    if (/^[a-z]+:/.test(target)) continue;
    if (!existsSync(join(dir, target))) errors.push(`SKILL.md links to ${target}, which does not exist`);
  }
  return errors;
}

export function register(program: Command, ctx: CliContext): void {
  const skill = program.command('skill').description('An agent skill folder that teaches an agent to use fluxdoctor');
  skill
    .command('export')
    .description(
      `Write the ${SKILL_NAME} skill: DIR/${SKILL_NAME}/SKILL.md and references/ (knowledge base, one page per diagnosis code)`,
    )
    .argument(
      '<dir>',
      `where to write it: DIR/${SKILL_NAME} (or DIR itself when it is named ${SKILL_NAME}); must be empty or new unless --force`,
    )
    .option('--force', 'overwrite the files of a non-empty directory')
    .addHelpText(
      'after',
      `
The skill follows the Agent Skills specification (agentskills.io): the directory is named after the
skill, SKILL.md has name, description ("Use when…") and compatibility, and each diagnosis code has
its own page under references/codes/ so an agent loads only the one it needs.
Exit status: 0 written; 2 DIR is not a directory, or is not empty without --force.

Examples:
  fluxdoctor skill export ~/.claude/skills
  fluxdoctor skill export .agents/skills`,
    )
    .action(
      action(ctx, (dir: string, flags: { force?: boolean }) => {
        const r = exportSkill(dir, flags.force);
        const errors = validateSkill(r.dir);
        if (errors.length) throw new CliError(`the exported skill is not valid: ${errors.join('; ')}`, 1);
        ctx.io.stdout.write(`wrote ${r.files.length} files to ${r.dir}\n`);
        return EXIT_OK;
      }),
    );
}
