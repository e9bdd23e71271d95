// The fluxdoctor command line: thin commands that parse flags, call the core and render.

import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { dump } from 'js-yaml';
import { diagnose, type Report } from '../diagnose/engine.js';
import { filterReport } from '../diagnose/filter.js';
import { Graph } from '../graph/graph.js';
import { InputError, readSnapshotFiles } from '../read/files.js';
import { colorEnabled, colors } from '../render/color.js';
import { renderJson, renderMarkdown, renderText, renderYaml } from '../render/report.js';
import { codePage } from '../rules/docs.js';
import { ALL_RULES, RULES_BY_CODE } from '../rules/index.js';
import type { Severity } from '../types.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INPUT = 2;

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  stdin?: () => string;
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

const SEVERITIES = ['error', 'warning', 'info'];
function parseSeverity(v: string): Severity {
  if (!SEVERITIES.includes(v)) throw new InvalidArgumentError(`must be one of ${SEVERITIES.join(', ')}`);
  return v as Severity;
}

interface DiagnoseFlags {
  snapshot?: string[];
  logs?: string[];
  output: string;
  namespace?: string;
  allNamespaces?: boolean;
  kind?: string[];
  severity?: Severity;
  fluxNamespace?: string;
  color?: boolean;
  verbose?: boolean;
  now?: string;
  context?: string;
  kubeconfig?: string;
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let exit = EXIT_OK;
  const program = new Command();
  program
    .name('fluxdoctor')
    .description('Finds what is broken in a FluxCD cluster and why: the root cause, the evidence and the fix.')
    .version(version(), '--version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();

  program
    .command('diagnose')
    .description('Find failing Flux objects and report each root cause once, with evidence and the fix')
    .option(
      '--snapshot <path>',
      'read cluster state from a file or directory (kubectl -o yaml/json, fluxdoctor snapshot); `-` for stdin; repeatable',
      collect,
    )
    .option('--logs <path>', 'Flux controller logs (JSON lines), file or directory; repeatable', collect)
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['text', 'json', 'yaml', 'markdown'])
        .default('text'),
    )
    .option('-n, --namespace <namespace>', 'only report findings that involve this namespace')
    .option('-A, --all-namespaces', 'report findings in every namespace (the default)')
    .option('--kind <kind>', 'only report findings that involve this kind; repeatable', collect)
    .option('--severity <level>', 'minimum severity to report: error, warning or info', parseSeverity)
    .option('--flux-namespace <namespace>', 'namespace of the Flux controllers', 'flux-system')
    .option('--context <name>', 'kubeconfig context (live clusters)')
    .option('--kubeconfig <path>', 'kubeconfig file (live clusters)')
    .option('--now <time>', 'evaluate time-based rules as of this RFC 3339 time (default: the snapshot time)')
    .option('--no-color', 'disable colour (also NO_COLOR=1)')
    .option('-v, --verbose', 'show all evidence')
    .addHelpText(
      'after',
      '\nExit status: 0 no error finding, 1 at least one error finding, 2 the input could not be read.\n\nExamples:\n  fluxdoctor diagnose --snapshot examples/multi-hop\n  kubectl get gitrepositories,kustomizations,helmreleases -A -o yaml | fluxdoctor diagnose --snapshot - -o json',
    )
    .action((flags: DiagnoseFlags) => {
      exit = runDiagnose(flags, io);
    });

  program
    .command('explain')
    .description('Print the page of a diagnosis code: what it means, how it is detected, how to fix it')
    .argument('<code>', 'a diagnosis code, e.g. source.auth')
    .action((code: string) => {
      const rule = RULES_BY_CODE.get(code);
      if (!rule) {
        const near = ALL_RULES.map((r) => r.meta.code).filter(
          (c) => c.includes(code) || code.includes(c.split('.')[1] ?? '@'),
        );
        io.stderr.write(
          `fluxdoctor: unknown code '${code}'.${near.length ? ` Did you mean: ${near.join(', ')}?` : ''} Run 'fluxdoctor codes' to list them.\n`,
        );
        exit = EXIT_INPUT;
        return;
      }
      io.stdout.write(codePage(rule));
    });

  program
    .command('codes')
    .description('List every diagnosis code')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'yaml']).default('table'))
    .action((flags: { output: string }) => {
      const rows = ALL_RULES.map((r) => ({
        code: r.meta.code,
        severity: r.meta.severity,
        title: r.meta.title,
        kinds: r.meta.kinds,
      }));
      rows.sort((a, b) => a.code.localeCompare(b.code));
      if (flags.output === 'json') io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else if (flags.output === 'yaml') io.stdout.write(dump(rows, { lineWidth: -1, noRefs: true }));
      else {
        const w = Math.max(...rows.map((r) => r.code.length));
        for (const r of rows) io.stdout.write(`${r.code.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.title}\n`);
      }
    });

  try {
    await program.parseAsync(argv);
  } catch (e) {
    // commander's exitOverride: help and version exit 0; usage errors exit 2.
    const err = e as { code?: string; exitCode?: number };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
      return EXIT_OK;
    if (typeof err.exitCode === 'number') return err.exitCode === 0 ? EXIT_OK : EXIT_INPUT;
    throw e;
  }
  return exit;
}

