// fluxdoctor image why IMAGEPOLICY [--tag T]: which tag an ImagePolicy selects and why, step by step.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type ImageWhy, imageWhyView, readNamespace } from '../../core/views.js';
import { type Colors, colors } from '../../render/color.js';
import { cleanLine } from '../../render/sanitize.js';
import { showRef, truncate } from '../../render/views.js';
import {
  action,
  type CliContext,
  CliError,
  EXIT_FINDINGS,
  EXIT_OK,
  inputOptions,
  loadGraph,
  useColor,
} from '../common.js';
import { outputOption, printData, runView, type ViewFlags, viewNamespace } from '../view-options.js';

interface WhyFlags extends ViewFlags {
  tag?: string;
  tagsFile?: string;
}

/** At most this many tags are listed on one funnel line (the JSON has them all). */
const SHOW = 8;

const list = (tags: string[], max = SHOW) =>
  tags.length === 0
    ? ''
    : `${tags.slice(0, max).join(', ')}${tags.length > max ? `, … (${tags.length - max} more)` : ''}`;

/**
 * A tag list file: a JSON array, the registry API's `{"tags": [...]}` (`/v2/<name>/tags/list`), or
 * one tag per line (`crane ls`, `skopeo list-tags` is JSON with Tags).
 */
export function parseTagsFile(text: string): string[] {
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('{')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      throw new CliError(`--tags-file: not valid JSON: ${cleanLine((e as Error).message, 200)}`);
    }
    const arr = Array.isArray(v)
      ? v
      : ((v as { tags?: unknown; Tags?: unknown }).tags ?? (v as { Tags?: unknown }).Tags ?? undefined);
    if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'string'))
      throw new CliError('--tags-file: expected a JSON array of tags or an object with a "tags" array');
    return arr as string[];
  }
  return t
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export function renderImageWhyText(w: ImageWhy, color: boolean): string {
  const c: Colors = colors(color);
  const out: string[] = [];
  const f = w.funnel;
  const head = [`${c.bold(showRef(w.policy))}`];
  if (w.rule) head.push(w.rule);
  if (w.filterTags)
    head.push(
      c.dim(`filterTags ${w.filterTags.pattern}${w.filterTags.extract ? ` extract ${w.filterTags.extract}` : ''}`),
    );
  out.push(head.join('  '));
  const src =
    w.tags.source === 'none'
      ? 'no tags read'
      : `${w.tags.read} tag${w.tags.read === 1 ? '' : 's'} from ${w.tags.source}${
          w.tags.partial ? c.yellow(` (partial: ${w.tags.tagCount ?? 'more'} scanned)`) : ''
        }`;
  out.push(`${w.repository ? `${showRef(w.repository)}: ` : ''}${src}`);
  const row = (label: string, n: number, detail = '') =>
    out.push(`  ${label.padEnd(13)} ${String(n).padStart(4)}${detail ? `  ${c.dim(truncate(detail, 300))}` : ''}`);
  if (w.tags.source !== 'none') {
    row('scanned', f.scanned);
    row(
      'excluded',
      f.excluded.length,
      w.tags.source === 'tag list'
        ? `${list(f.excluded.map((x) => x.tag))}${f.excluded.length ? ' — ' : ''}exclusionList ${w.exclusionList.patterns.join(' ')}${w.exclusionList.defaulted ? ' (default)' : ''}`
        : 'already removed before the tags were stored',
    );
    if (w.filterTags) row('filtered out', f.filteredOut.length, list(f.filteredOut));
    if (f.replaced.length) row('replaced', f.replaced.length, list(f.replaced.map((x) => `${x.tag}→${x.by}`)));
    row(
      'candidates',
      f.candidates.length,
      list(f.candidates.map((x) => (x.value !== x.tag ? `${x.tag}="${x.value}"` : x.tag))),
    );
    row(
      'rejected',
      f.rejected.length,
      list(
        f.rejected.map((x) => `${x.tag} (${x.why})`),
        4,
      ),
    );
    row('ranked', f.ranked.length, list(f.ranked.map((x) => x.tag)));
  }
  if (w.error) out.push(c.red(`policy fails (${w.error.reason}): ${w.error.message}`));
  out.push(
    w.selected === null ? `${c.bold('selected:')} ${c.red('none')}` : `${c.bold('selected:')} ${c.green(w.selected)}`,
  );
  if (w.ties.length) out.push(c.yellow(`  ties with ${w.ties.join(', ')}`));
  const ct = w.controller;
  const agree = ct.agrees === undefined ? '' : ct.agrees ? c.green(' (agrees)') : c.yellow(' (differs)');
  out.push(
    `controller: ${ct.latestTag !== undefined ? `${ct.latestTag}${ct.digest ? c.dim(`@${ct.digest}`) : ''}` : c.dim('no latest tag recorded')}${agree} ${c.dim(`[${ct.state}]`)}`,
  );
  if (ct.state !== 'Ready' && ct.message) out.push(c.dim(`  ${truncate(ct.message, 300)}`));
  if (w.tag) {
    const good = w.tag.step === 'selected';
    out.push(`${c.bold(`tag ${w.tag.tag}:`)} ${good ? c.green(w.tag.step) : c.yellow(w.tag.step)} — ${w.tag.detail}`);
  }
  for (const n of w.notes) out.push(c.dim(`note: ${n}`));
  return `${out.join('\n')}\n`;
}

