// fluxdoctor tree KIND/NAME: a Kustomization or HelmRelease down through what it applied, nested
// Flux objects recursively, to workloads and their pods, with the health of each.

import type { Command } from 'commander';
import {
  kindsFor,
  readNamespace,
  TREE_ROOT_KINDS,
  type Tree,
  type TreeNode,
  treesView,
  treeView,
} from '../../core/views.js';
import { colors } from '../../render/color.js';
import { cleanLine } from '../../render/sanitize.js';
import { drawLines, flatten } from '../../render/views.js';
import { action, type CliContext, CliError, EXIT_OK, inputOptions, loadGraph, useColor } from '../common.js';
import {
  outputOption,
  printData,
  runView,
  SELECTOR_FLAGS,
  SELECTOR_SYNTAX,
  selectorOf,
  type ViewFlags,
  viewNamespace,
} from '../view-options.js';
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
        .argument(
          '[target...]',
          'KIND/NAME, KIND/NAMESPACE/NAME or KIND NAME (ks/apps, hr/podinfo, resourceset/x); with -l, a KIND or nothing',
        )
        .description(
          'Show what a Kustomization or HelmRelease applied, down through nested Flux objects to workloads and pods',
        ),
    ),
    'text',
  )
    .option(
      SELECTOR_FLAGS,
      `the tree of every object whose labels match, of KIND or else every Kustomization, HelmRelease, FluxInstance and ResourceSet (${SELECTOR_SYNTAX})`,
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
With -l, one tree per matching object (in -n's namespace when given), ordered by namespace, kind and
name; -o json|yaml prints {"items": [tree, …]}. As in kubectl, a name cannot be combined with -l.
A selector that matches no object says so on stderr ("No … found matching …") and exits 0, as get does.
Exit status: 0; 2 when the input cannot be read, the object is unknown or ambiguous, or a selector
or KIND cannot be read.

Examples:
  fluxdoctor tree ks/flux-system
  fluxdoctor tree hr/podinfo -n apps -o yaml
  fluxdoctor tree -l app.kubernetes.io/part-of=shop
  fluxdoctor tree hr -l team=payments -n apps`,
    )
    .action(
      action(ctx, async (words: string[], flags: ViewFlags & { selector?: string }) => {
        const { io } = ctx;
        const namespace = viewNamespace(flags);
        const labels = selectorOf(flags);
        if (labels) return selected(words, labels, namespace);
        if (words.length === 0)
          throw new CliError('tree needs an object: KIND/NAME (ks/apps, hr/podinfo), or -l SELECTOR for several');
        const graph = await loadGraph({ ...flags, namespace: readNamespace('tree', { namespace }) }, io);
        const t = runView(() => treeView(graph, words, namespace));
        if (printData(io, flags.output, t)) return EXIT_OK;
        io.stdout.write(renderTreeText(t, useColor(io, flags)));
        return EXIT_OK;

        /** `tree [KIND] -l SELECTOR`: the tree of every matching object. */
        async function selected(
          args: string[],
          sel: NonNullable<ReturnType<typeof selectorOf>>,
          ns: string | undefined,
        ): Promise<number> {
          if (args.length > 1 || args.some((w) => w.includes('/')))
            throw new CliError(
              'a name cannot be given with -l/--selector: give a KIND (ks, hr, …) or nothing (tree -l SELECTOR)',
            );
          const kind = args[0];
          // An unknown KIND fails before the cluster is read.
          const shown = kind === undefined ? TREE_ROOT_KINDS : runView(() => kindsFor(kind)).map((k) => k.kind);
          const g = await loadGraph({ ...flags, namespace: readNamespace('tree', { namespace: ns }) }, io);
          const trees = runView(() => treesView(g, { labels: sel, kind, namespace: ns }));
          if (trees.items.length === 0)
            io.stderr.write(
              `No ${listOf(shown.map(plural))} found matching ${cleanLine(sel.text, 200)}${ns !== undefined ? ` in namespace ${cleanLine(ns, 100)}` : ''}.\n`,
            );
          if (printData(io, flags.output, trees)) return EXIT_OK;
          const color = useColor(io, flags);
          io.stdout.write(trees.items.map((t) => renderTreeText(t, color)).join('\n'));
          return EXIT_OK;
        }
      }),
    );
}

const plural = (kind: string) => (kind.endsWith('s') ? `${kind}es` : `${kind}s`);
/** `a`, `a or b`, `a, b or c`. */
const listOf = (words: string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
