// fluxdoctor get [KIND] [NAME]: the status table of `flux get`, for one kind or every Flux kind;
// -o yaml|json the objects themselves (values removed), -o summary the rows as JSON.

import { type Command, InvalidArgumentError } from 'commander';
import {
  type GetRow,
  getArgs,
  getObjectsView,
  getView,
  kindsFor,
  objectList,
  parseLabelSelector,
  parseStatusSelector,
  readNamespace,
  STATUS_FILTERS,
  type StatusFilter,
} from '../../core/views.js';
import { colors } from '../../render/color.js';
import { cleanLine } from '../../render/sanitize.js';
import { type Column, kubectlName, paintState, type TableOptions, table } from '../../render/views.js';
import { formatAge } from '../../views/common.js';
import { action, type CliContext, EXIT_OK, inputOptions, loadGraph, useColor } from '../common.js';
import { outputOption, printData, runView, tableLayout, type ViewFlags, viewNamespace } from '../view-options.js';

function parseStatus(v: string): StatusFilter {
  if (!(STATUS_FILTERS as readonly string[]).includes(v))
    throw new InvalidArgumentError(`must be one of ${STATUS_FILTERS.join(', ')}`);
  return v as StatusFilter;
}

interface Flags extends Omit<ViewFlags, 'output'> {
  output: ViewFlags['output'] | 'summary';
  status?: StatusFilter;
  selector?: string;
  statusSelector?: string;
}

/**
 * The `get` table. The default columns are those of `flux get` that fit a terminal (NAMESPACE, KIND,
 * NAME, READY, STATUS; STATUS is cut to the width); -o wide adds SUSPENDED, REVISION and LAST
 * RECONCILE and cuts nothing.
 */
export function renderGetTable(rows: GetRow[], color: boolean, layout: TableOptions = {}): string {
  const c = colors(color);
  const wide = layout.wide === true;
  const status = (r: GetRow) => r.status || (r.ready === 'Static' ? '-' : '');
  const columns: Column[] = [
    { header: 'NAMESPACE' },
    { header: 'KIND' },
    { header: 'NAME' },
    { header: 'READY', paint: (v) => paintState(c, v) },
  ];
  if (!wide)
    return table(
      [...columns, { header: 'STATUS', shrink: 1, min: 12 }],
      rows.map((r) => [r.namespace ?? '', r.kind, r.name, r.ready, status(r)]),
      c,
      layout,
    );
  return table(
    [...columns, { header: 'SUSPENDED' }, { header: 'REVISION' }, { header: 'LAST RECONCILE' }, { header: 'STATUS' }],
    rows.map((r) => [
      r.namespace ?? '',
      r.kind,
      r.name,
      r.ready,
      r.suspended ? 'True' : 'False',
      r.revision ?? '',
      formatAge(r.lastReconcileAge),
      status(r),
    ]),
    c,
    layout,
  );
}

/** `get -o name`: one `kind.group/name` per object, as kubectl prints it. */
export function renderGetNames(rows: GetRow[]): string {
  return rows.map((r) => `${kubectlName(r.kind, r.name)}\n`).join('');
}