function runDiagnose(flags: DiagnoseFlags, io: Io): number {
  if (!flags.snapshot || flags.snapshot.length === 0) {
    io.stderr.write(
      'fluxdoctor: reading a live cluster is not built yet. Capture the state and pass it with --snapshot:\n' +
        '  kubectl get gitrepositories,ocirepositories,helmrepositories,helmcharts,buckets,kustomizations,helmreleases,\\\n' +
        '    imagerepositories,imagepolicies,imageupdateautomations,receivers,providers,alerts,deployments,pods,events -A -o yaml > cluster.yaml\n' +
        '  fluxdoctor diagnose --snapshot cluster.yaml\n',
    );
    return EXIT_INPUT;
  }
  let snap: ReturnType<typeof readSnapshotFiles>;
  try {
    snap = readSnapshotFiles({ snapshots: flags.snapshot, logs: flags.logs, stdin: io.stdin });
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr.write(`fluxdoctor: ${e.message}\n`);
      return EXIT_INPUT;
    }
    throw e;
  }
  if (snap.objects.length === 0) {
    io.stderr.write('fluxdoctor: no Kubernetes objects could be read from the input.\n');
    for (const p of snap.problems.slice(0, 10))
      io.stderr.write(`  ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
    return EXIT_INPUT;
  }
  let now: Date | undefined;
  if (flags.now) {
    now = new Date(flags.now);
    if (Number.isNaN(now.getTime())) {
      io.stderr.write(
        `fluxdoctor: --now '${flags.now}' is not a valid time (use RFC 3339, e.g. 2026-11-24T10:00:00Z)\n`,
      );
      return EXIT_INPUT;
    }
  }
  const graph = new Graph(snap, { fluxNamespace: flags.fluxNamespace, now });
  const full = diagnose(graph);
  const report: Report = filterReport(full, {
    namespace: flags.allNamespaces ? undefined : flags.namespace,
    kinds: flags.kind,
    severity: flags.severity,
  });
  const useColor = colorEnabled(io.stdout, io.env, flags.color === false ? false : undefined);
  switch (flags.output) {
    case 'json':
      io.stdout.write(renderJson(report));
      break;
    case 'yaml':
      io.stdout.write(renderYaml(report));
      break;
    case 'markdown':
      io.stdout.write(renderMarkdown(report));
      break;
    default:
      io.stdout.write(renderText(report, { color: useColor, verbose: flags.verbose }));
  }
  if (report.partial && flags.output !== 'text') {
    const c = colors(colorEnabled(io.stderr, io.env, flags.color === false ? false : undefined));
    io.stderr.write(c.yellow('fluxdoctor: partial report: some input could not be read (see "problems")\n'));
  }
  return report.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}