export function register(program: Command, ctx: CliContext): void {
  const image = program
    .command('image')
    .description(
      'Image automation: `image why POLICY` evaluates an ImagePolicy as image-reflector-controller does (the tag funnel, the winner, why a tag is dropped)',
    );
  outputOption(
    inputOptions(
      image
        .command('why')
        .argument('<policy...>', 'the ImagePolicy: NAME, NAMESPACE/NAME is not accepted — use -n (or imagepolicy/NAME)')
        .description('Evaluate an ImagePolicy as image-reflector-controller does and show why it selects its tag')
        .option('--tag <tag>', 'explain this tag: the step that drops it, or why it wins or loses')
        .option(
          '--tags-file <path>',
          'the repository\'s full tag list (JSON array, the registry\'s {"tags": [...]}, or one per line) instead of the 10 in status',
        ),
    ),
    'text',
  )
    .addHelpText(
      'after',
      `
The funnel: tags scanned → excluded (the ImageRepository's exclusionList, default ^.*\\.sig$) →
filtered out (filterTags.pattern) → candidates (after filterTags.extract) → rejected by the policy
(not a version, outside the semver range, a pre-release the range does not allow, not a number) →
ranked → selected. The tags come from the ImageRepository's status.lastScanResult.latestTags, which
holds only the 10 greatest tags by string order: when the scan found more, the list is marked
partial. --tags-file gives the full list. In -o json the winning tag is the top-level "selected"
(null when no tag qualifies).
Exit status: 0 when a tag is selected; 1 when none is (or the policy is invalid); 2 when the input
cannot be read or the policy is unknown.

Examples:
  fluxdoctor image why podinfo -n apps
  fluxdoctor image why podinfo -n apps --tag 6.5.0-rc.1
  crane ls ghcr.io/stefanprodan/podinfo > tags.txt && fluxdoctor image why podinfo -n apps --tags-file tags.txt -o json`,
    )
    .action(
      action(ctx, async (words: string[], flags: WhyFlags) => {
        const { io } = ctx;
        let tags: string[] | undefined;
        if (flags.tagsFile !== undefined) {
          let text: string;
          try {
            text = readFileSync(flags.tagsFile, 'utf8');
          } catch (e) {
            throw new CliError(`--tags-file: ${cleanLine((e as Error).message, 300)}`);
          }
          tags = parseTagsFile(text);
        }
        const namespace = viewNamespace(flags);
        const graph = await loadGraph({ ...flags, namespace: readNamespace('image-why', { namespace }) }, io);
        const w = runView(() => imageWhyView(graph, words, namespace, { tag: flags.tag, tags }));
        const code = w.selected === null ? EXIT_FINDINGS : EXIT_OK;
        if (printData(io, flags.output, w)) return code;
        io.stdout.write(renderImageWhyText(w, useColor(io, flags)));
        return code;
      }),
    );
}
