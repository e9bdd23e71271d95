// fluxdoctor check: like `flux check`, and more. A checklist for people and an exit code for CI:
// 0 no check failed (skipped checks are counted), 1 a check failed, 2 the input could not be read or the API server is not reachable.

import type { Command } from 'commander';
import { check } from '../../core/check.js';
import { isLive } from '../../core/load.js';
import { type Colors, colors } from '../../render/color.js';
import { countsLine } from '../../render/report.js';
import type { CheckReport, CheckSection, CheckStatus } from '../../views/check.js';
import {
  action,
  type CliContext,
  EXIT_FINDINGS,
  EXIT_INPUT,
  EXIT_OK,
  inputOptions,
  loadInput,
  readProgress,
  useColor,
} from '../common.js';
import { outputOption, printData, type ViewFlags } from '../view-options.js';

const SECTION_TITLE: Record<CheckSection, string> = {
  cluster: 'Cluster',
  controllers: 'Controllers',
  crds: 'Flux CRDs',
  apiVersions: 'API versions the objects use',
  storage: 'Artifact storage (source-controller)',
};

const MARK: Record<CheckStatus, (c: Colors) => string> = {
  ok: (c) => c.green('✓'),
  fail: (c) => c.red('✗'),
  warn: (c) => c.yellow('!'),
  skip: (c) => c.gray('-'),
};

export function renderCheckText(r: CheckReport, color: boolean): string {
  const c = colors(color);
  const out: string[] = [];
  const where =
    r.input === 'live'
      ? `context ${r.context ?? '?'}${r.server ? ` (${r.server})` : ''}`
      : `snapshot${r.capturedAt ? ` captured at ${r.capturedAt}` : ''}`;
  out.push(`${c.bold('fluxdoctor check')} ${c.dim(`— ${where}, Flux namespace ${r.fluxNamespace}`)}`);
  for (const section of Object.keys(SECTION_TITLE) as CheckSection[]) {
    const items = r.items.filter((i) => i.section === section);
    if (items.length === 0) continue;
    out.push('');
    out.push(
      c.bold(section === 'controllers' ? `${SECTION_TITLE[section]} (${r.fluxNamespace})` : SECTION_TITLE[section]),
    );
    for (const i of items) {
      out.push(`  ${MARK[i.status](c)} ${i.title}`);
      if (i.detail && i.status !== 'ok') out.push(`    ${c.dim(i.detail)}`);
    }
  }
  out.push('');
  const o = r.objects;
  if (o.total > 0 && (o.failing > 0 || o.ready + o.suspended < o.total))
    out.push(c.dim(`${countsLine(o)} — run fluxdoctor diagnose for why`));
  const { fail, warn, skip, ok } = r.counts;
  const warned = warn ? `${warn} warning${warn > 1 ? 's' : ''}` : '';
  // Never "all checks passed" when some were not run: say how many passed and how many were skipped.
  if (fail === 0 && skip === 0) out.push(c.green(c.bold(`✓ all checks passed${warned ? ` (${warned})` : ''}`)));
  else if (fail === 0)
    out.push(
      c.yellow(
        c.bold(
          `✓ ${ok} check${ok === 1 ? '' : 's'} passed${warned ? `, ${warned}` : ''}, ${skip} skipped (not checked: see "-" above)`,
        ),
      ),
    );
  else
    out.push(
      c.red(
        c.bold(`✗ ${fail} check${fail > 1 ? 's' : ''} failed${warn ? `, ${warn} warning${warn > 1 ? 's' : ''}` : ''}`),
      ),
    );
  return `${out.join('\n')}\n`;
}

export function register(program: Command, ctx: CliContext): void {
  outputOption(
    inputOptions(
      program
        .command('check')
        .description(
          'Check the Flux installation: API server and version, controllers, CRDs and API versions, artifact storage',
        ),
    ),
  )
    .option('--no-probe', 'do not try to download an artifact from source-controller (live only)')
    .option(
      '--allow-local-probe',
      'also try artifact URLs on loopback, link-local or metadata addresses (refused by default: the URL is cluster text)',
    )
    .addHelpText(
      'after',
      '\nExit status: 0 no check failed (warnings and skipped checks allowed; the last line says how many were\nskipped), 1 a check failed, 2 the input could not be read or the API server is not reachable.\n\nExamples:\n  fluxdoctor check\n  fluxdoctor check -o json\n  fluxdoctor check --snapshot bundle.yaml',
    )
    .action(
      action(ctx, async (flags: ViewFlags & { probe?: boolean; allowLocalProbe?: boolean }) => {
        const { io } = ctx;
        const input = loadInput(flags, io);
        const progress = isLive(input) ? readProgress(io) : undefined;
        let result: Awaited<ReturnType<typeof check>>;
        try {
          result = await check({
            ...input,
            onProgress: progress?.onProgress,
            probe: flags.probe,
            allowLocalProbe: flags.allowLocalProbe,
          });
        } finally {
          progress?.clear();
        }
        const { report } = result;
        if (!printData(io, flags.output, report)) io.stdout.write(renderCheckText(report, useColor(io, flags)));
        // An API server that cannot be reached is input that cannot be read: exit 2, with the report.
        if (result.unreachable) return EXIT_INPUT;
        return report.ok ? EXIT_OK : EXIT_FINDINGS;
      }),
    );
}
