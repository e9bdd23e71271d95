// fluxdoctor reconcile | suspend | resume KIND/NAME: the only commands that write to the cluster.
// They change only what the flux CLI changes (see src/live/write.ts); reconcile and resume then wait
// for the controller, showing progress on a TTY, and print the object's new health and any finding
// about it from a fresh read of the cluster.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseTargetWords, type Target, TargetError } from '../../core/target.js';
import { diagnose } from '../../diagnose/engine.js';
import { Graph } from '../../graph/graph.js';
import { health, isSuspended } from '../../kinds/status.js';
import type { KindInfo } from '../../kinds/table.js';
import {
  FluxWriter,
  isStatic,
  type ReconcileProgress,
  reconcilePatch,
  resumePatch,
  type SourceStep,
  sourcesOf,
  suspendPatch,
  waitForReconcile,
} from '../../live/write.js';
import { ApiClient, LiveError, loadKubeConfig, readLive } from '../../read/live.js';
import { colors } from '../../render/color.js';
import { renderText } from '../../render/report.js';
import { cleanLine } from '../../render/sanitize.js';
import { nsArg, shq } from '../../render/shell.js';
import { type K8sObject, type ObjRef, sameRef } from '../../types.js';
import {
  action,
  type CliContext,
  CliError,
  EXIT_FINDINGS,
  EXIT_INPUT,
  EXIT_OK,
  type Io,
  requestTimeoutOption,
  useColor,
} from '../common.js';

interface VerbFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  fluxNamespace: string;
  requestTimeout: number;
  timeout: number;
  color?: boolean;
  snapshot?: string[];
  withSource?: boolean;
  force?: boolean;
  reset?: boolean;
  wait?: boolean;
}

function duration(v: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(v);
  if (!m) throw new InvalidArgumentError('a duration such as 30s, 2m or 1h');
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n * 1000;
}

function verbOptions(cmd: Command): Command {
  return cmd
    .argument(
      '<target...>',
      'KIND/NAME, KIND/NAMESPACE/NAME or KIND NAME (kind as kubectl or flux spell it: ks, hr, gitrepo, …)',
    )
    .option(
      '-n, --namespace <namespace>',
      'namespace of the object (default: the namespace in the target, else the one namespace where the name exists)',
    )
    .option('--context <name>', 'kubeconfig context to use')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config, or in-cluster)')
    .option('--flux-namespace <namespace>', 'namespace of the Flux controllers', 'flux-system')
    .addOption(requestTimeoutOption())
    .option('--no-color', 'disable colour (also NO_COLOR=1)')
    .addOption(new Option('--snapshot <path>', 'not accepted: this command writes to a live cluster').hideHelp());
}

const show = (r: ObjRef) =>
  `${r.kind} ${r.namespace ? `${cleanLine(r.namespace, 100)}/` : ''}${cleanLine(r.name, 300)}`;

interface Session {
  io: Io;
  flags: VerbFlags;
  writer: FluxWriter;
}

function connect(io: Io, flags: VerbFlags, verb: string): Session {
  if (flags.snapshot)
    throw new CliError(`${verb} writes to a live cluster: --snapshot is not accepted (use --context or --kubeconfig)`);
  let kc: ReturnType<typeof loadKubeConfig>;
  try {
    kc = loadKubeConfig(flags);
  } catch (e) {
    if (e instanceof LiveError) throw new CliError(e.message);
    throw e;
  }
  return { io, flags, writer: new FluxWriter(new ApiClient(kc, flags.requestTimeout)) };
}

/**
 * The one object the words name (src/core/target.ts): KIND/NAME with -n, or KIND/NAMESPACE/NAME.
 * Without a namespace the name is looked up in every namespace and must be unambiguous.
 */
function parse(s: Session, words: string[]): Target {
  try {
    return parseTargetWords(words, { namespace: s.flags.namespace, fluxOnly: true });
  } catch (e) {
    if (e instanceof TargetError) throw new CliError(e.message);
    throw e;
  }
}

async function target(s: Session, words: string[], t = parse(s, words)): Promise<{ kind: KindInfo; ref: ObjRef }> {
  return { kind: t.kind, ref: await s.writer.resolve(t, words.join('/')) };
}

async function mustGet(s: Session, ref: ObjRef): Promise<K8sObject> {
  const o = await s.writer.get(ref);
  if (!o)
    throw new CliError(
      `no ${ref.kind} named ${cleanLine(ref.name, 300)}${ref.namespace ? ` in namespace ${cleanLine(ref.namespace, 100)}` : ''}`,
    );
  return o;
}

