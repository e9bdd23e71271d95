// fluxdoctor watch: print changes of the Flux objects' health as they happen, from watch events
// (src/core/watch.ts reads and watches; this file prints).

import { type Command, InvalidArgumentError, Option } from 'commander';
import { type Transition, watch } from '../../core/watch.js';
import { formatTransition } from '../../live/watch.js';
import { colors } from '../../render/color.js';
import { cleanLine } from '../../render/sanitize.js';
import { action, type CliContext, CliError, EXIT_OK, requestTimeoutOption, useColor } from '../common.js';
import { formatOption } from '../view-options.js';

interface Flags {
  namespace?: string;
  allNamespaces?: boolean;
  context?: string;
  kubeconfig?: string;
  fluxNamespace?: string;
  requestTimeout: number;
  output: 'text' | 'json';
  onceAfter?: number;
  color?: boolean;
  snapshot?: string[];
}

function duration(v: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(v);
  if (!m) throw new InvalidArgumentError('a duration such as 30s, 2m or 1h');
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n * 1000;
}

const STATE_COLOR: Record<string, 'green' | 'red' | 'yellow' | 'blue' | 'gray'> = {
  Ready: 'green',
  Failed: 'red',
  Progressing: 'blue',
  Waiting: 'yellow',
  Suspended: 'gray',
  Unknown: 'yellow',
  Deleted: 'gray',
};

export function register(program: Command, ctx: CliContext): void {
  program
    .command('watch')
    .description('Watch the Flux objects and print every change of health as it happens (until Ctrl-C)')
    .option('-n, --namespace <namespace>', 'only this namespace')
    .option('-A, --all-namespaces', 'all namespaces (the default)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config, or in-cluster)')
    .option(
      '--flux-namespace <namespace>',
      'namespace of the Flux controllers (default: where the controller Deployments run, else flux-system)',
    )
    .addOption(requestTimeoutOption())
    .addOption(formatOption(['text', 'json'], 'output format: text, or json (one transition per line)'))
    .option('--once-after <duration>', 'stop after this long (e.g. 10m) instead of running until interrupted', duration)
    .option('--no-color', 'disable colour (also NO_COLOR=1)')
    .addOption(new Option('--snapshot <path>', 'not accepted: watch needs a live cluster').hideHelp())
    .addHelpText(
      'after',
      "\nPrints `TIME KIND NAMESPACE/NAME: BEFORE → AFTER (REASON: MESSAGE)` when an object's health or its reason\nchanges. Reconnects when the API server goes away and comes back.\n\nExamples:\n  fluxdoctor watch\n  fluxdoctor watch -n apps -o json",
    )
    .action(
      action(ctx, async (flags: Flags) => {
        const { io } = ctx;
        if (flags.snapshot) throw new CliError('watch needs a live cluster: --snapshot is not accepted');
        const namespace = flags.allNamespaces ? undefined : flags.namespace;
        const c = colors(useColor(io, flags));
        const paint = (s: string) => c[STATE_COLOR[s] ?? 'gray'](s);
        const stop = new AbortController();
        const onSigint = () => stop.abort();
        process.once('SIGINT', onSigint);
        let timer: NodeJS.Timeout | undefined;
        try {
          await watch({
            namespace,
            context: flags.context,
            kubeconfig: flags.kubeconfig,
            fluxNamespace: flags.fluxNamespace,
            requestTimeout: flags.requestTimeout,
            signal: stop.signal,
            onStart: (st) => {
              io.stderr.write(
                `watching ${st.objects} Flux objects of ${st.kinds} kinds${namespace ? ` in ${cleanLine(namespace, 100)}` : ''} on context ${cleanLine(st.context, 100)}${flags.onceAfter ? ` for ${flags.onceAfter / 1000}s` : ' (Ctrl-C to stop)'}\n`,
              );
              if (flags.onceAfter) timer = setTimeout(() => stop.abort(), flags.onceAfter);
            },
            onTransition: (t: Transition) =>
              io.stdout.write(flags.output === 'json' ? `${JSON.stringify(t)}\n` : `${formatTransition(t, paint)}\n`),
            onNotice: (m) => io.stderr.write(`fluxdoctor: ${m}\n`),
          });
        } finally {
          if (timer) clearTimeout(timer);
          process.removeListener('SIGINT', onSigint);
        }
        return EXIT_OK;
      }),
    );
}