export function register(program: Command, ctx: CliContext): void {
  outputOption(
    inputOptions(
      program
        .command('get')
        .argument('[kind]', 'a kind as kubectl or flux spell it (ks, hr, gitrepo, kustomizations, …) or all', 'all')
        .argument('[name]', 'only the object(s) with this name')
        .allowExcessArguments() // `get sources git NAME`: the group's sub-kind, then the name (getArgs)
        .description('Show the status of Flux objects: ready state, reason, revision, last reconcile, suspended'),
    ),
    'table',
    { wide: true, name: true },
    ['summary'],
  )
    .option('--status <state>', `only objects in this state: ${STATUS_FILTERS.join(', ')}`, parseStatus)
    .option('-l, --selector <selector>', 'only objects whose labels match (kubectl syntax: a=b,c!=d,e in (x,y),!f)')
    .option(
      '--status-selector <condition=status>',
      'only objects with this condition status, as flux get (e.g. ready=false; comma-separated for several)',
    )
    .addHelpText(
      'after',
      `
KIND may be a comma-separated list (ks,hr), or a group as flux get spells it: sources all|git|helm|oci|
bucket|chart (also "source git"), images all|repository|policy|update; oci, alert-providers, receivers,
alerts. Without KIND, or with "all", every Flux kind is listed.
READY is the health fluxdoctor derives (Ready, Failed, Waiting, Progressing, Suspended, Unknown,
Static for kinds without status); LAST RECONCILE is the age of the newest status time the controller
wrote, relative to the snapshot time.
The table shows NAMESPACE, KIND, NAME, READY and STATUS, cut to the terminal width (on a terminal,
else $COLUMNS; a pipe gets whole lines); -o wide adds SUSPENDED, REVISION and LAST RECONCILE and
cuts nothing. -o name prints kind.group/name per object (as kubectl does), e.g. for
\`| xargs -n1 fluxdoctor trace\`; --no-headers omits the header row.

-o yaml and -o json print the objects themselves, as kubectl get does (one named object as itself,
several as a List): normalized, without managedFields, Secret and ConfigMap values (key names kept in
dataKeys), spec.values leaves, postBuild.substitute and env values (keys kept, values <removed>).
-o summary prints the status rows of the table as JSON ({"items": [...]}).

Exit status: 0 (also when nothing matches a filter); 2 when the input cannot be read, KIND is
unknown, a selector cannot be read, or NAME matches no object.

Examples:
  fluxdoctor get
  fluxdoctor get ks --status failing
  fluxdoctor get sources git -n flux-system
  fluxdoctor get hr --status-selector ready=false -l app.kubernetes.io/part-of=shop
  fluxdoctor get hr podinfo -n apps -o yaml
  fluxdoctor get ks -o wide
  fluxdoctor get ks --status failing -o name | xargs -n1 fluxdoctor trace
  fluxdoctor get all -o summary --snapshot examples/multi-hop`,
    )
    .action(
      action(ctx, async (first: string, second: string | undefined, flags: Flags, cmd: Command) => {
        const { io } = ctx;
        // An unknown KIND or a bad selector fails before the cluster is read.
        const words = [first, ...(second !== undefined ? [second] : []), ...cmd.args.slice(2)];
        const { kind, name, shown } = runView(() => getArgs(words));
        runView(() => kindsFor(kind));
        const labels = flags.selector !== undefined ? runView(() => parseLabelSelector(flags.selector!)) : undefined;
        const conditions =
          flags.statusSelector !== undefined ? runView(() => parseStatusSelector(flags.statusSelector!)) : undefined;
        const namespace = viewNamespace(flags);
        const graph = await loadGraph({ ...flags, namespace: readNamespace('get', { namespace }) }, io);
        const opts = { kind, name, namespace, status: flags.status, labels, conditions };
        if (flags.output === 'yaml' || flags.output === 'json') {
          const objects = runView(() => getObjectsView(graph, opts));
          printData(io, flags.output, objectList(objects, name !== undefined));
          return EXIT_OK;
        }
        const rows = runView(() => getView(graph, opts));
        if (flags.output === 'summary') {
          printData(io, 'json', { items: rows });
          return EXIT_OK;
        }
        if (rows.length === 0) {
          const filters = [
            flags.status ? `with status ${flags.status}` : '',
            labels ? `matching ${cleanLine(labels.text, 200)}` : '',
            conditions ? `with ${cleanLine(conditions.text, 200)}` : '',
            namespace ? `in namespace ${cleanLine(namespace, 100)}` : '',
          ].filter(Boolean);
          io.stderr.write(
            `No ${kind === 'all' ? 'Flux objects' : cleanLine(shown, 100)} found${filters.length ? ` ${filters.join(' ')}` : ''}.\n`,
          );
          return EXIT_OK;
        }
        io.stdout.write(
          flags.output === 'name'
            ? renderGetNames(rows)
            : renderGetTable(rows, useColor(io, flags), tableLayout(io, flags)),
        );
        return EXIT_OK;
      }),
    );
}
