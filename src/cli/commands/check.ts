// fluxdoctor check: like `flux check`, and more. A checklist for people and an exit code for CI:
// 0 no check failed (skipped checks are counted), 1 a check failed, 2 the input could not be read or the API server is not reachable.

import type { Command } from 'commander';
import { Graph } from '../../graph/graph.js';
import { probeArtifact } from '../../live/artifact.js';
import { LiveError, loadKubeConfig } from '../../read/live.js';
import { emptySnapshot } from '../../read/snapshot.js';
import { type Colors, colors } from '../../render/color.js';
import { countsLine } from '../../render/report.js';
import { cleanLine } from '../../render/sanitize.js';
import {
  artifactProbeTarget,
  type CheckReport,
  type CheckSection,
  type CheckStatus,
  checkView,
} from '../../views/check.js';
import {
  action,
  type CliContext,
  CliError,
  EXIT_FINDINGS,
  EXIT_INPUT,
  EXIT_OK,
  inputOptions,
  loadGraph,
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

/** The report when the API server could not be read at all: one failed check. */
function unreachableReport(flags: ViewFlags, message: string): CheckReport {
  const kc = loadKubeConfig(flags);
  const graph = new Graph(emptySnapshot(), { fluxNamespace: flags.fluxNamespace });
  const server = kc.getCurrentCluster()?.server;
  return {
    ok: false,
    input: 'live',
    context: cleanLine(kc.getCurrentContext(), 100),
    ...(server ? { server: cleanLine(server, 200) } : {}),
    fluxNamespace: graph.fluxNamespace,
    counts: { ok: 0, fail: 1, warn: 0, skip: 0 },
    objects: { total: 0, ready: 0, failing: 0, suspended: 0, waiting: 0, progressing: 0, unknown: 0 },
    items: [
      {
        section: 'cluster',
        status: 'fail',
        title: `API server ${server ? cleanLine(server, 200) : ''} not reachable`,
        detail: cleanLine(message.split('\n')[0], 500),
      },
    ],
  };
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
        const live = !(flags.snapshot && flags.snapshot.length > 0);
        let report: CheckReport;
        if (live) {
          // A kubeconfig that cannot be loaded, or a server that does not answer, is an input error (2).
          try {
            loadKubeConfig(flags);
          } catch (e) {
            if (e instanceof LiveError) throw new CliError(e.message);
            throw e;
          }
        }
        let graph: Graph;
        try {
          graph = await loadGraph(flags, io);
        } catch (e) {
          if (!live || !(e instanceof CliError)) throw e;
          // An API server that cannot be reached is input that cannot be read: exit 2, with the report.
          report = unreachableReport(flags, e.message);
          if (!printData(io, flags.output, report)) io.stdout.write(renderCheckText(report, useColor(io, flags)));
          return EXIT_INPUT;
        }
        const target = live && flags.probe !== false ? artifactProbeTarget(graph) : undefined;
        const probe = target
          ? await probeArtifact(target, flags.requestTimeout ?? 15_000, { allowLocal: flags.allowLocalProbe === true })
          : undefined;
        report = checkView(graph, { live, probe });
        if (!printData(io, flags.output, report)) io.stdout.write(renderCheckText(report, useColor(io, flags)));
        return report.ok ? EXIT_OK : EXIT_FINDINGS;
      }),
    );
}
