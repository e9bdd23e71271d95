// fluxdoctor explain CODE, fluxdoctor codes: the pages of the diagnosis codes.

import type { Command } from 'commander';
import { dump } from 'js-yaml';
import { explainField, FieldNotFoundError, looksLikeField, renderFieldExplanation } from '../../kb/explain-field.js';
import { type FluxApi, fluxApi } from '../../kb/flux-api.js';
import { cleanLine } from '../../render/sanitize.js';
import { codeDoc, codePage } from '../../rules/docs.js';
import { ALL_RULES, RULES_BY_CODE } from '../../rules/index.js';
import { action, type CliContext, CliError, EXIT_OK } from '../common.js';
import { formatOption } from '../view-options.js';

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

  program
    .command('codes')
    .description('List every diagnosis code')
    .addOption(formatOption(['table', 'json', 'yaml']))
    .action(
      action(ctx, (flags: { output: string }) => {
        const rows = ALL_RULES.map((r) => ({
          code: r.meta.code,
          severity: r.meta.severity,
          title: r.meta.title,
          kinds: r.meta.kinds,
        }));
        rows.sort((a, b) => a.code.localeCompare(b.code));
        if (flags.output === 'json') ctx.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (flags.output === 'yaml') ctx.io.stdout.write(dump(rows, { lineWidth: -1, noRefs: true }));
        else {
          const w = Math.max(...rows.map((r) => r.code.length));
          for (const r of rows) ctx.io.stdout.write(`${r.code.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.title}\n`);
        }
        return EXIT_OK;
      }),
    );
}
