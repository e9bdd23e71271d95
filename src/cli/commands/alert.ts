// fluxdoctor alert test ALERT [--send]: which recent events an Alert forwards or drops and why, the
// Provider check, and (only with --send) one test event posted to notification-controller.

import type { Command } from 'commander';
import { eventBody, meaningOf, postEvent, postViaApiServer, testEvent } from '../../core/alert-send.js';
import { type AlertTest, alertTestView, readNamespace } from '../../core/views.js';
import { type Colors, colors } from '../../render/color.js';
import { showRef, truncate } from '../../render/views.js';
import { action, type CliContext, EXIT_FINDINGS, EXIT_OK, inputOptions, loadGraph, useColor } from '../common.js';
import { outputOption, printData, runView, type ViewFlags, viewNamespace } from '../view-options.js';

interface TestFlags extends ViewFlags {
  send?: boolean;
  url?: string;
  severity?: string;
  limit?: string;
}

export function renderAlertTestText(t: AlertTest, color: boolean): string {
  const c: Colors = colors(color);
  const out: string[] = [];
  out.push(
    `${c.bold(showRef(t.alert))}  eventSeverity ${t.eventSeverity}${t.severityDefaulted ? c.dim(' (default)') : ''}${t.suspended ? c.yellow('  suspended') : ''}`,
  );
  for (const s of t.sources)
    out.push(
      `  source ${s.kind}/${s.namespace}/${s.name}${
        s.matchLabels
          ? ` matchLabels ${Object.entries(s.matchLabels)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')}`
          : ''
      }`,
    );
  if (t.inclusionList.length) out.push(`  inclusionList ${t.inclusionList.join('  ')}`);
  if (t.exclusionList.length) out.push(`  exclusionList ${t.exclusionList.join('  ')}`);
  const p = t.provider;
  const addr =
    p.address.from === 'spec'
      ? `address ${p.address.scheme ?? ''}://${p.address.host ?? '?'}/… (spec)`
      : p.address.from === 'secret'
        ? `address from Secret ${p.secretRef?.name} key \`address\``
        : p.address.from === 'none'
          ? 'no address'
          : '';
  out.push(
    `${c.bold('provider')} ${showRef(p.ref)}${p.found ? `  type ${p.type ?? '?'}  ${addr}` : c.red('  not found')}`,
  );
  for (const [label, s] of [
    ['secretRef', p.secretRef],
    ['certSecretRef', p.certSecretRef],
    ['proxySecretRef', p.proxySecretRef],
  ] as const)
    if (s)
      out.push(
        `  ${label} ${s.name}: ${s.found ? `keys [${(s.keys ?? []).join(', ')}]` : c.red('missing')}${s.key && s.found ? (s.hasKey ? c.green(` has ${s.key}`) : c.dim(` no ${s.key}`)) : ''}`,
      );
  if (p.proxy) out.push(`  proxy ${p.proxy} (spec.proxy, deprecated)`);
  for (const x of p.problems) out.push(c.red(`  problem: ${x}`));
  out.push(`${c.bold('events')}: ${t.forwarded} forwarded, ${t.dropped} dropped`);
  for (const e of t.events) {
    const mark = e.forwarded ? c.green('forward') : c.yellow(`drop:${e.step}`);
    out.push(
      `  ${mark.padEnd(color ? 0 : 22)} ${showRef(e.object)} ${e.type}/${e.reason}${e.count > 1 ? ` ×${e.count}` : ''}: ${truncate(e.message, 120)}`,
    );
    if (!e.forwarded) out.push(c.dim(`      ${e.detail}`));
  }
  if (t.logs.length) {
    out.push(c.bold('notification-controller log'));
    for (const l of t.logs.slice(-15))
      out.push(
        `  ${l.ts ?? ''} ${l.level} ${truncate(l.msg, 200)}${l.error ? c.dim(` — ${truncate(l.error, 200)}`) : ''}`,
      );
  }
  for (const n of t.notes) out.push(c.dim(`note: ${n}`));
  return `${out.join('\n')}\n`;
}

export function register(program: Command, ctx: CliContext): void {
  const alert = program
    .command('alert')
    .description(
      'Notifications: `alert test ALERT` shows which recent events an Alert forwards or drops and why, checks its Provider; --send delivers a test event',
    );
  outputOption(
    inputOptions(
      alert
        .command('test')
        .argument('<alert...>', 'the Alert: NAME (use -n for its namespace)')
        .description(
          'Decide, as notification-controller does, which recent events the Alert forwards and why the others are dropped',
        )
        .option(
          '--send',
          'post one test event to notification-controller (the only write): it dispatches it through the Provider',
        )
        .option(
          '--url <url>',
          'with --send: the event server address (default: the API server proxy to the notification-controller Service)',
        )
        .option('--severity <severity>', 'with --send: info or error', 'info')
        .option('--limit <n>', 'at most this many events', '200'),
    ),
    'text',
  )
    .addHelpText(
      'after',
      `
The steps of notification-controller's event server, in order: Alert suspended → eventSources
(kind and namespace, defaulting to the Alert's; eventSeverity: error lets only Warning events
through; name or *; matchLabels) → inclusionList → exclusionList (Go regular expressions on the
message) → Provider missing or suspended → commit-status providers drop info events without a commit.
Exit status: 0 when at least one event is forwarded (or --send was accepted); 1 otherwise; 2 on input errors.

Examples:
  fluxdoctor alert test slack -n flux-system
  fluxdoctor alert test slack -n flux-system --snapshot cluster.yaml -o json
  fluxdoctor alert test slack -n flux-system --send`,
    )
    .action(
      action(ctx, async (words: string[], flags: TestFlags) => {
        const { io } = ctx;
        const namespace = viewNamespace(flags);
        const graph = await loadGraph({ ...flags, namespace: readNamespace('alert-test', { namespace }) }, io);
        const limit = Number.parseInt(flags.limit ?? '200', 10);
        const t = runView(() => alertTestView(graph, words, namespace, { limit: Number.isNaN(limit) ? 200 : limit }));
        let sent: Record<string, unknown> | undefined;
        if (flags.send) {
          const severity = flags.severity === 'error' ? 'error' : 'info';
          const ev = testEvent(graph, t.alert, { severity });
          const body = eventBody(ev);
          const r = flags.url
            ? { ...(await postEvent(flags.url, body)), via: flags.url }
            : await postViaApiServer(
                { kubeconfig: flags.kubeconfig, context: flags.context, fluxNamespace: graph.fluxNamespace },
                body,
              );
          sent = { via: r.via, event: ev, status: r.status, answer: r.answer, meaning: meaningOf(r.status) };
        }
        const ok = sent ? sent.status === 202 : t.forwarded > 0;
        const code = ok ? EXIT_OK : EXIT_FINDINGS;
        if (printData(io, flags.output, sent ? { ...t, sent } : t)) return code;
        let text = renderAlertTestText(t, useColor(io, flags));
        if (sent)
          text += `sent: ${String(sent.status)} — ${String(sent.meaning)}\n  via ${String(sent.via)}\n  event about ${showRef((sent.event as { involvedObject: { kind: string; name: string; namespace?: string } }).involvedObject)}\n`;
        io.stdout.write(text);
        return code;
      }),
    );
}