const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A progress line on stderr while waiting, only on a TTY. */
function progressLine(io: Io, env: NodeJS.ProcessEnv) {
  const on = io.stderr.isTTY === true && env.CI === undefined;
  let text = '';
  let i = 0;
  const t0 = Date.now();
  const draw = () => {
    if (!on) return;
    const secs = Math.round((Date.now() - t0) / 1000);
    io.stderr.write(`\r\u001b[2K${SPIN[i++ % SPIN.length]} ${text} (${secs}s)`);
  };
  const timer = on ? setInterval(draw, 120) : undefined;
  return {
    set(t: string) {
      text = t;
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (on) io.stderr.write('\r\u001b[2K');
    },
  };
}

/** Request a reconcile of one object and wait until the controller handled it. */
async function reconcileOne(
  s: Session,
  ref: ObjRef,
  opts: { force?: boolean; reset?: boolean } = {},
): Promise<{ object: K8sObject; progress: ReconcileProgress } | undefined> {
  const obj = await mustGet(s, ref);
  if (isStatic(obj)) {
    s.io.stderr.write(`► ${show(ref)}: reconciliation not supported by the object (it has no reconciler)\n`);
    return undefined;
  }
  if (isSuspended(obj))
    throw new CliError(
      `${show(ref)} is suspended: resume it first (${cleanLine(`fluxdoctor resume ${shq(`${ref.kind.toLowerCase()}/${ref.name}`)}${nsArg(ref.namespace)}`, 400)})`,
    );
  const requestedAt = new Date().toISOString();
  await s.writer.patch(ref, reconcilePatch(requestedAt, opts));
  s.io.stderr.write(`► reconcile requested: ${show(ref)} (reconcile.fluxcd.io/requestedAt=${requestedAt})\n`);
  return waitHandled(s, ref, requestedAt);
}

async function waitHandled(
  s: Session,
  ref: ObjRef,
  requestedAt: string,
): Promise<{ object: K8sObject; progress: ReconcileProgress }> {
  const line = progressLine(s.io, s.io.env);
  let r: Awaited<ReturnType<typeof waitForReconcile>>;
  try {
    r = await waitForReconcile(s.writer, ref, requestedAt, {
      timeoutMs: s.flags.timeout,
      onProgress: (_o, p) => line.set(`${show(ref)}: ${p.phase}`),
    });
  } finally {
    line.stop();
  }
  if (r.timedOut) {
    const h = r.object ? health(r.object) : undefined;
    throw new CliError(
      `timed out after ${s.flags.timeout / 1000}s waiting for ${show(ref)} to reconcile (${r.progress.phase})${
        h
          ? `; it is ${h.state}${h.reason ? ` (${cleanLine(h.reason, 100)})` : ''}${h.message ? `: ${cleanLine(h.message, 300)}` : ''}`
          : ''
      }`,
      EXIT_INPUT,
    );
  }
  return { object: r.object!, progress: r.progress };
}

/** Read the cluster again and print the object's health and every finding about it. */
async function report(s: Session, ref: ObjRef, fallback: K8sObject): Promise<number> {
  const { io, flags } = s;
  const c = colors(useColor(io, flags));
  let graph: Graph;
  const progress = progressLine(io, io.env);
  progress.set('reading the cluster for findings');
  try {
    const snap = await readLive({
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      fluxNamespace: flags.fluxNamespace,
      timeoutMs: flags.requestTimeout,
    });
    graph = new Graph(snap, { fluxNamespace: flags.fluxNamespace });
  } catch (e) {
    if (e instanceof LiveError)
      throw new CliError(`the reconcile finished, but the cluster could not be read again: ${e.message}`);
    throw e;
  } finally {
    progress.stop();
  }
  const obj = graph.get(ref) ?? fallback;
  const h = health(obj);
  const ready = h.state === 'Ready';
  const mark = ready ? c.green('✓') : h.state === 'Failed' ? c.red('✗') : c.yellow('!');
  io.stdout.write(
    `${mark} ${show(ref)} is ${ready ? c.green(h.state) : h.state === 'Failed' ? c.red(h.state) : c.yellow(h.state)}${
      h.reason ? ` (${cleanLine(h.reason, 100)})` : ''
    }${h.message ? `: ${cleanLine(h.message, 500)}` : ''}\n`,
  );
  if (h.revision) io.stdout.write(`  revision: ${cleanLine(h.revision, 200)}\n`);
  const full = diagnose(graph);
  const findings = full.findings.filter((f) => sameRef(f.rootCause, ref) || f.affected.some((a) => sameRef(a, ref)));
  if (findings.length > 0) {
    io.stdout.write('\n');
    io.stdout.write(renderText({ ...full, findings }, { color: c.enabled }));
  }
  return ready && !findings.some((f) => f.severity === 'error') ? EXIT_OK : EXIT_FINDINGS;
}

/** The sources to reconcile before an object with --with-source, deepest first. */
async function sourceChain(s: Session, o: K8sObject): Promise<ObjRef[]> {
  let steps: SourceStep[];
  try {
    steps = sourcesOf(o);
  } catch (e) {
    if (e instanceof LiveError) throw new CliError(e.message);
    throw e;
  }
  const out: ObjRef[] = [];
  for (const st of steps) {
    if (st.withSource) out.push(...(await sourceChain(s, await mustGet(s, st.ref))));
    out.push(st.ref);
  }
  return out;
}

