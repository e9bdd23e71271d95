// fluxdoctor diagnose: every failing object, reported once at its root cause.

import { type Command, InvalidArgumentError } from 'commander';
import { diagnose, matchesLabels, parseLabelSelector } from '../../core/views.js';
import { colorEnabled, colors } from '../../render/color.js';
import { emptyVerdict, renderJson, renderMarkdown, renderText, renderYaml } from '../../render/report.js';
import { cleanLine } from '../../render/sanitize.js';
import type { Severity } from '../../types.js';
import { kindsFor } from '../../views/get.js';
import {
  action,
  type CliContext,
  collect,
  EXIT_FINDINGS,
  EXIT_OK,
  type InputFlags,
  inputOptions,
  loadGraph,
  useColor,
} from '../common.js';
import { formatOption, runView } from '../view-options.js';

const SEVERITIES = ['error', 'warning', 'info'];
function parseSeverity(v: string): Severity {
  if (!SEVERITIES.includes(v)) throw new InvalidArgumentError(`must be one of ${SEVERITIES.join(', ')}`);
  return v as Severity;
}

interface Flags extends InputFlags {
  output: string;
  kind?: string[];
  severity?: Severity;
  verbose?: boolean;
  selector?: string;
}

export function register(program: Command, ctx: CliContext): void {
  inputOptions(
    program
      .command('diagnose')
      .description('Find failing Flux objects and report each root cause once, with evidence and the fix'),
  )
    .addOption(formatOption(['text', 'json', 'yaml', 'markdown']))
    .option(
      '--kind <kind>',
      'only report findings that involve this kind (ks, hr, gitrepo, …); a comma-separated list, repeatable',
      collect,
    )
    .option(
      '-l, --selector <selector>',
      'only report findings that involve an object whose labels match (kubectl syntax: a=b,c!=d,e in (x,y),!f)',
    )
    .option('--severity <level>', 'minimum severity to report: error, warning or info', parseSeverity)
    .option('--no-color', 'disable colour (also NO_COLOR=1)')
    .option('-v, --verbose', 'show all evidence')
    .addHelpText(
      'after',
      '\nWithout --snapshot it reads the cluster of the current kubeconfig context.\nExit status: 0 no error finding, 1 at least one error finding, 2 the input could not be read or --kind is unknown.\nA selection (-n, --kind, -l) that matches no object says so on stderr (as kubectl\'s "No resources found") and exits 0;\nit is never reported as "No problems found".\n\nExamples:\n  fluxdoctor diagnose\n  fluxdoctor diagnose -n apps -o json\n  fluxdoctor diagnose --snapshot examples/multi-hop\n  kubectl get kustomizations,gitrepositories -A -o yaml | fluxdoctor diagnose --snapshot -',
    )
    .action(
      action(ctx, async (flags: Flags) => {
        const { io } = ctx;
        // Unknown kinds fail before the cluster is read; `ks,hr`, short and plural names as `get` takes them.
        const words = (flags.kind ?? []).flatMap((k) => k.split(',')).filter(Boolean);
        const kinds = words.some((w) => w.toLowerCase() === 'all')
          ? undefined
          : runView(() => kindsFor(words.join(','))).map((k) => k.kind);
        const sel = flags.selector !== undefined ? runView(() => parseLabelSelector(flags.selector!)) : undefined;
        const graph = await loadGraph(flags, io);
        const report = diagnose(graph, {
          namespace: flags.allNamespaces ? undefined : flags.namespace,
          kinds: words.length > 0 ? kinds : undefined,
          severity: flags.severity,
          ...(sel ? { labels: { text: cleanLine(sel.text, 200), match: (o) => matchesLabels(o, sel) } } : {}),
        });
        // An empty selection is not health: say what was selected, on stderr as kubectl says "No resources found".
        const empty = report.findings.length === 0 && report.objects.total === 0;
        const stderrColor = colorEnabled(io.stderr, io.env, flags.color === false ? false : undefined);
        if (empty && flags.output === 'text')
          io.stderr.write(renderText(report, { color: stderrColor, verbose: flags.verbose })); // with any partial/notes
        else if (empty) io.stderr.write(`fluxdoctor: ${emptyVerdict(report).text}\n`);
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
            if (!empty) io.stdout.write(renderText(report, { color: useColor(io, flags), verbose: flags.verbose }));
        }
        if (report.partial && flags.output !== 'text') {
          const c = colors(stderrColor);
          io.stderr.write(c.yellow('fluxdoctor: partial report: some input could not be read (see "problems")\n'));
        }
        return report.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
      }),
    );
}
