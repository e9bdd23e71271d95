// fluxdoctor trace KIND/NAME: any object up its chain to the top, with the health of every hop.

import type { Command } from 'commander';
import { readNamespace, type Trace, type TraceNode, traceView } from '../../core/views.js';
import { type Colors, colors } from '../../render/color.js';
import { drawLines, flatten, paintState, showRef, truncate } from '../../render/views.js';
import type { NodeHealth } from '../../views/common.js';
import { action, type CliContext, EXIT_OK, inputOptions, loadGraph, useColor } from '../common.js';
import { outputOption, printData, runView, type ViewFlags, viewNamespace } from '../view-options.js';

const GOOD = new Set(['Ready', 'Static']);

/** `Kind/ns/name  State  Reason  revision X` (shared with tree). */
export function hopText(
  c: Colors,
  n: NodeHealth & { ref: { kind: string; namespace?: string; name: string }; repeated?: boolean },
  rel?: string,
): string {
  const parts = [`${rel ? `${c.dim(rel)} ` : ''}${c.bold(showRef(n.ref))}`];
  if (n.repeated) return `${parts[0]} ${c.dim('(see above)')}`;
  if (!n.found) parts.push(c.gray('(not read)'));
  else {
    parts.push(
      paintState(
        c,
        n.state,
        `(${n.state}${n.reason && !GOOD.has(n.state) && n.reason !== n.state ? `: ${n.reason}` : ''})`,
      ),
    );
    if (n.revision) parts.push(c.dim(`revision ${truncate(n.revision, 60)}`));
  }
  return parts.join(' ');
}

export function hopMessage(c: Colors, n: NodeHealth & { repeated?: boolean }): string[] {
  if (n.repeated || !n.found || GOOD.has(n.state) || !n.message) return [];
  return [c.dim(`  ${truncate(n.message, 200)}`)];
}

export function renderTraceText(t: Trace, color: boolean): string {
  const c = colors(color);
  const lines = drawLines(
    flatten<TraceNode>(
      t.root,
      (n) => n.up,
      (n) => hopText(c, n, n.relation),
      (n) => hopMessage(c, n),
    ),
  );
  const summary =
    t.hops === 0
      ? c.dim('nothing applies or owns this object and it refers to no source')
      : c.dim(`${t.hops} hop${t.hops === 1 ? '' : 's'} up, ${t.notReady} not ready`);
  return `${lines.join('\n')}\n${summary}\n`;
}

export function register(program: Command, ctx: CliContext): void {
  outputOption(
    inputOptions(
      program
        .command('trace')
        .argument(
          '<target...>',
          'KIND/NAME, KIND/NAMESPACE/NAME or KIND NAME (deployment/web, cm/settings, hr/podinfo)',
        )
        .description(
          'Trace any object up its chain: what applied it, that one’s source and revision, its dependencies — all the way up',
        ),
    ),
    'text',
  )
    .addHelpText(
      'after',
      `
Hops and their words: "owned by" (ownerReferences; a Pod goes straight to its top owner), "applied by"
(a Kustomization's or FluxInstance's inventory, or the kustomize/helm owner labels), "source",
"chart" (HelmRelease → HelmChart → HelmRepository), "depends on", "image repository", "includes".
Every hop is followed again, up to the top (e.g. the flux-system Kustomization and its GitRepository).
Without -n, the object is looked up by kind and name in every namespace.
Exit status: 0; 2 when the input cannot be read or the object is unknown or ambiguous.

Examples:
  fluxdoctor trace deployment/web -n apps
  fluxdoctor trace pod/web-7d9f8b6c5d-x2x7q -n apps
  fluxdoctor trace hr/podinfo -o json`,
    )
    .action(
      action(ctx, async (words: string[], flags: ViewFlags) => {
        const { io } = ctx;
        // The chain crosses namespaces: always read them all; -n only names the object's namespace.
        const namespace = viewNamespace(flags);
        const graph = await loadGraph({ ...flags, namespace: readNamespace('trace', { namespace }) }, io);
        const t = runView(() => traceView(graph, words, namespace));
        if (printData(io, flags.output, t)) return EXIT_OK;
        io.stdout.write(renderTraceText(t, useColor(io, flags)));
        return EXIT_OK;
      }),
    );
}
