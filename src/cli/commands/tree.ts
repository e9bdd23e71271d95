// fluxdoctor tree KIND/NAME: a Kustomization or HelmRelease down through what it applied, nested
// Flux objects recursively, to workloads and their pods, with the health of each.

import type { Command } from 'commander';
import { readNamespace, type Tree, type TreeNode, treeView } from '../../core/views.js';
import { colors } from '../../render/color.js';
import { drawLines, flatten } from '../../render/views.js';
import { action, type CliContext, EXIT_OK, inputOptions, loadGraph, useColor } from '../common.js';
import { outputOption, printData, runView, type ViewFlags, viewNamespace } from '../view-options.js';
import { hopMessage, hopText } from './trace.js';

export function renderTreeText(t: Tree, color: boolean): string {
  const c = colors(color);
  const lines = drawLines(
    flatten<TreeNode>(
      t.root,
      (n) => n.children,
      (n) => hopText(c, n),
      (n) => hopMessage(c, n),
    ),
  );
  const summary = c.dim(
    `${t.objects} object${t.objects === 1 ? '' : 's'}, ${t.notReady} not ready${t.notRead ? `, ${t.notRead} not read` : ''}`,
  );
  return `${lines.join('\n')}\n${summary}\n`;
}

export function register(program: Command, ctx: CliContext): void {
  outputOption(
    inputOptions(
      program
        .command('tree')
        .argument('<target...>', 'KIND/NAME, KIND/NAMESPACE/NAME or KIND NAME (ks/apps, hr/podinfo, resourceset/x)')
        .description(
          'Show what a Kustomization or HelmRelease applied, down through nested Flux objects to workloads and pods',
        ),
    ),
    'text',
  )
    .addHelpText(
      'after',
      `
Children come from the Kustomization's (or FluxInstance's, ResourceSet's) status.inventory, from a
HelmRelease's status.inventory when helm-controller reports one, and from the kustomize/helm owner
labels (kustomize.toolkit.fluxcd.io/name|namespace, helm.toolkit.fluxcd.io/name|namespace).
Workloads show their Pods. Objects in the inventory that were not read are marked "(not read)";
an object reached twice is shown once and marked "(see above)".
The Helm storage Secrets (sh.helm.release.v1.*) are not read: a HelmRelease's objects that carry
no helm.toolkit.fluxcd.io labels and are not in its status.inventory are not shown, and no extra
RBAC on Secrets is needed.
Without -n, the object is looked up by kind and name in every namespace.
Exit status: 0; 2 when the input cannot be read or the object is unknown or ambiguous.

Examples:
  fluxdoctor tree ks/flux-system
  fluxdoctor tree hr/podinfo -n apps -o yaml`,
    )
    .action(
      action(ctx, async (words: string[], flags: ViewFlags) => {
        const { io } = ctx;
        const namespace = viewNamespace(flags);
        const graph = await loadGraph({ ...flags, namespace: readNamespace('tree', { namespace }) }, io);
        const t = runView(() => treeView(graph, words, namespace));
        if (printData(io, flags.output, t)) return EXIT_OK;
        io.stdout.write(renderTreeText(t, useColor(io, flags)));
        return EXIT_OK;
      }),
    );
}
