// fluxdoctor watch: print changes of the Flux objects' health as they happen, from watch events.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { isFluxKind } from '../../kinds/table.js';
import { formatTransition, type Transition, WatchState, watchFlux } from '../../live/watch.js';
import { ApiClient, LiveError, loadKubeConfig, readLive } from '../../read/live.js';
import { colors } from '../../render/color.js';
import { cleanLine } from '../../render/sanitize.js';
import { action, type CliContext, CliError, EXIT_OK, requestTimeoutOption, useColor } from '../common.js';

interface Flags {
  namespace?: string;
  allNamespaces?: boolean;
  context?: string;
  kubeconfig?: string;
  fluxNamespace: string;
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
    .option('--flux-namespace <namespace>', 'namespace of the Flux controllers', 'flux-system')
    .addOption(requestTimeoutOption())
    .addOption(
      new Option('-o, --output <format>', 'output format: text, or json (one transition per line)')
        .choices(['text', 'json'])
        .default('text'),
    )
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
        let api: ApiClient;
        let snap: Awaited<ReturnType<typeof readLive>>;
        const namespace = flags.allNamespaces ? undefined : flags.namespace;
        try {
          api = new ApiClient(loadKubeConfig(flags), flags.requestTimeout);
          snap = await readLive(
            {
              namespace,
              fluxNamespace: flags.fluxNamespace,
              timeoutMs: flags.requestTimeout,
              logs: false,
              secrets: false,
            },
            api,
          );
        } catch (e) {
          if (e instanceof LiveError) throw new CliError(e.message);
          throw e;
        }
        const state = new WatchState();
        state.seed(snap.objects.filter((o) => isFluxKind(o.kind)));
        const c = colors(useColor(io, flags));
        const paint = (s: string) => c[STATE_COLOR[s] ?? 'gray'](s);
        const kinds = Object.keys(snap.lists).filter(isFluxKind).length;
        io.stderr.write(
          `watching ${state.count()} Flux objects of ${kinds} kinds${namespace ? ` in ${cleanLine(namespace, 100)}` : ''} on context ${cleanLine(api.context, 100)}${flags.onceAfter ? ` for ${flags.onceAfter / 1000}s` : ' (Ctrl-C to stop)'}\n`,
        );
        const stop = new AbortController();
        const onSigint = () => stop.abort();
        process.once('SIGINT', onSigint);
        const timer = flags.onceAfter ? setTimeout(() => stop.abort(), flags.onceAfter) : undefined;
        try {
          await watchFlux(api, state, snap.lists, {
            namespace,
            signal: stop.signal,
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
