// fluxdoctor explain CODE, fluxdoctor codes: the pages of the diagnosis codes.

import type { Command } from 'commander';
import { dump } from 'js-yaml';
import { explainField, FieldNotFoundError, looksLikeField, renderFieldExplanation } from '../../kb/explain-field.js';
import { type FluxApi, fluxApi } from '../../kb/flux-api.js';
import { colors } from '../../render/color.js';
import { cleanLine } from '../../render/sanitize.js';
import { type Column, type TableOptions, table } from '../../render/views.js';
import { codeDoc, codePage } from '../../rules/docs.js';
import { ALL_RULES, RULES_BY_CODE } from '../../rules/index.js';
import { action, type CliContext, CliError, EXIT_OK, useColor } from '../common.js';
import { formatOption, outputOption, tableLayout } from '../view-options.js';

/** The code families: the first word of every diagnosis code (`source`, `helm`, …). */
const FAMILIES = new Set(ALL_RULES.map((r) => r.meta.code.split('.')[0]!));

/**
 * Why an argument is neither a diagnosis code nor a field of a Flux kind, and what explain accepts:
 * near codes for a code-like word, `kubectl explain` for a field path of another kind.
 */
export function notExplainable(arg: string): string {
  const shown = cleanLine(arg, 100);
  const kinds = fluxApi().kinds.map((k) => k.kind);
  const accepts = `explain accepts a diagnosis code (e.g. source.auth; 'fluxdoctor codes' lists them) or a field path of a Flux kind (Kind.field…, e.g. HelmRelease.spec.chart; kinds: ${kinds.join(', ')}).`;
  const head = arg.split('.')[0] ?? '';
  const near = ALL_RULES.map((r) => r.meta.code).filter((c) => c.includes(arg) || arg.includes(c.split('.')[1] ?? '@'));
  if (FAMILIES.has(head) || near.length > 0 || !/^[A-Za-z][\w-]*(\.[\w-]+)*$/.test(arg))
    return `unknown code '${shown}'.${near.length ? ` Did you mean: ${near.join(', ')}?` : ''} ${accepts}`;
  if (!arg.includes('.') && !/^[A-Z]/.test(arg))
    return `'${shown}' is neither a diagnosis code nor a Flux kind. ${accepts}`;
  // `Deployment.spec`, `Pod`: a field path (or kind) of a kind that is not a Flux kind.
  const other = cleanLine(head, 100);
  return `'${shown}' is neither a diagnosis code nor a field of a Flux kind: ${other} is not a Flux kind (for it, use 'kubectl explain ${cleanLine(arg.toLowerCase(), 100)}'). ${accepts}`;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description(
      'Print the page of a diagnosis code (what it means, how it is detected, how to fix it), or explain a field of a Flux kind like kubectl explain',
    )
    .argument(
      '<code-or-field>',
      'a diagnosis code (source.auth) or a field path (HelmRelease.spec.install.remediation, hr.spec.chart)',
    )
    .addOption(formatOption(['text', 'json', 'yaml'], 'output format (json and yaml: the page or the field as data)'))
    .option(
      '--context <name>',
      "explain a field from this cluster's own CRDs (default: the Flux release fluxdoctor pins)",
    )
    .option('--kubeconfig <path>', "explain a field from the CRDs of this kubeconfig's cluster")
    .option('--recursive', 'for a field: print every field under it, as a tree (as kubectl explain --recursive)')
    .action(
      action(
        ctx,
        async (code: string, flags: { output: string; context?: string; kubeconfig?: string; recursive?: boolean }) => {
          const rule = RULES_BY_CODE.get(code);
          if (!rule && looksLikeField(code)) {
            try {
              let api: FluxApi | undefined;
              if (flags.context || flags.kubeconfig) {
                try {
                  // The Kubernetes client loads only when a cluster's CRDs are asked for.
                  const [{ liveFluxApi }, { ApiClient, loadKubeConfig }] = await Promise.all([
                    import('../../kb/live.js'),
                    import('../../read/live.js'),
                  ]);
                  api = await liveFluxApi(new ApiClient(loadKubeConfig(flags)));
                } catch (e) {
                  throw new CliError(`cannot read the cluster's CRDs: ${(e as Error).message}`);
                }
              }
              const e = explainField(code, api, { recursive: flags.recursive === true });
              if (flags.output === 'json') ctx.io.stdout.write(`${JSON.stringify(e, null, 2)}\n`);
              else if (flags.output === 'yaml')
                ctx.io.stdout.write(dump(JSON.parse(JSON.stringify(e)), { lineWidth: -1, noRefs: true }));
              else ctx.io.stdout.write(renderFieldExplanation(e));
              return EXIT_OK;
            } catch (err) {
              if (err instanceof FieldNotFoundError) throw new CliError(err.message);
              throw err;
            }
          }
          if (!rule) throw new CliError(notExplainable(code));
          if (flags.recursive)
            throw new CliError(
              `--recursive explains a field path (Kind.field…), not a diagnosis code such as '${cleanLine(code, 100)}'`,
            );
          if (flags.output === 'json') ctx.io.stdout.write(`${JSON.stringify(codeDoc(rule), null, 2)}\n`);
          else if (flags.output === 'yaml') ctx.io.stdout.write(dump(codeDoc(rule), { lineWidth: -1, noRefs: true }));
          else ctx.io.stdout.write(codePage(rule));
          return EXIT_OK;
        },
      ),
    );

  outputOption(program.command('codes').description('List every diagnosis code'), 'table', { wide: true })
    .addHelpText(
      'after',
      `
The table shows CODE, SEVERITY and TITLE, the title cut to the terminal width (on a terminal, else
$COLUMNS; a pipe gets whole lines); -o wide adds KINDS and cuts nothing; --no-headers omits the
header row.`,
    )
    .action(
      action(ctx, (flags: { output: string; headers?: boolean; color?: boolean }) => {
        const rows = ALL_RULES.map((r) => ({
          code: r.meta.code,
          severity: r.meta.severity,
          title: r.meta.title,
          kinds: r.meta.kinds,
        }));
        rows.sort((a, b) => a.code.localeCompare(b.code));
        if (flags.output === 'json') ctx.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (flags.output === 'yaml') ctx.io.stdout.write(dump(rows, { lineWidth: -1, noRefs: true }));
        else ctx.io.stdout.write(renderCodesTable(rows, useColor(ctx.io, flags), tableLayout(ctx.io, flags)));
        return EXIT_OK;
      }),
    );
}

/** The `codes` table: CODE, SEVERITY, TITLE (cut to the width); -o wide adds KINDS. */
export function renderCodesTable(
  rows: { code: string; severity: string; title: string; kinds?: readonly string[] }[],
  color: boolean,
  layout: TableOptions = {},
): string {
  const c = colors(color);
  const columns: Column[] = [{ header: 'CODE' }, { header: 'SEVERITY' }];
  if (layout.wide) columns.push({ header: 'KINDS' });
  columns.push({ header: 'TITLE', shrink: 1, min: 20 });
  return table(
    columns,
    rows.map((r) => [r.code, r.severity, ...(layout.wide ? [(r.kinds ?? []).join(',') || '-'] : []), r.title]),
    c,
    layout,
  );
}