const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LiveError) throw new CliError(e.message);
    throw e;
  }
};

export function register(program: Command, ctx: CliContext): void {
  verbOptions(
    program
      .command('reconcile')
      .description('Ask the controller to reconcile an object now (as flux reconcile), wait, and report its health'),
  )
    .option('--with-source', 'reconcile the source first (Kustomization, HelmRelease, HelmChart)')
    .option('--force', 'HelmRelease: force a one-off install or upgrade (reconcile.fluxcd.io/forceAt)')
    .option('--reset', 'HelmRelease: reset the failure count (reconcile.fluxcd.io/resetAt)')
    .addOption(
      new Option('--timeout <duration>', 'how long to wait for the reconcile')
        .argParser(duration)
        .default(120_000, '2m'),
    )
    .addHelpText(
      'after',
      '\nWrites only the annotation reconcile.fluxcd.io/requestedAt (as flux reconcile does).\nExit status: 0 the object is Ready, 1 it is not ready or has a finding, 2 input error or timeout.\n\nExamples:\n  fluxdoctor reconcile ks/apps -n flux-system --with-source\n  fluxdoctor reconcile hr podinfo -n apps --timeout 5m',
    )
    .action(
      action(ctx, async (words: string[], flags: VerbFlags) =>
        wrap(async () => {
          const s = connect(ctx.io, flags, 'reconcile');
          const t = parse(s, words);
          if ((flags.force || flags.reset) && t.kind.kind !== 'HelmRelease')
            throw new CliError('--force and --reset are for HelmReleases');
          const { ref } = await target(s, words, t);
          const obj = await mustGet(s, ref);
          if (flags.withSource) {
            for (const src of await sourceChain(s, obj)) {
              const r = await reconcileOne(s, src);
              if (r && !r.progress.ready) {
                ctx.io.stderr.write(
                  `✗ the source ${show(src)} did not become ready; ${show(ref)} was not reconciled\n`,
                );
                return report(s, src, r.object);
              }
            }
          }
          const r = await reconcileOne(s, ref, { force: flags.force, reset: flags.reset });
          if (!r) {
            ctx.io.stdout.write(`✓ ${show(ref)}: nothing to reconcile\n`);
            return EXIT_OK;
          }
          return report(s, ref, r.object);
        }),
      ),
    );

  verbOptions(
    program
      .command('suspend')
      .description('Suspend the reconciliation of an object (as flux suspend: spec.suspend: true)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  fluxdoctor suspend ks/apps -n flux-system\n  fluxdoctor suspend hr podinfo -n apps',
    )
    .action(
      action(ctx, async (words: string[], flags: VerbFlags) =>
        wrap(async () => {
          const s = connect(ctx.io, flags, 'suspend');
          const { kind, ref } = await target(s, words);
          await mustGet(s, ref);
          const after = await s.writer.patch(ref, suspendPatch(kind));
          const c = colors(useColor(ctx.io, flags));
          ctx.io.stdout.write(
            `${isSuspended(after) ? c.green('✓') : c.red('✗')} ${show(ref)} ${isSuspended(after) ? 'suspended' : 'is not suspended after the patch'}\n`,
          );
          return isSuspended(after) ? EXIT_OK : EXIT_FINDINGS;
        }),
      ),
    );

  verbOptions(
    program
      .command('resume')
      .description('Resume a suspended object (as flux resume), wait for its reconcile, and report its health'),
  )
    .addOption(
      new Option('--timeout <duration>', 'how long to wait for the reconcile')
        .argParser(duration)
        .default(120_000, '2m'),
    )
    .option('--no-wait', 'do not wait for the reconcile')
    .addHelpText(
      'after',
      '\nRemoves spec.suspend and requests a reconcile (reconcile.fluxcd.io/requestedAt).\nExit status: 0 the object is Ready, 1 it is not ready or has a finding, 2 input error or timeout.',
    )
    .action(
      action(ctx, async (words: string[], flags: VerbFlags) =>
        wrap(async () => {
          const s = connect(ctx.io, flags, 'resume');
          const { kind, ref } = await target(s, words);
          const obj = await mustGet(s, ref);
          const requestedAt = new Date().toISOString();
          const after = await s.writer.patch(ref, resumePatch(kind, requestedAt));
          if (isSuspended(after)) throw new CliError(`${show(ref)} is still suspended after the patch`, EXIT_FINDINGS);
          ctx.io.stderr.write(`► resumed ${show(ref)}\n`);
          if (flags.wait === false || isStatic(obj)) {
            ctx.io.stdout.write(`✓ ${show(ref)} resumed\n`);
            return EXIT_OK;
          }
          const r = await waitHandled(s, ref, requestedAt);
          return report(s, ref, r.object);
        }),
      ),
    );
}
